package dev.cpdoctor.web;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMaintenance;
import dev.cpdoctor.analysis.etcd.EtcdMaintenanceAdvice;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourceResult;

/**
 * The direct-etcd panels of the etcd page, the JSON API and the guide: a self-managed
 * cluster's etcd members, alarms and space by key prefix (cpdoctor.clusters[].etcd), and
 * the maintenance advice drawn from them. A source that throws anyway fails its panel,
 * never the page.
 */
final class EtcdDirectPanels {

	private final EtcdDirectSource source;

	private final MaintenanceThresholds thresholds;

	EtcdDirectPanels(EtcdDirectSource source, MaintenanceThresholds thresholds) {
		this.source = source;
		this.thresholds = thresholds;
	}

	/**
	 * Whether the cluster's etcd is read directly at all: without, its panels are left
	 * out.
	 */
	boolean configured(Cluster cluster) {
		try {
			return this.source.configured(cluster);
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	Panel<EtcdClusterStatus> status(Cluster cluster) {
		return guarded(() -> this.source.status(cluster), "reading etcd's status");
	}

	/** The last scan, or a first one now. */
	Panel<KeyspaceUsage> keyspace(Cluster cluster) {
		return guarded(() -> this.source.keyspace(cluster), "the keyspace scan");
	}

	/** A new scan (shared with whoever asks while it runs). */
	Panel<KeyspaceUsage> refresh(Cluster cluster) {
		return guarded(() -> this.source.refreshKeyspace(cluster), "the keyspace scan");
	}

	EtcdMaintenanceAdvice advice(EtcdClusterStatus status) {
		return EtcdMaintenance.advise(status, this.thresholds);
	}

	private static <T> Panel<T> guarded(java.util.function.Supplier<SourceResult<T>> call, String what) {
		try {
			return Panel.of(call.get());
		}
		catch (RuntimeException ex) {
			return Panel.failed(what + " failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + SourceResult.firstLine(ex.getMessage()) : ""));
		}
	}

}
