package dev.cpdoctor.source.etcd;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;

/**
 * Reading etcd directly, prefix {@code cpdoctor.etcd}; the endpoints and certificates are
 * per cluster (cpdoctor.clusters[].etcd).
 *
 * @param timeout every call: one member's status, the alarm list, one /metrics read, one
 * page of a scan
 * @param pageSize keys per range request of a keyspace scan; a page's values are held
 * while it is counted, so this bounds memory (500 Kubernetes objects are a few MB)
 * @param scanPagesPerSecond at most this many pages per second...
 * @param scanBytesPerSecond ... and at most this many value bytes per second: a scan of a
 * 2 GB keyspace takes minutes at the defaults, and a struggling etcd is not made to
 * struggle more
 * @param maxScanDuration a scan still running after this is given up
 * @param maxPageBytes the largest answer accepted for one page (gRPC inbound message
 * size)
 * @param statusTtl a status answer is reused this long, however many people look
 * @param defragInUseBelow advise defrag of a member whose in-use / total is below this
 * @param defragMinFree ... and that would give back at least this
 * @param compactionMaxPendingRevisions advise compaction above this many revisions since
 * the last one
 */
@ConfigurationProperties("cpdoctor.etcd")
public record EtcdProperties(@DefaultValue("5s") Duration timeout, @DefaultValue("500") int pageSize,
		@DefaultValue("20") double scanPagesPerSecond, @DefaultValue("8MB") DataSize scanBytesPerSecond,
		@DefaultValue("30m") Duration maxScanDuration, @DefaultValue("64MB") DataSize maxPageBytes,
		@DefaultValue("15s") Duration statusTtl, @DefaultValue("0.5") double defragInUseBelow,
		@DefaultValue("100MB") DataSize defragMinFree, @DefaultValue("1000000") long compactionMaxPendingRevisions) {

	public EtcdProperties {
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("cpdoctor.etcd.timeout must be positive, got " + timeout);
		}
		if (pageSize < 1 || pageSize > 10_000) {
			throw new IllegalArgumentException("cpdoctor.etcd.page-size must be 1..10000, got " + pageSize);
		}
		if (!(scanPagesPerSecond > 0) || scanBytesPerSecond.toBytes() <= 0) {
			throw new IllegalArgumentException(
					"cpdoctor.etcd.scan-pages-per-second and scan-bytes-per-second must be positive");
		}
		thresholds(defragInUseBelow, defragMinFree, compactionMaxPendingRevisions);
	}

	/** The defaults, for tests and for code that reads etcd without Spring. */
	public static EtcdProperties defaults() {
		return new EtcdProperties(Duration.ofSeconds(5), 500, 20, DataSize.ofMegabytes(8), Duration.ofMinutes(30),
				DataSize.ofMegabytes(64), Duration.ofSeconds(15), 0.5, DataSize.ofMegabytes(100), 1_000_000);
	}

	public MaintenanceThresholds thresholds() {
		return thresholds(this.defragInUseBelow, this.defragMinFree, this.compactionMaxPendingRevisions);
	}

	private static MaintenanceThresholds thresholds(double inUse, DataSize minFree, long pending) {
		return new MaintenanceThresholds(inUse, minFree.toBytes(), pending);
	}

	/** The same with another timeout and scan pacing (tests). */
	public EtcdProperties withScan(Duration timeout, int pageSize, double pagesPerSecond, DataSize bytesPerSecond) {
		return new EtcdProperties(timeout, pageSize, pagesPerSecond, bytesPerSecond, this.maxScanDuration,
				this.maxPageBytes, this.statusTtl, this.defragInUseBelow, this.defragMinFree,
				this.compactionMaxPendingRevisions);
	}

}
