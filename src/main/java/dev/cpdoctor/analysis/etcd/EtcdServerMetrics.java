package dev.cpdoctor.analysis.etcd;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.metrics.MetricSample;

/**
 * What one member's own /metrics says (self-managed etcd only). Each value is null when
 * the family is absent.
 *
 * @param endpoint where it was scraped
 * @param quotaBackendBytes etcd_server_quota_backend_bytes: --quota-backend-bytes in
 * force
 * @param dbTotalBytes etcd_mvcc_db_total_size_in_bytes
 * @param dbInUseBytes etcd_mvcc_db_total_size_in_use_in_bytes
 * @param currentRevision etcd_debugging_mvcc_current_revision
 * @param compactRevision etcd_debugging_mvcc_compact_revision; -1 when never compacted
 */
public record EtcdServerMetrics(String endpoint, Long quotaBackendBytes, Long dbTotalBytes, Long dbInUseBytes,
		Long currentRevision, Long compactRevision) {

	public static final String QUOTA = "etcd_server_quota_backend_bytes";

	public static final String DB_TOTAL = "etcd_mvcc_db_total_size_in_bytes";

	public static final String DB_IN_USE = "etcd_mvcc_db_total_size_in_use_in_bytes";

	public static final String CURRENT_REVISION = "etcd_debugging_mvcc_current_revision";

	public static final String COMPACT_REVISION = "etcd_debugging_mvcc_compact_revision";

	/** The families to ask the Prometheus parser for. */
	public static final List<String> FAMILIES = List.of(QUOTA, DB_TOTAL, DB_IN_USE, CURRENT_REVISION, COMPACT_REVISION);

	/**
	 * From the parsed samples; a family absent (older etcd, or a filtered endpoint) stays
	 * null.
	 */
	public static EtcdServerMetrics of(String endpoint, Collection<MetricSample> samples) {
		Map<String, Long> values = new java.util.HashMap<>();
		for (MetricSample sample : samples) {
			if (!Double.isNaN(sample.value()) && !Double.isInfinite(sample.value())) {
				values.put(sample.name(), (long) sample.value());
			}
		}
		return new EtcdServerMetrics(endpoint, values.get(QUOTA), values.get(DB_TOTAL), values.get(DB_IN_USE),
				values.get(CURRENT_REVISION), values.get(COMPACT_REVISION));
	}

}
