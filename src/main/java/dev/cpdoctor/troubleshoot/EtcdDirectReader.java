package dev.cpdoctor.troubleshoot;

import java.util.function.Supplier;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMaintenance;
import dev.cpdoctor.analysis.etcd.EtcdMaintenanceAdvice;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * A self-managed cluster's etcd read directly (cpdoctor.clusters[].etcd), for cause 2,
 * the etcd page and the JSON API: members, alarms and space by key prefix, and the
 * maintenance advice drawn from them. A source that throws anyway fails its answer, never
 * the page.
 */
public final class EtcdDirectReader {

	private final EtcdDirectSource source;

	private final MaintenanceThresholds thresholds;

	public EtcdDirectReader(EtcdDirectSource source, MaintenanceThresholds thresholds) {
		this.source = source;
		this.thresholds = thresholds;
	}

	/**
	 * Whether the cluster's etcd is read directly at all: without, its panels are left
	 * out.
	 */
	public boolean configured(Cluster cluster) {
		try {
			return this.source.configured(cluster);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
		return guarded(() -> this.source.status(cluster), "reading etcd's status");
	}

	/** The last scan, or a first one now. */
	public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
		return guarded(() -> this.source.keyspace(cluster), "the keyspace scan");
	}

	/** A new scan (shared with whoever asks while it runs). */
	public SourceResult<KeyspaceUsage> refresh(Cluster cluster) {
		return guarded(() -> this.source.refreshKeyspace(cluster), "the keyspace scan");
	}

	public EtcdMaintenanceAdvice advice(EtcdClusterStatus status) {
		return EtcdMaintenance.advise(status, this.thresholds);
	}

	private static <T> SourceResult<T> guarded(Supplier<SourceResult<T>> call, String what) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			return SourceResult.failed(what + " failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + SourceResult.firstLine(ex.getMessage()) : ""));
		}
	}

}
