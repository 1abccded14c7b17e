package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's managed cluster resource for ten minutes (a failure for one), so
 * the guide costs Azure Resource Manager one GET per cluster and period however many
 * people look: the SKU tier changes only when someone runs az aks update. Concurrent
 * requests for the same cluster share one read.
 */
public final class CachingAksManagedClusterSource implements AksManagedClusterSource {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofMinutes(10), Duration.ofMinutes(1));
		}

	}

	private final AksManagedClusterSource delegate;

	private final SourceResultCache<String> cache;

	public CachingAksManagedClusterSource(AksManagedClusterSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("aks-managed-cluster"));
	}

	CachingAksManagedClusterSource(AksManagedClusterSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.cache = new SourceResultCache<>(ttl.answer(), ttl.failure(), ticker, calls);
	}

	@Override
	public SourceResult<AksManagedCluster> managedCluster(Cluster cluster) {
		return this.cache.get(cluster.name(), () -> this.delegate.managedCluster(cluster),
				"reading the managed cluster from Azure failed");
	}

}
