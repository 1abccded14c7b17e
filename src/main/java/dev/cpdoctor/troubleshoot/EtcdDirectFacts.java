package dev.cpdoctor.troubleshoot;

import java.time.Instant;
import java.util.Objects;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.source.SourceResult;

/**
 * What cause 2 learns from reading a self-managed cluster's etcd directly
 * (cpdoctor.clusters[].etcd): the members and alarms, and the space by key prefix. Each
 * may have failed; a failure is evidence. etcd is read as it is now: for a window that
 * ended well before the read, they are not that window's facts, and cause 2 says so
 * instead of using them.
 *
 * @param windowEnd the end of the window judged; null when it is now
 */
public record EtcdDirectFacts(SourceResult<EtcdClusterStatus> status, SourceResult<KeyspaceUsage> keyspace,
		Instant windowEnd) {

	public EtcdDirectFacts {
		Objects.requireNonNull(status, "status");
		Objects.requireNonNull(keyspace, "keyspace");
	}

}
