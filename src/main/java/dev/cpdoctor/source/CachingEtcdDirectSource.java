package dev.cpdoctor.source;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps what etcd said so that everyone looking costs etcd little. Status: kept a short while (a
 * failure shorter), concurrent askers share one read. Keyspace: the last scan is kept until someone
 * asks for a new one; one scan at a time per cluster, and whoever asks while it runs waits for that
 * same scan; a failed refresh does not replace a good scan. Nothing is read until someone asks (no polling).
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

	}

	private final EtcdDirectSource delegate;

	private final SourceResultCache<String> statuses;

	private final Executor calls;

	private final Map<String, Scans> scans = new ConcurrentHashMap<>();

	public CachingEtcdDirectSource(EtcdDirectSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("etcd-source"));
	}

	/**
	 * @param ticker measures the status answers' expiry (Caffeine's clock)
	 * @param calls runs the delegate's reads and scans
	 */
	CachingEtcdDirectSource(EtcdDirectSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
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
			if (scans.last != null) {
				return scans.last;
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
			scan = scans.running;
			if (scan == null) {
				CompletableFuture<SourceResult<KeyspaceUsage>> started = CompletableFuture.supplyAsync(() -> {
					try {
						return this.delegate.refreshKeyspace(cluster);
					}
					catch (RuntimeException ex) {
						return SourceResult.<KeyspaceUsage>failed("the keyspace scan failed: " + ex.getClass().getSimpleName());
					}
				}, this.calls);
				scans.running = started;
				scan = started;
				// may run at once, in this thread, when the scan is already over
				started.whenComplete((result, ex) -> {
					synchronized (scans) {
						scans.last = kept(scans.last, result);
						if (scans.running == started) {
							scans.running = null;
						}
					}
				});
			}
		}
		return scan.join();
	}

	/**
	 * What a look shows after a scan: the new outcome, except that a failure does not replace a good
	 * scan - that stays, with the failure as a warning.
	 */
	private static SourceResult<KeyspaceUsage> kept(SourceResult<KeyspaceUsage> last,
			SourceResult<KeyspaceUsage> result) {
		if (result instanceof SourceResult.Failed<KeyspaceUsage> failed
				&& last instanceof SourceResult.Ok<KeyspaceUsage> good) {
			return new SourceResult.Ok<>(good.value(),
					java.util.List.of("the last refresh failed, this is the scan before it: " + failed.reason()));
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
