package dev.cpdoctor.source.auditlog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.history.AuditRollupRetention;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.support.DaemonScheduler;

/**
 * The clusters whose audit events come by webhook or from a log file: their ingests,
 * webhook tokens and log tailers. Tailers are polled on one background thread; retention
 * runs hourly.
 */
public final class AuditReceivers implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(AuditReceivers.class);

	/** Whether a webhook request may deliver to a cluster. */
	public enum Access {

		ALLOWED, UNKNOWN_CLUSTER, CLOSED, UNAUTHORIZED

	}

	private final Map<String, AuditIngest> ingests = new LinkedHashMap<>();

	private final Map<String, byte[]> tokens = new LinkedHashMap<>();

	private final Map<String, AuditLogTailer> tailers = new LinkedHashMap<>();

	/** Per cluster, the last webhook batch that held no usable event. */
	private final Map<String, AuditDataQuality.UnusableBatch> unusableBatches = new ConcurrentHashMap<>();

	private final AuditRollupQueries queries;

	private final AuditRollupRetention retention;

	private final AuditIngestProperties properties;

	private final Clock clock;

	private ScheduledExecutorService executor;

	/**
	 * One thread per followed file: a backlog on one cluster does not hold up the others.
	 */
	private final List<ScheduledExecutorService> tailerThreads = new ArrayList<>();

	public AuditReceivers(ClusterProperties clusters, AuditRollupWriter writer, AuditRollupQueries queries,
			AuditRollupRetention retention, AuditIngestProperties properties, Clock clock) {
		this.queries = queries;
		this.retention = retention;
		this.properties = properties;
		this.clock = clock;
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			ClusterProperties.Audit audit = entry.audit();
			if (audit == null || !audit.configured()) {
				continue;
			}
			AuditIngest ingest = new AuditIngest(entry.name(), writer,
					AuditStream.Limits.defaults().withRetention(properties.retention()), properties.remember(),
					properties.maxWaitingBatches(), clock);
			this.ingests.put(entry.name(), ingest);
			if (audit.webhookOpen()) {
				this.tokens.put(entry.name(), audit.webhookToken().getBytes(StandardCharsets.UTF_8));
			}
			if (audit.logPath() != null) {
				this.tailers.put(entry.name(), new AuditLogTailer(entry.name(), audit.logPath(), ingest, writer,
						(int) properties.chunk().toBytes(), clock));
			}
		}
	}

	/** Clusters with a webhook or log file configured. */
	public boolean receives(String cluster) {
		return this.ingests.containsKey(cluster);
	}

	/** Checks a webhook request's bearer token in constant time. */
	public Access access(String cluster, String bearerToken) {
		if (!this.ingests.containsKey(cluster)) {
			return Access.UNKNOWN_CLUSTER;
		}
		byte[] expected = this.tokens.get(cluster);
		if (expected == null) {
			return Access.CLOSED;
		}
		byte[] given = (bearerToken != null) ? bearerToken.getBytes(StandardCharsets.UTF_8) : new byte[0];
		return MessageDigest.isEqual(expected, given) ? Access.ALLOWED : Access.UNAUTHORIZED;
	}

	public Optional<AuditIngest> ingest(String cluster) {
		return Optional.ofNullable(this.ingests.get(cluster));
	}

	public Optional<AuditLogTailer> tailer(String cluster) {
		return Optional.ofNullable(this.tailers.get(cluster));
	}

	public boolean webhookOpen(String cluster) {
		return this.tokens.containsKey(cluster);
	}

	/**
	 * The data-quality panel of a receiving cluster: input over the last 24 hours by
	 * arrival (a broken line has no event time), empty for other clusters.
	 */
	public Optional<SourceResult<AuditDataQuality>> quality(String cluster) {
		Instant now = this.clock.instant();
		TimeWindow window = new TimeWindow(now.minus(Duration.ofHours(AuditDataQuality.HOURS)), now);
		AuditIngest ingest = this.ingests.get(cluster);
		if (ingest == null) {
			return Optional.empty();
		}
		AuditLogTailer tailer = this.tailers.get(cluster);
		try {
			return Optional.of(SourceResult.ok(new AuditDataQuality(this.tokens.containsKey(cluster),
					this.queries.inputs(cluster, window), ingest.status(), (tailer != null) ? tailer.status() : null,
					this.unusableBatches.get(cluster))));
		}
		catch (DataAccessException ex) {
			return Optional.of(SourceResult.failed("Input counts could not be read: "
					+ SourceResult.firstLine(ex.getMostSpecificCause().getMessage())));
		}
	}

	/**
	 * Notes a webhook batch stored: one that held no usable event is remembered for the
	 * panel as the last such batch, with its most frequent problem (or, with none, why it
	 * held no event; {@code body} is then its sample); a usable one marks it followed.
	 */
	void webhookBatch(String cluster, AuditInputReport report, byte[] body) {
		if (report.events() > 0) {
			this.unusableBatches.computeIfPresent(cluster, (name, batch) -> batch.followed());
			return;
		}
		Optional<Map.Entry<String, Long>> biggest = report.problems()
			.entrySet()
			.stream()
			.max(Map.Entry.<String, Long>comparingByValue());
		String reason = biggest.map(Map.Entry::getKey)
			.orElse("it held no event (an empty items list, or a body with nothing in it)");
		String sample = biggest.isPresent() ? report.samples().get(reason)
				: AuditInputReport.sample(body, 0, body.length);
		this.unusableBatches.put(cluster, new AuditDataQuality.UnusableBatch(this.clock.instant(), reason,
				(sample == null || sample.isEmpty()) ? null : sample, true));
	}

	/**
	 * Reads every followed log file once (the background thread does this every poll
	 * interval).
	 */
	public void pollAll() {
		this.tailers.values().forEach(AuditLogTailer::poll);
	}

	/**
	 * Counts the waiting requests of every cluster whose input went quiet
	 * (cpdoctor.audit.finish-after): a finished log's last requests count, not never.
	 */
	void finishQuiet() {
		this.ingests.forEach((cluster, ingest) -> {
			try {
				if (ingest.finishIfQuiet(this.properties.finishAfter(),
						this.tailers.containsKey(cluster) ? "file" : "webhook")) {
					log.info("Audit input of cluster '{}' quiet for {}: its waiting requests are counted", cluster,
							this.properties.finishAfter());
				}
			}
			catch (RuntimeException ex) {
				log.warn("Counting the waiting requests of cluster '{}' failed", cluster, ex);
			}
		});
	}

	void retention() {
		try {
			int deleted = this.retention.deleteBefore(this.clock.instant().minus(this.properties.retention()));
			if (deleted > 0) {
				log.info("Audit rollup retention removed {} minute rows older than {}", deleted,
						this.properties.retention());
			}
		}
		catch (RuntimeException ex) {
			log.warn("Audit rollup retention failed", ex);
		}
	}

	@Override
	public synchronized void start() {
		if (this.executor != null || this.ingests.isEmpty()) {
			return;
		}
		this.executor = DaemonScheduler.singleThread("audit-retention");
		long poll = this.properties.pollInterval().toMillis();
		this.tailers.forEach((cluster, tailer) -> {
			ScheduledExecutorService thread = DaemonScheduler.singleThread("audit-log-" + cluster);
			thread.scheduleWithFixedDelay(tailer::poll, 0, poll, TimeUnit.MILLISECONDS);
			this.tailerThreads.add(thread);
		});
		this.executor.scheduleWithFixedDelay(this::retention, 1, 60, TimeUnit.MINUTES);
		this.executor.scheduleWithFixedDelay(this::finishQuiet, 1, 1, TimeUnit.MINUTES);
	}

	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			this.tailerThreads.forEach((thread) -> DaemonScheduler.stopGracefully(thread, Duration.ofSeconds(30)));
			this.tailerThreads.clear();
			DaemonScheduler.stopGracefully(this.executor, Duration.ofSeconds(30));
			this.executor = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
