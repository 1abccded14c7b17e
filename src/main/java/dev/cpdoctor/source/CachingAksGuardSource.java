package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's answer about the AKS guard FlowSchema for a minute (a failure
 * briefly), so everyone looking at the guide during an incident costs the apiserver one
 * LIST per minute. Concurrent requests for the same cluster share one read.
 */
public final class CachingAksGuardSource implements AksGuardSource {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofSeconds(60), Duration.ofSeconds(15));
		}

	}

	private final AksGuardSource delegate;

	private final SourceResultCache<String> cache;

	public CachingAksGuardSource(AksGuardSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("aks-guard-source"));
	}

	CachingAksGuardSource(AksGuardSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.cache = new SourceResultCache<>(ttl.answer(), ttl.failure(), ticker, calls);
	}

	@Override
	public SourceResult<Guard> guard(Cluster cluster) {
		return this.cache.get(cluster.name(), () -> this.delegate.guard(cluster), "reading the FlowSchemas failed");
	}

}
