package dev.cpdoctor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.history.AuditInputCount;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.history.MoveAuditMinuteRows;
import dev.cpdoctor.source.auditlog.AuditIngest;
import dev.cpdoctor.source.auditlog.AuditLogTailer;

import static dev.cpdoctor.bench.AuditIngestBenchmark.BIN;
import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;

/**
 * Our side of the audit ingest benchmark, the product's own path without Spring: the
 * log-file tailer reads the file in chunks, the cluster's AuditIngest counts each chunk
 * and stores it in an embedded H2 database (the default's settings, Flyway migrations
 * included) with its checkpoint, and the three questions are answered from the stored
 * rollups as the Audit pages do.
 */
final class AuditIngestOurs {

	private AuditIngestOurs() {
	}

	/**
	 * What our side answers; {@code approach} says how it got there.
	 *
	 * @param events events the parser kept
	 * @param problems rejected or repaired events by reason
	 * @param window the window the questions were asked on
	 * @param top question 1
	 * @param latency question 2 (the top user agents and "other")
	 * @param topUserAgent the user agent of question 3
	 * @param p99 question 3
	 * @param startNanos opening the database and migrating it (once per process in the
	 * product)
	 * @param chargedNanos from reading the file's first byte to the last answer
	 * @param retainedBytes heap in use after a full GC once answered, the tailer, the
	 * ingest (its counting memory) and the store (its caches) still alive: what the file
	 * left behind
	 */
	record OursResult(String approach, long events, Map<String, Long> problems, TimeWindow window,
			List<UserAgentRequests> top, List<UserAgentLatency> latency, String topUserAgent,
			List<VerbResourceLatency> p99, long startNanos, long chargedNanos, long retainedBytes) {
	}

	/** The whole of our side on the file, in a database of its own deleted afterwards. */
	static OursResult ingest(Path file) throws IOException {
		long started = System.nanoTime();
		Path dbDir = Files.createTempDirectory("audit-ingest-bench-db");
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dbDir.resolve("cpdoctor") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
		dataSource.setUser("cpdoctor");
		dataSource.setPassword("");
		try {
			Flyway.configure()
				.dataSource(dataSource)
				.locations("classpath:db/migration")
				.javaMigrations(new MoveAuditMinuteRows())
				.load()
				.migrate();
			SingleConnectionDataSource connection = new SingleConnectionDataSource(dataSource.getConnection(), true);
			OursResult result = ingestAndAnswer(file, connection, started);
			connection.destroy();
			return result;
		}
		catch (SQLException ex) {
			throw new IOException(ex);
		}
		finally {
			FileSystemUtils.deleteRecursively(dbDir);
		}
	}

	private static OursResult ingestAndAnswer(Path file, SingleConnectionDataSource connection, long started) {
		JdbcTemplate jdbc = new JdbcTemplate(connection);
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(connection));
		AuditRollupWriter store = new AuditRollupWriter(jdbc, transactions);
		AuditRollupQueries queries = new AuditRollupQueries(jdbc);
		Clock clock = Clock.systemUTC();
		AuditIngest ingest = new AuditIngest("bench", store, AuditStream.Limits.defaults(), 4, clock);
		AuditLogTailer tailer = new AuditLogTailer("bench", file, ingest, store, 32 * 1024 * 1024, clock);
		long ingestStart = System.nanoTime();
		tailer.poll();
		long ingestNanos = System.nanoTime() - ingestStart;
		if (tailer.status().lastError() != null) {
			throw new IllegalStateException(tailer.status().lastError());
		}
		TimeWindow coverage = queries.coverage("bench");
		if (coverage == null) {
			throw new IllegalStateException("no events stored from " + file);
		}
		TimeWindow window = aligned(coverage);
		List<UserAgentRequests> top = queries.userAgentBins("bench", window, window.length())
			.topUserAgents(window, TOP);
		List<UserAgentLatency> latency = queries.userAgentBins("bench", window, BIN).latencySeries(window, BIN, TOP);
		String topUserAgent = top.isEmpty() ? "" : top.get(0).userAgent();
		List<VerbResourceLatency> p99 = queries.verbsAndResources("bench", window, topUserAgent)
			.p99ByVerbAndResource(window, topUserAgent);
		long answered = System.nanoTime();
		System.gc();
		long retained = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		Reference.reachabilityFence(tailer);
		Reference.reachabilityFence(ingest);
		System.out.printf(
				"ours   ingest (tail, count, store) %.2f s, answers %.2f s: %,d rows of minute cells of %,d series stored%n",
				ingestNanos / 1e9, (answered - ingestStart - ingestNanos) / 1e9,
				jdbc.queryForObject("select count(*) from audit_cells", Long.class),
				jdbc.queryForObject("select count(*) from audit_series", Long.class));
		Map<String, Long> problems = new TreeMap<>();
		long kept = kept(queries, clock, problems);
		return new OursResult(
				"AuditLogTailer -> AuditIngest (AuditStream) -> H2 rollups -> the three questions from the database",
				kept, problems, window, top, latency, topUserAgent, p99, ingestStart - started, answered - ingestStart,
				retained);
	}

	/** The events the ingest kept; the others go to {@code problems} by outcome. */
	private static long kept(AuditRollupQueries queries, Clock clock, Map<String, Long> problems) {
		long kept = 0;
		for (AuditInputCount count : queries.inputs("bench",
				new TimeWindow(clock.instant().minusSeconds(86_400), clock.instant().plusSeconds(3_600)))) {
			if (AuditInputCount.KEPT.equals(count.outcome())) {
				kept += count.events();
			}
			else {
				problems.merge(count.outcome(), count.events(), Long::sum);
			}
		}
		return kept;
	}

	/**
	 * The coverage widened to whole bins, so ours and DuckDB's bins (epoch-aligned) are
	 * the same.
	 */
	static TimeWindow aligned(TimeWindow coverage) {
		long bin = BIN.toMillis();
		long from = Math.floorDiv(coverage.from().toEpochMilli(), bin) * bin;
		long to = -Math.floorDiv(-coverage.to().toEpochMilli(), bin) * bin;
		return new TimeWindow(Instant.ofEpochMilli(from), Instant.ofEpochMilli(to));
	}

}
