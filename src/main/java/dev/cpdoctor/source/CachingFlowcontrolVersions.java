package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's discovery answer: the served versions change only with an upgrade,
 * so an answer is kept long; a failure briefly, so an apiserver that is struggling is not
 * asked again by everyone generating a remedy during the incident. Concurrent requests
 * for the same cluster share one call.
 */
public final class CachingFlowcontrolVersions implements FlowcontrolVersions {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofMinutes(10), Duration.ofSeconds(30));
		}

	}

	private final FlowcontrolVersions delegate;

	private final SourceResultCache<String> cache;

	public CachingFlowcontrolVersions(FlowcontrolVersions delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("flowcontrol-discovery"));
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the delegate's calls
	 */
	CachingFlowcontrolVersions(FlowcontrolVersions delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.cache = new SourceResultCache<>(ttl.answer(), ttl.failure(), ticker, calls);
	}

	@Override
	public SourceResult<List<String>> served(Cluster cluster) {
		return this.cache.get(cluster.name(), () -> this.delegate.served(cluster), "discovery failed");
	}

}
