package dev.cpdoctor.source;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;

/**
 * A self-managed cluster's etcd, read directly (cpdoctor.clusters[].etcd). Read-only:
 * status, alarms, /metrics and range reads; nothing is ever written, compacted,
 * defragmented or disarmed. Every answer is a value: an unreachable member or a refused
 * certificate is a failure to show.
 */
public interface EtcdDirectSource {

	/**
	 * Whether the cluster has etcd endpoints configured; the others answer with a failure
	 * saying so.
	 */
	boolean configured(Cluster cluster);

	/** Every member's status, the alarms, and each member's /metrics where reachable. */
	SourceResult<EtcdClusterStatus> status(Cluster cluster);

	/**
	 * Space by key prefix and namespace: the last scan, or a first one now when there is
	 * none.
	 */
	SourceResult<KeyspaceUsage> keyspace(Cluster cluster);

	/** A new scan; while one runs for the cluster, everyone asking shares it. */
	SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster);

}
