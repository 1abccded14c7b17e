package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps what etcd said so that everyone looking costs etcd little. Status: kept a short
 * while (a failure shorter), concurrent askers share one read. Keyspace: the last scan is
 * kept until someone asks for a new one; one scan at a time per cluster, and whoever asks
 * while it runs waits for that same scan, at most {@link #DEFAULT_WAIT}: then the scan
 * goes on in the background and the asker sees the scan before it, marked as such, or
 * that a first scan is running. A failed refresh does not replace a good scan. Nothing is
 * read until someone asks (no polling).
 */
public final class CachingEtcdDirectSource implements EtcdDirectSource, AutoCloseable {

	/** How long status answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl of(Duration answer) {
			return new Ttl(answer, (answer.compareTo(Duration.ofSeconds(5)) < 0) ? answer : Duration.ofSeconds(5));
		}

	}

	/** One cluster's scans: the last outcome, and the one running. */
	private static final class Scans {

		SourceResult<KeyspaceUsage> last;

		CompletableFuture<SourceResult<KeyspaceUsage>> running;

		Instant runningSince;

	}

	/**
	 * How long a page or the guide waits for a scan before it is shown as running (scans
	 * take minutes).
	 */
	public static final Duration DEFAULT_WAIT = Duration.ofSeconds(10);

	private final EtcdDirectSource delegate;

	private final SourceResultCache<String> statuses;

	private final Executor calls;

	private final Map<String, Scans> scans = new ConcurrentHashMap<>();

	private final Duration wait;

	public CachingEtcdDirectSource(EtcdDirectSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("etcd-source"));
	}

	/**
	 * @param ticker measures the status answers' expiry (Caffeine's clock)
	 * @param calls runs the delegate's reads and scans
	 */
	CachingEtcdDirectSource(EtcdDirectSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this(delegate, ttl, ticker, calls, DEFAULT_WAIT);
	}

	/**
	 * @param wait how long an asker waits for a running scan; then it goes on in the
	 * background
	 */
	CachingEtcdDirectSource(EtcdDirectSource delegate, Ttl ttl, Ticker ticker, Executor calls, Duration wait) {
		this.wait = wait;
		this.delegate = delegate;
		this.calls = calls;
		this.statuses = new SourceResultCache<>(ttl.answer(), ttl.failure(), ticker, calls);
	}

	@Override
	public boolean configured(Cluster cluster) {
		return this.delegate.configured(cluster);
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		if (!this.delegate.configured(cluster)) {
			return this.delegate.status(cluster);
		}
		return this.statuses.get(cluster.name(), () -> this.delegate.status(cluster), "reading etcd's status failed");
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		if (!this.delegate.configured(cluster)) {
			return this.delegate.keyspace(cluster);
		}
		Scans scans = this.scans.computeIfAbsent(cluster.name(), (name) -> new Scans());
		synchronized (scans) {
			settle(scans);
			if (scans.last != null) {
				return (scans.running != null) ? withRunning(scans.last, scans.runningSince) : scans.last;
			}
		}
		return refreshKeyspace(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		if (!this.delegate.configured(cluster)) {
			return this.delegate.refreshKeyspace(cluster);
		}
		Scans scans = this.scans.computeIfAbsent(cluster.name(), (name) -> new Scans());
		CompletableFuture<SourceResult<KeyspaceUsage>> scan;
		synchronized (scans) {
			settle(scans);
			scan = scans.running;
			if (scan == null) {
				CompletableFuture<SourceResult<KeyspaceUsage>> started = CompletableFuture.supplyAsync(() -> {
					try {
						return this.delegate.refreshKeyspace(cluster);
					}
					catch (RuntimeException ex) {
						return SourceResult
							.<KeyspaceUsage>failed("the keyspace scan failed: " + ex.getClass().getSimpleName());
					}
				}, this.calls);
				scans.running = started;
				scans.runningSince = Instant.now();
				scan = started;
				// may run at once, in this thread, when the scan is already over
				started.whenComplete((result, ex) -> {
					synchronized (scans) {
						settle(scans);
					}
				});
			}
		}
		return awaited(scans, scan);
	}

	/**
	 * The scan's outcome if it ends within the wait; else it goes on in the background
	 * and the asker gets the scan before it (or a failure when there is none) saying a
	 * scan is running: a page or the guide never waits minutes for a paced scan of a big
	 * keyspace.
	 */
	private SourceResult<KeyspaceUsage> awaited(Scans scans, CompletableFuture<SourceResult<KeyspaceUsage>> scan) {
		try {
			return scan.get(this.wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			synchronized (scans) {
				settle(scans);
				if (scans.running != scan) {
					return scan.join(); // ended just now
				}
				return (scans.last != null) ? withRunning(scans.last, scans.runningSince)
						: SourceResult.failed(running(scans.runningSince) + "; nothing was scanned before it");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return SourceResult.failed("interrupted while waiting for the keyspace scan");
		}
		catch (ExecutionException ex) {
			return SourceResult.failed("the keyspace scan failed: " + ex.getCause().getClass().getSimpleName());
		}
	}

	/**
	 * Keeps the outcome of a scan that has ended. Called under the scans' lock by the
	 * scan's completion and by every asker, so that an asker who got the outcome and asks
	 * again at once never finds the ended scan still marked running.
	 */
	private static void settle(Scans scans) {
		if (scans.running != null && scans.running.isDone()) {
			scans.last = kept(scans.last, scans.running.handle((result, ex) -> result).join());
			scans.running = null;
		}
	}

	private static SourceResult<KeyspaceUsage> withRunning(SourceResult<KeyspaceUsage> last, Instant since) {
		if (last instanceof SourceResult.Ok<KeyspaceUsage> ok) {
			List<String> warnings = new ArrayList<>(ok.warnings());
			warnings.add(running(since) + "; shown: the scan before it");
			return new SourceResult.Ok<>(ok.value(), warnings);
		}
		return SourceResult.failed(((SourceResult.Failed<KeyspaceUsage>) last).reason() + "; " + running(since));
	}

	private static String running(Instant since) {
		return "a keyspace scan started at " + since.truncatedTo(ChronoUnit.SECONDS)
				+ " is still running (paced: cpdoctor.etcd.scan-pages-per-second); it goes on in the background, look again later";
	}

	/**
	 * What a look shows after a scan: the new outcome, except that a failure does not
	 * replace a good scan - that stays, with the failure as a warning.
	 */
	private static SourceResult<KeyspaceUsage> kept(SourceResult<KeyspaceUsage> last,
			SourceResult<KeyspaceUsage> result) {
		if (result instanceof SourceResult.Failed<KeyspaceUsage> failed
				&& last instanceof SourceResult.Ok<KeyspaceUsage> good) {
			return new SourceResult.Ok<>(good.value(),
					List.of("the last refresh failed, this is the scan before it: " + failed.reason()));
		}
		return (result != null) ? result : last;
	}

	/** Closes the delegate's clients, if it has any. */
	@Override
	public void close() throws Exception {
		if (this.delegate instanceof AutoCloseable closeable) {
			closeable.close();
		}
	}

}
