package dev.cpdoctor.analysis.etcd;

import java.util.List;

/**
 * What one member's own /metrics says (self-managed etcd only), as
 * {@code analysis.metrics.EtcdMemberMetrics} reads it. Each value is null when the family
 * is absent.
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

}
