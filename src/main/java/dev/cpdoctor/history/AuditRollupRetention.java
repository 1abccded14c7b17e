package dev.cpdoctor.history;

import java.time.Duration;
import java.time.Instant;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the audit rollups bounded: rollups and input counts before a cut, rows an older
 * version left in audit_pending, webhook digests after two days. The waiting-request log
 * needs none: its folds keep it to the requests still waiting, and those are counted
 * within hours.
 */
public final class AuditRollupRetention {

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private static final String NOT_IMPORTED = " and cluster not in (select cluster from audit_import)";

	public AuditRollupRetention(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Deletes, in one transaction, what is older than {@code before} (webhook digests:
	 * older than two days); answers the minute rows deleted.
	 */
	public int deleteBefore(Instant before) {
		return this.transactions.execute((status) -> {
			// Imported logs are kept until the user deletes them (AuditImports.delete).
			int minutes = this.jdbc.update("delete from audit_cells where at_minute < ?" + NOT_IMPORTED,
					EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_input where at_hour < ?" + NOT_IMPORTED, EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_pending where request_received < ?" + NOT_IMPORTED,
					EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_batch where received_at < ?",
					EtcdHistory.timestamp(Instant.now().minus(Duration.ofDays(2))));
			return minutes;
		});
	}

}
