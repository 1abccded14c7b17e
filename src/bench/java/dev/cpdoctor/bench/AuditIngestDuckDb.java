package dev.cpdoctor.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;

import static dev.cpdoctor.bench.AuditIngestBenchmark.BIN;
import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;

/**
 * DuckDB's side of the audit ingest benchmark: in this JVM (its memory is native, outside
 * the heap), threads = this machine's cores, an in-memory database: one CREATE TABLE from
 * read_json_auto on the file, then the three questions in SQL (count(DISTINCT auditID),
 * avg, quantile_cont). The driver load and the first connection are timed apart, not
 * charged.
 */
final class AuditIngestDuckDb {

	/** Not latency, as {@code AuditEvent.isLongRunning}. */
	static final String NOT_LONG_RUNNING = "stage = 'ResponseComplete' AND verb IS DISTINCT FROM 'watch' "
			+ "AND coalesce(subresource, '') NOT IN ('exec', 'attach', 'portforward', 'proxy', 'log')";

	static final String TOP_SQL = "SELECT userAgent, count(DISTINCT auditID) AS requests FROM events "
			+ "GROUP BY userAgent ORDER BY requests DESC, userAgent LIMIT " + TOP;

	/** The resource as ours names it: resource[.group][/subresource]. */
	private static final String QUALIFIED = "resource || CASE WHEN coalesce(apiGroup, '') = '' THEN '' ELSE '.' || apiGroup END "
			+ "|| CASE WHEN coalesce(subresource, '') = '' THEN '' ELSE '/' || subresource END";

	private AuditIngestDuckDb() {
	}

	/** A bin of question 2; userAgent null for "other". */
	record BinKey(String userAgent, long binMicros) {
	}

	/**
	 * DuckDB's answers; {@code p99Rank} is not timed: per "verb resource", the exact
	 * latency at rank floor(0.99 (n - 1)) of the sorted values, the order statistic a
	 * DDSketch quantile approximates (quantile_cont interpolates between it and the next
	 * one).
	 */
	record DuckResult(String failure, long startNanos, long loadNanos, long totalNanos, long[] queryNanos, long events,
			List<UserAgentRequests> top, Map<BinKey, Double> latency, String topUserAgent,
			List<VerbResourceLatency> p99, Map<String, Double> p99Rank) {

		static DuckResult failed(String why) {
			return new DuckResult(why, 0, 0, 0, new long[3], 0, List.of(), Map.of(), "", List.of(), Map.of());
		}

	}

