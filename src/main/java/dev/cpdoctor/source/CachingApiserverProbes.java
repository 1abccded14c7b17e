package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's probe answers for a short time (15 s by default), failures as long
 * as answers: during an incident everyone opening the guide must not add probes to a
 * struggling apiserver, yet what they see is fresh. Concurrent requests for the same
 * cluster share one call.
 */
public final class CachingApiserverProbes implements ApiserverProbeSource {

	public static final Duration DEFAULT_TTL = Duration.ofSeconds(15);

	private final ApiserverProbeSource delegate;

	private final AsyncCache<String, ApiserverProbes> cache;

	/** Runs the calls outside the cache's map lock. */
	private final Executor calls;

	public CachingApiserverProbes(ApiserverProbeSource delegate, Duration ttl) {
		this(delegate, ttl, Ticker.systemTicker(), Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "apiserver-probes");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the delegate's calls
	 */
	CachingApiserverProbes(ApiserverProbeSource delegate, Duration ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.calls = calls;
		this.cache = Caffeine.newBuilder().ticker(ticker).maximumSize(1_000).expireAfterWrite(ttl).buildAsync();
	}

	@Override
	public ApiserverProbes probes(Cluster cluster) {
		return this.cache.get(cluster.name(), (name, executor) -> CompletableFuture.supplyAsync(() -> {
			try {
				return this.delegate.probes(cluster);
			}
			catch (RuntimeException ex) {
				String reason = "the probe failed: " + ex.getClass().getSimpleName();
				return new ApiserverProbes(
						ApiserverProbe.unanswered("/readyz", Outcome.NOT_A_PROBE_ANSWER, Instant.now(), Duration.ZERO,
								null, reason),
						ApiserverProbe.unanswered("/livez", Outcome.NOT_A_PROBE_ANSWER, Instant.now(), Duration.ZERO,
								null, reason));
			}
		}, this.calls)).join();
	}

}
