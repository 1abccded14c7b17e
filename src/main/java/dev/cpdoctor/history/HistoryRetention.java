package dev.cpdoctor.history;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.support.DaemonScheduler;

/**
 * Keeps history bounded: deletes samples past the retention and thins samples past
 * downsample-after to the last one of each step. Kept samples keep their values, so
 * counter increases (APF rejections, requests) between kept samples stay exact; only
 * resolution is lost. Exempt clusters (the demo's fixed scenario, offline clusters whose
 * uploads are all they have) are left alone. The dashboard's own calls are deleted past
 * their own retention (cpdoctor.own-calls.retention), of every cluster: exempt clusters
 * have none (the demo's are generated, offline clusters are never called).
 */
public final class HistoryRetention implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(HistoryRetention.class);

	/**
	 * What one run removed.
	 *
	 * @param deleted samples past the retention
	 * @param downsampled samples thinned
	 * @param callsDeleted own calls past their retention
	 */
	public record Result(int deleted, int downsampled, int callsDeleted) {
	}

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate transactions;

	private final HistoryProperties properties;

	private final Predicate<String> exempt;

	private final Clock clock;

	private final OwnCallStore ownCalls;

	private final Duration callRetention;

	private ScheduledExecutorService executor;

	public HistoryRetention(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions,
			HistoryProperties properties, Predicate<String> exempt, OwnCallStore ownCalls, Duration callRetention,
			Clock clock) {
		this.ownCalls = ownCalls;
		this.callRetention = callRetention;
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.transactions = transactions;
		this.properties = properties;
		this.exempt = exempt;
		this.clock = clock;
	}

	public Result run(Instant now) {
		Instant deleteBefore = now.minus(this.properties.retention());
		Instant thinBefore = now.minus(this.properties.downsampleAfter());
		record Row(long id, String cluster, Instant at) {
		}
		List<Row> old = this.jdbc.sql(
				"select id, cluster, sampled_at from etcd_sample where sampled_at < ? order by cluster, sampled_at, id")
			.param(EtcdHistory.timestamp(thinBefore))
			.query((rs, n) -> new Row(rs.getLong(1), rs.getString(2),
					rs.getObject(3, OffsetDateTime.class).toInstant()))
			.list();
		long step = this.properties.downsampleTo().toMillis();
		List<Long> expired = new ArrayList<>();
		List<Long> thinned = new ArrayList<>();
		for (int i = 0; i < old.size(); i++) {
			Row row = old.get(i);
			if (this.exempt.test(row.cluster())) {
				continue;
			}
			if (row.at().isBefore(deleteBefore)) {
				expired.add(row.id());
				continue;
			}
			Row next = (i + 1 < old.size()) ? old.get(i + 1) : null;
			boolean lastOfStep = next == null || !next.cluster().equals(row.cluster())
					|| Math.floorDiv(next.at().toEpochMilli(), step) != Math.floorDiv(row.at().toEpochMilli(), step);
			if (!lastOfStep) {
				thinned.add(row.id());
			}
		}
		this.transactions.executeWithoutResult((status) -> {
			delete(expired);
			delete(thinned);
		});
		if (!expired.isEmpty() || !thinned.isEmpty()) {
			log.info("History retention: deleted {} samples older than {}, thinned {} older than {}", expired.size(),
					this.properties.retention(), thinned.size(), this.properties.downsampleAfter());
		}
		int calls = this.ownCalls.deleteBefore(now.minus(this.callRetention));
		if (calls > 0) {
			log.info("History retention: deleted {} own calls older than {}", calls, this.callRetention);
		}
		return new Result(expired.size(), thinned.size(), calls);
	}

	/**
	 * Children first, so this does not depend on the database honouring on delete
	 * cascade.
	 */
	private void delete(List<Long> ids) {
		for (String table : new String[] { "etcd_object_count", "etcd_member_size", "apf_rejection",
				"request_count" }) {
			this.jdbcTemplate.batchUpdate("delete from " + table + " where sample_id = ?", ids, 500,
					(ps, id) -> ps.setLong(1, id));
		}
		this.jdbcTemplate.batchUpdate("delete from etcd_sample where id = ?", ids, 500, (ps, id) -> ps.setLong(1, id));
	}

	@Override
	public synchronized void start() {
		this.executor = DaemonScheduler.singleThread("history-retention");
		long interval = this.properties.cleanupInterval().toMillis();
		this.executor.scheduleWithFixedDelay(() -> {
			try {
				run(this.clock.instant());
			}
			catch (RuntimeException ex) {
				log.warn("History retention failed; next try in {}", this.properties.cleanupInterval(), ex);
			}
		}, Math.min(interval, 60_000), interval, TimeUnit.MILLISECONDS);
	}

	/** Lets a running clean-up finish (bounded), then stops. */
	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			ScheduledExecutorService stopping = this.executor;
			this.executor = null;
			DaemonScheduler.stopGracefully(stopping, Duration.ofSeconds(10));
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
