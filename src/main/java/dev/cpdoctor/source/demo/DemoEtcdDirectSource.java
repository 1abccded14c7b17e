package dev.cpdoctor.source.demo;

import java.util.function.Supplier;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * The demo cluster's etcd as if read directly: its scenario's members and keyspace scan,
 * made once (the scenario is deterministic, so a "scan again" finds the same). Other
 * clusters are not its.
 */
public final class DemoEtcdDirectSource implements EtcdDirectSource {

	private final Supplier<EtcdClusterStatus> status;

	private final Supplier<KeyspaceUsage> keyspace;

	public DemoEtcdDirectSource(DemoScenario scenario) {
		this.status = memo(scenario::etcdStatus);
		this.keyspace = memo(scenario::keyspace);
	}

	private static <T> Supplier<T> memo(Supplier<T> supplier) {
		return new Supplier<>() {

			private volatile T value;

			@Override
			public T get() {
				T v = this.value;
				if (v == null) {
					synchronized (this) {
						if (this.value == null) {
							this.value = supplier.get();
						}
						v = this.value;
					}
				}
				return v;
			}

		};
	}

	@Override
	public boolean configured(Cluster cluster) {
		return cluster.isDemo();
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return cluster.isDemo() ? SourceResult.ok(this.status.get()) : notDemo(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return cluster.isDemo() ? SourceResult.ok(this.keyspace.get()) : notDemo(cluster);
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		return keyspace(cluster);
	}

	private static <T> SourceResult<T> notDemo(Cluster cluster) {
		return SourceResult.failed("'" + cluster.name() + "' is not the demo cluster");
	}

}
