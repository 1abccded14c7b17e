package dev.cpdoctor.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * Etcd read directly, answering what a test chose: the clusters it set a status or a
 * keyspace for are the ones whose etcd is read directly.
 */
final class FakeEtcd implements EtcdDirectSource {

	final Map<String, SourceResult<EtcdClusterStatus>> status = new ConcurrentHashMap<>();

	final Map<String, SourceResult<KeyspaceUsage>> keyspace = new ConcurrentHashMap<>();

	final AtomicInteger refreshes = new AtomicInteger();

	@Override
	public boolean configured(Cluster cluster) {
		return this.status.containsKey(cluster.name()) || this.keyspace.containsKey(cluster.name());
	}

	@Override
	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return this.status.get(cluster.name());
	}

	@Override
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return this.keyspace.get(cluster.name());
	}

	@Override
	public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
		this.refreshes.incrementAndGet();
		return keyspace(cluster);
	}

	void clear() {
		this.status.clear();
		this.keyspace.clear();
	}

}
