package dev.cpdoctor.source;

import java.time.Instant;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;

/**
 * etcd usage as the cloud provider reports it (AKS: the platform metric
 * etcd_database_usage_percentage), which works even when the apiserver does not answer.
 */
public interface PlatformEtcdUsage {

	/**
	 * @param at when the value was measured
	 * @param percent used share of the etcd quota, 0-100
	 * @param metric where it came from, shown on the gauge
	 */
	record Usage(Instant at, double percent, String metric) {
	}

	/** The newest value at or before the end of the window (looking back one hour). */
	SourceResult<Usage> latest(Cluster cluster, TimeWindow window);

}
