package dev.cpdoctor.source;

import java.util.List;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;

/**
 * Asks each cluster's etcd of the source that answers for it (the demo's scenario, the
 * jetcd client for the rest), so the pages and the guide read every cluster's etcd
 * through the same interface. A cluster no route is for is not read directly.
 */
public final class RoutedEtcdDirectSource implements EtcdDirectSource {

	private final List<ClusterRoute<EtcdDirectSource>> routes;

	public RoutedEtcdDirectSource(List<ClusterRoute<EtcdDirectSource>> routes) {
		this.routes = List.copyOf(routes);
	}

	@Override
	public boolean configured(Cluster cluster) {
		return ClusterRoute.find(this.routes, cluster).map((source) -> source.configured(cluster)).orElse(false);
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return ClusterRoute.find(this.routes, cluster)
			.map((source) -> source.status(cluster))
			.orElseGet(() -> notRead(cluster));
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return ClusterRoute.find(this.routes, cluster)
			.map((source) -> source.keyspace(cluster))
			.orElseGet(() -> notRead(cluster));
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		return ClusterRoute.find(this.routes, cluster)
			.map((source) -> source.refreshKeyspace(cluster))
			.orElseGet(() -> notRead(cluster));
	}

	private static <T> SourceResult<T> notRead(Cluster cluster) {
		return SourceResult.failed("The etcd of cluster '" + cluster.name() + "' is not read directly: configure"
				+ " cpdoctor.clusters[].etcd.endpoints (self-managed clusters only)");
	}

}
