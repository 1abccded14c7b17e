package dev.cpdoctor.source;

import java.util.function.Predicate;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;

/**
 * Asks one source for the clusters a predicate picks (the demo) and another for the rest,
 * so the pages and the guide read every cluster's etcd through the same interface. Closes
 * both.
 */
public final class RoutedEtcdDirectSource implements EtcdDirectSource, AutoCloseable {

	private final Predicate<Cluster> picks;

	private final EtcdDirectSource picked;

	private final EtcdDirectSource others;

	public RoutedEtcdDirectSource(Predicate<Cluster> picks, EtcdDirectSource picked, EtcdDirectSource others) {
		this.picks = picks;
		this.picked = picked;
		this.others = others;
	}

	private EtcdDirectSource of(Cluster cluster) {
		return this.picks.test(cluster) ? this.picked : this.others;
	}

	@Override
	public boolean configured(Cluster cluster) {
		return of(cluster).configured(cluster);
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return of(cluster).status(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return of(cluster).keyspace(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		return of(cluster).refreshKeyspace(cluster);
	}

	@Override
	public void close() throws Exception {
		for (EtcdDirectSource source : new EtcdDirectSource[] { this.picked, this.others }) {
			if (source instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

}
