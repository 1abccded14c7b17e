package dev.cpdoctor.source.auditlog;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

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
 */
@ConfigurationProperties("cpdoctor.audit")
public record AuditIngestProperties(@DefaultValue("30d") Duration retention, @DefaultValue("64MB") DataSize maxBatch,
		@DefaultValue("4") int maxWaitingBatches, @DefaultValue("1s") Duration pollInterval,
		@DefaultValue("32MB") DataSize chunk) {

	public AuditIngestProperties {
		if (maxWaitingBatches < 0) {
			throw new IllegalArgumentException("cpdoctor.audit.max-waiting-batches must be 0 or more");
		}
		if (chunk.toBytes() < 64 * 1024 || chunk.toBytes() > 256L * 1024 * 1024) {
			throw new IllegalArgumentException("cpdoctor.audit.chunk must be between 64KB and 256MB, got " + chunk);
		}
	}

}
