package dev.cpdoctor.history;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import dev.cpdoctor.analysis.audit.MinuteCell;

/**
 * Flyway's version 7, in Java because the rows are rewritten as {@link CellBlob}s: moves
 * the rows an older version kept one per series and minute (audit_minute, V3) into
 * audit_cells (V5), one new part per cluster and minute, and empties audit_minute, in
 * Flyway's transaction. Run once at start-up on H2 and PostgreSQL alike: Spring Boot's
 * Flyway auto-configuration picks it up as a JavaMigration bean (HistoryConfiguration); a
 * Flyway configured by hand needs it in {@code javaMigrations}.
 */
public final class MoveAuditMinuteRows implements JavaMigration {

	/** Minutes flushed per JDBC batch. */
	private static final int BATCH = 500;

	@Override
	public MigrationVersion getVersion() {
		return MigrationVersion.fromVersion("7");
	}

	@Override
	public String getDescription() {
		return "Move audit minute rows to cells";
	}

	@Override
	public Integer getChecksum() {
		return null;
	}

	@Override
	public boolean canExecuteInTransaction() {
		return true;
	}

	@Override
	public void migrate(Context context) {
		move(new JdbcTemplate(new SingleConnectionDataSource(context.getConnection(), true)));
	}

	/**
	 * Streams audit_minute in cluster and minute order (PostgreSQL's driver uses a cursor
	 * inside a transaction when given a fetch size; a month of rows is millions), each
	 * minute's cells becoming the next part of that minute.
	 */
	static void move(JdbcTemplate jdbc) {
		Minutes minutes = new Minutes(jdbc);
		jdbc.query((connection) -> {
			PreparedStatement select = connection.prepareStatement("select s.cluster, m.at_minute, m.series_id,"
					+ " m.requests, m.latency_count, m.latency_sum_ms, m.sketch from audit_minute m"
					+ " join audit_series s on s.id = m.series_id order by s.cluster, m.at_minute");
			select.setFetchSize(1_000);
			return select;
		}, (RowCallbackHandler) minutes::row);
		minutes.finish();
		jdbc.update("delete from audit_minute");
	}

	/** The rows streaming by, gathered a cluster's minute at a time. */
	private static final class Minutes {

		private final JdbcTemplate jdbc;

		private final List<Object[]> inserts = new ArrayList<>();

		private final Map<Long, MinuteCell> cells = new HashMap<>();

		private String cluster;

		private OffsetDateTime minute;

		Minutes(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		void row(ResultSet rs) throws SQLException {
			String rowCluster = rs.getString(1);
			OffsetDateTime rowMinute = rs.getObject(2, OffsetDateTime.class);
			if (!rowCluster.equals(this.cluster) || !rowMinute.isEqual(this.minute)) {
				flush();
				this.cluster = rowCluster;
				this.minute = rowMinute;
			}
			this.cells.computeIfAbsent(rs.getLong(3), (id) -> new MinuteCell())
				.merge(rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getBytes(7));
		}

		/** The minute gathered goes in after the parts it has already. */
		private void flush() {
			if (!this.cells.isEmpty()) {
				Integer part = this.jdbc.queryForObject(
						"select coalesce(max(part), -1) + 1 from audit_cells where cluster = ? and at_minute = ?",
						Integer.class, this.cluster, this.minute);
				this.inserts.add(new Object[] { this.cluster, this.minute, part, CellBlob.encode(this.cells) });
				this.cells.clear();
			}
			if (this.inserts.size() >= BATCH) {
				AuditRollupWriter.insertParts(this.jdbc, this.inserts);
				this.inserts.clear();
			}
		}

		void finish() {
			flush();
			AuditRollupWriter.insertParts(this.jdbc, this.inserts);
		}

	}

}