	/** Loads the file and answers the three questions; a failure is a result too. */
	static DuckResult run(Path file, int cores) {
		long t0 = System.nanoTime();
		try {
			Class.forName("org.duckdb.DuckDBDriver");
		}
		catch (ClassNotFoundException ex) {
			return DuckResult.failed("org.duckdb:duckdb_jdbc is not on the classpath (run with -Pbench)");
		}
		try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
				Statement statement = connection.createStatement()) {
			statement.execute("SET threads = " + cores);
			try (ResultSet rs = statement.executeQuery("SELECT 1")) {
				rs.next();
			}
			long startNanos = System.nanoTime() - t0;
			long t1 = System.nanoTime();
			load(statement, file);
			long loadNanos = System.nanoTime() - t1;
			long[] queryNanos = new long[3];
			long q = System.nanoTime();
			List<UserAgentRequests> top = top(statement);
			queryNanos[0] = System.nanoTime() - q;
			q = System.nanoTime();
			Map<BinKey, Double> latency = latency(statement);
			queryNanos[1] = System.nanoTime() - q;
			q = System.nanoTime();
			String topUserAgent = top.isEmpty() ? "" : top.get(0).userAgent();
			List<VerbResourceLatency> p99 = p99(connection, topUserAgent);
			queryNanos[2] = System.nanoTime() - q;
			long totalNanos = System.nanoTime() - t1;
			long events = events(statement);
			Map<String, Double> p99Rank = p99Rank(connection, topUserAgent);
			return new DuckResult(null, startNanos, loadNanos, totalNanos, queryNanos, events, top, latency,
					topUserAgent, p99, p99Rank);
		}
		catch (SQLException | RuntimeException ex) {
			return DuckResult.failed(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	static void load(Statement statement, Path file) throws SQLException {
		String path = file.toAbsolutePath().toString().replace("'", "''");
		statement
			.execute("CREATE TABLE events AS SELECT auditID, stage, verb, userAgent, objectRef.resource AS resource, "
					+ "objectRef.apiGroup AS apiGroup, objectRef.subresource AS subresource, "
					+ "epoch_us(requestReceivedTimestamp::TIMESTAMP) AS received_us, "
					+ "epoch_us(stageTimestamp::TIMESTAMP) AS stage_us FROM read_json_auto('" + path + "')");
	}

	/** Question 1. */
	private static List<UserAgentRequests> top(Statement statement) throws SQLException {
		List<UserAgentRequests> top = new ArrayList<>();
		try (ResultSet rs = statement.executeQuery(TOP_SQL)) {
			while (rs.next()) {
				top.add(new UserAgentRequests(rs.getString(1), rs.getLong(2)));
			}
		}
		return top;
	}

	/** Question 2. */
	private static Map<BinKey, Double> latency(Statement statement) throws SQLException {
		Map<BinKey, Double> latency = new LinkedHashMap<>();
		String binMicros = BIN.toMillis() * 1000 + "";
		try (ResultSet rs = statement.executeQuery("WITH top AS (" + TOP_SQL + ") "
				+ "SELECT CASE WHEN userAgent IN (SELECT userAgent FROM top) THEN userAgent END AS ua, "
				+ "received_us // " + binMicros + " * " + binMicros + " AS bin, "
				+ "avg((stage_us - received_us) / 1000.0) AS avg_ms FROM events WHERE " + NOT_LONG_RUNNING
				+ " GROUP BY ALL ORDER BY ALL")) {
			while (rs.next()) {
				latency.put(new BinKey(rs.getString(1), rs.getLong(2)), rs.getDouble(3));
			}
		}
		return latency;
	}

	/** Question 3. */
	private static List<VerbResourceLatency> p99(Connection connection, String topUserAgent) throws SQLException {
		List<VerbResourceLatency> p99 = new ArrayList<>();
		try (PreparedStatement ps = connection.prepareStatement("SELECT coalesce(verb, '') AS verb, " + "coalesce("
				+ QUALIFIED + ", '') AS res, count(DISTINCT auditID) AS requests, " + "quantile_cont(CASE WHEN "
				+ NOT_LONG_RUNNING + " THEN (stage_us - received_us) / 1000.0 END, 0.99) "
				+ "AS p99 FROM events WHERE userAgent = ? GROUP BY ALL ORDER BY p99 DESC NULLS LAST, requests DESC")) {
			ps.setString(1, topUserAgent);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					double value = rs.getDouble(4);
					p99.add(new VerbResourceLatency(rs.getString(1), rs.getString(2), rs.wasNull() ? null : value,
							rs.getLong(3)));
				}
			}
		}
		return p99;
	}

	private static long events(Statement statement) throws SQLException {
		try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM events")) {
			rs.next();
			return rs.getLong(1);
		}
	}

	/** Per "verb resource", the exact latency at rank floor(0.99 (n - 1)); not timed. */
	private static Map<String, Double> p99Rank(Connection connection, String topUserAgent) throws SQLException {
		Map<String, Double> p99Rank = new HashMap<>();
		try (PreparedStatement ps = connection.prepareStatement("SELECT verb, res, "
				+ "list_sort(list(ms))[CAST(floor(0.99 * (count(*) - 1)) AS BIGINT) + 1] FROM (SELECT coalesce(verb, '') "
				+ "AS verb, coalesce(" + QUALIFIED
				+ ", '') AS res, (stage_us - received_us) / 1000.0 AS ms FROM events " + "WHERE userAgent = ? AND "
				+ NOT_LONG_RUNNING + ") GROUP BY ALL")) {
			ps.setString(1, topUserAgent);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					p99Rank.put(rs.getString(1) + " " + rs.getString(2), rs.getDouble(3));
				}
			}
		}
		return p99Rank;
	}

}
