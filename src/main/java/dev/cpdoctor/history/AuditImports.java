package dev.cpdoctor.history;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit logs imported into each cluster (audit_import): what each import took, and
 * which clusters keep their audit rows until the user deletes them.
 */
public class AuditImports {

	/** One import's report as stored. */
	public record Import(String cluster, Instant importedAt, String forms, long events, long requests, long duplicates,
			long rejected, Instant firstReceived, Instant lastReceived) {
	}

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	public AuditImports(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	public void record(Import done) {
		this.jdbc.update(
				"insert into audit_import (cluster, imported_at, forms, events, requests, duplicates, rejected,"
						+ " first_received, last_received) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
				done.cluster(), EtcdHistory.timestamp(done.importedAt()), cut(done.forms()), done.events(),
				done.requests(), done.duplicates(), done.rejected(), timestamp(done.firstReceived()),
				timestamp(done.lastReceived()));
	}

	/** The cluster's imports, newest first. */
	public List<Import> of(String cluster) {
		return this.jdbc.query(
				"select cluster, imported_at, forms, events, requests, duplicates, rejected, first_received,"
						+ " last_received from audit_import where cluster = ? order by imported_at desc, id desc",
				(rs, n) -> new Import(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
						rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
						instant(rs.getObject(8, OffsetDateTime.class)), instant(rs.getObject(9, OffsetDateTime.class))),
				cluster);
	}

	/** The clusters with an import: their audit rows are kept past the retention. */
	public List<String> clusters() {
		return this.jdbc.queryForList("select distinct cluster from audit_import order by cluster", String.class);
	}

	/**
	 * Deletes everything audit of the cluster (its imports, rollups, input counts,
	 * waiting and counted requests) in one transaction; answers the minute rows deleted.
	 */
	public int delete(String cluster) {
		return this.transactions.execute((status) -> {
			int minutes = this.jdbc.update("delete from audit_cells where cluster = ?", cluster);
			for (String table : List.of("audit_input", "audit_pending", "audit_pending_log", "audit_batch",
					"audit_counted", "audit_stream", "audit_import")) {
				this.jdbc.update("delete from " + table + " where cluster = ?", cluster);
			}
			return minutes;
		});
	}

	private static String cut(String text) {
		return (text.length() <= 200) ? text : text.substring(0, 200);
	}

	private static OffsetDateTime timestamp(Instant instant) {
		return (instant != null) ? EtcdHistory.timestamp(instant) : null;
	}

	private static Instant instant(OffsetDateTime at) {
		return (at != null) ? at.toInstant() : null;
	}

}
