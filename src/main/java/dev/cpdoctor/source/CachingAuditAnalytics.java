package dev.cpdoctor.source;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;

/**
 * Caches another audit source's answers by (cluster, question, absolute window,
 * parameters). Concurrent identical requests share one upstream query (the first loads,
 * the rest wait for it). A window that ended in the past does not change: it is kept
 * long. One that touches now is kept briefly. Failures are kept very briefly, so a
 * struggling workspace is not hammered by everyone looking at the same incident link.
 */
public final class CachingAuditAnalytics implements AuditAnalytics {

	/** How long the answers of each kind of window are kept. */
	public record Ttl(Duration pastWindow, Duration liveWindow, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofHours(6), Duration.ofSeconds(60), Duration.ofSeconds(15));
		}

	}

	private record Key(String cluster, String question, TimeWindow window, Object parameters) {
	}

	private record Entry(SourceResult<?> result, Duration ttl) {
	}

	private final AuditAnalytics delegate;

	private final AsyncCache<Key, Entry> cache;

	/**
	 * Runs the loads: a slow query never runs inside the cache's map lock (other keys go
	 * on).
	 */
	private final Executor loads;

	private static final Executor LOADS = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "audit-query");
		thread.setDaemon(true);
		return thread;
	});

	private final Clock clock;

	private final Ttl ttl;

	public CachingAuditAnalytics(AuditAnalytics delegate, Ttl ttl, long maxEntries, Clock clock) {
		this(delegate, ttl, maxEntries, clock, Ticker.systemTicker(), LOADS);
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param loads runs the loads; a test that moves the ticker runs them in line,
	 * because an entry's expiry is stamped when Caffeine handles the completed load,
	 * which may be after join() returns
	 */
	CachingAuditAnalytics(AuditAnalytics delegate, Ttl ttl, long maxEntries, Clock clock, Ticker ticker,
			Executor loads) {
		this.delegate = delegate;
		this.loads = loads;
		this.ttl = ttl;
		this.clock = clock;
		this.cache = Caffeine.newBuilder().ticker(ticker).maximumSize(maxEntries).expireAfter(new Expiry<Key, Entry>() {

			@Override
			public long expireAfterCreate(Key key, Entry entry, long currentTime) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
				return currentDuration;
			}

		}).buildAsync();
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		return cached(new Key(cluster.name(), "top", window, limit), window,
				() -> this.delegate.topUserAgents(cluster, window, limit));
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		return cached(new Key(cluster.name(), "latency", window, List.of(bin, topN)), window,
				() -> this.delegate.latency(cluster, window, bin, topN));
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		return cached(new Key(cluster.name(), "p99", window, userAgent), window,
				() -> this.delegate.p99ByVerbAndResource(cluster, window, userAgent));
	}

	@SuppressWarnings("unchecked")
	private <T> SourceResult<T> cached(Key key, TimeWindow window, Supplier<SourceResult<T>> load) {
		// One load per key; concurrent callers for the same key share its future.
		Entry entry = this.cache.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> {
			SourceResult<T> result = load.get();
			return new Entry(result, ttlFor(window, result));
		}, this.loads)).join();
		return (SourceResult<T>) entry.result();
	}

	private Duration ttlFor(TimeWindow window, SourceResult<?> result) {
		if (result instanceof SourceResult.Failed<?>) {
			return this.ttl.failure();
		}
		// Late-arriving audit events (ingestion lag) still land in a window that ended
		// minutes ago.
		boolean settled = window.to().isBefore(this.clock.instant().minus(Duration.ofMinutes(15)));
		return settled ? this.ttl.pastWindow() : this.ttl.liveWindow();
	}

}
