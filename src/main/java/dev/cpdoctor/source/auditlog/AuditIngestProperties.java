package dev.cpdoctor.source.auditlog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.audit.CountedRequests;

/**
 * How audit events from webhooks and log files are taken in, prefix
 * {@code cpdoctor.audit}.
 *
 * @param retention how long per-minute rollups are kept
 * @param maxBatch the largest webhook body accepted (413 beyond)
 * @param maxWaitingBatches webhook batches of one cluster that may wait while one is
 * stored; more get 429
 * @param pollInterval how often log files are checked for new lines
 * @param chunk the most bytes of a log file read and stored per transaction (and the
 * longest line)
 * @param rememberRequests how long after the newest event time a counted request is
 * remembered, so that its late or repeated events count nothing (at least the 2 hours a
 * long-running request may wait); a later event of it is refused
 * @param rememberInMemory the memory per cluster for remembered requests (8 bytes each
 * with room to spare); beyond it they are read back from the database as needed
 * @param finishAfter when a cluster's audit input has been quiet this long (a log file
 * that stopped growing, a silent webhook), its requests still waiting for their
 * completion are counted without latency
 * @param maxImport the most bytes an imported log may hold once expanded (gzip): a gzip
 * bomb is refused (413), not taken until memory or disk runs out
 */
@ConfigurationProperties("cpdoctor.audit")
public record AuditIngestProperties(@DefaultValue("30d") Duration retention, @DefaultValue("64MB") DataSize maxBatch,
		@DefaultValue("4") int maxWaitingBatches, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("32MB") DataSize chunk, @DefaultValue("3h") Duration rememberRequests,
		@DefaultValue("64MB") DataSize rememberInMemory, @DefaultValue("100GB") DataSize maxImport,
		@DefaultValue("10m") Duration finishAfter) {

	public AuditIngestProperties {
		if (maxWaitingBatches < 0) {
			throw new IllegalArgumentException("cpdoctor.audit.max-waiting-batches must be 0 or more");
		}
		if (rememberRequests.compareTo(Duration.ofHours(2)) < 0) {
			throw new IllegalArgumentException("cpdoctor.audit.remember-requests must be at least 2h (a watch waits"
					+ " up to 2h for its end), got " + rememberRequests);
		}
		if (rememberInMemory.toBytes() < 1024 * 1024) {
			throw new IllegalArgumentException(
					"cpdoctor.audit.remember-in-memory must be at least 1MB, got " + rememberInMemory);
		}
		if (chunk.toBytes() < 64 * 1024 || chunk.toBytes() > 256L * 1024 * 1024) {
			throw new IllegalArgumentException("cpdoctor.audit.chunk must be between 64KB and 256MB, got " + chunk);
		}
	}

	/** What the cluster's stream remembers of the requests it counted. */
	public CountedRequests.Limits remember() {
		return new CountedRequests.Limits(this.rememberRequests, this.rememberInMemory.toBytes() / Long.BYTES);
	}

}
