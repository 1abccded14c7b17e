package dev.cpdoctor.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;

/**
 * DuckDB's side of the audit import benchmark, in this JVM (its memory is native),
 * threads = this machine's cores, an in-memory database: the table of the audit ingest
 * benchmark ({@link AuditIngestDuckDb#load}: read_json_auto on the file, gzipped or not)
 * and {@code SELECT count(*)}, timed together; the driver load and first connection are
 * timed apart, not charged. Then, not timed, the top 10 user agents by requests, a
 * request being one auditID with one requestReceivedTimestamp, as the dashboard counts
 * them; a missing user agent is named "" as in the dashboard's JSON API.
 */
final class AuditImportDuckDb {

	static final String TOP_BY_REQUEST_SQL = "SELECT coalesce(userAgent, '') AS ua, "
			+ "count(DISTINCT (auditID, received_us)) AS requests FROM events GROUP BY ua "
			+ "ORDER BY requests DESC, ua LIMIT " + TOP;

	private AuditImportDuckDb() {
	}

	/**
	 * DuckDB on one file; {@code failure} says why when it could not run.
	 *
	 * @param nanos CREATE TABLE and count(*)
	 * @param events rows, one per audit event
	 * @param top the top 10 by requests, or empty when not asked for
	 */
	record Result(String file, String failure, long startNanos, long nanos, long events, List<UserAgentRequests> top,
			double loadBefore, double loadAfter) {

	}

	static Result run(Path file, int cores, boolean top) {
		double loadBefore = loadAverage();
		long t0 = System.nanoTime();
		try {
			Class.forName("org.duckdb.DuckDBDriver");
		}
		catch (ClassNotFoundException ex) {
			return new Result(file.toString(), "org.duckdb:duckdb_jdbc is not on the classpath (run with -Pbench)", 0,
					0, 0, List.of(), loadBefore, loadAverage());
		}
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
				Statement statement = connection.createStatement()) {
			statement.execute("SET threads = " + cores);
			long startNanos = System.nanoTime() - t0;
			long t1 = System.nanoTime();
			AuditIngestDuckDb.load(statement, file);
			long events;
			try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM events")) {
				rs.next();
				events = rs.getLong(1);
			}
			long nanos = System.nanoTime() - t1;
			double loadAfter = loadAverage();
			return new Result(file.toString(), null, startNanos, nanos, events, top ? top(statement) : List.of(),
					loadBefore, loadAfter);
		}
		catch (SQLException | RuntimeException ex) {
			return new Result(file.toString(), ex.getClass().getSimpleName() + ": " + ex.getMessage(), 0, 0, 0,
					List.of(), loadBefore, loadAverage());
		}
	}

	private static List<UserAgentRequests> top(Statement statement) throws SQLException {
		List<UserAgentRequests> top = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery(TOP_BY_REQUEST_SQL)) {
			while (rs.next()) {
				top.add(new UserAgentRequests(rs.getString(1), rs.getLong(2)));
			}
		}
		return top;
	}

}
