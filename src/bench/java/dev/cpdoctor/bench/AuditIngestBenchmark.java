package dev.cpdoctor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.history.AuditInputCount;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.history.MoveAuditMinuteRows;
import dev.cpdoctor.source.auditlog.AuditIngest;
import dev.cpdoctor.source.auditlog.AuditLogTailer;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;
import static dev.cpdoctor.bench.BenchMachine.verdict;

/**
 * Audit log ingestion end to end (issue 5, "Performance"): a generated JSON-lines audit
 * log ({@link AuditLogGenerator}, 1 GiB by default) ingested and the three questions of
 * the Audit page answered, by ours, by DuckDB (JDBC, read_json_auto and SQL) and by jq
 * (top 10 user agents only), on the same file in the same run. Prints figures and
 * PASS/FAIL, asserts nothing: run it with {@code bench/audit-ingest.sh [SIZE]} (the Maven
 * profile {@code bench}, execution {@code audit-ingest-benchmark}, a JVM with -Xms512m
 * -Xmx512m).
 * <ul>
 * <li>The three questions, on the window of the file's minutes (5-minute aligned): 1. the
 * 10 user agents with the most requests, each auditID once; 2. average latency per user
 * agent in 5-minute bins for those 10 and the rest, over ResponseComplete events that are
 * not long-running (watch, pods/log, pods/exec, ... as {@code AuditEvent.isLongRunning});
 * 3. P99 latency and requests by verb and resource for the top user agent.</li>
 * <li>Ours: {@link #ingestOurs(Path)}, the whole of our side (read, parse, roll up,
 * store, answer), timed from reading the file's first byte to the last answer; opening
 * the database and its migrations, which the product does once at start, are timed apart
 * and not charged, as DuckDB's start-up is not. Its heap is watched through GC
 * notifications: the peak is the most heap in use when a collection started, the live set
 * the most left after one; the live set per quarter of the run tells whether it grows
 * with the input (then "under 512 MB" holds for small files only).</li>
 * <li>DuckDB: in this JVM (its memory is native, outside the heap), threads = this
 * machine's cores, an in-memory database: one CREATE TABLE from read_json_auto on the
 * file, then the three questions in SQL (count(DISTINCT auditID), avg, quantile_cont).
 * The driver load and the first connection are timed apart, not charged.</li>
 * <li>jq:
 * {@code jq -r 'select(.stage=="ResponseComplete") | .userAgent' FILE | sort | uniq -c | sort -rn
 * | head}, the wall time of the pipeline.</li>
 * <li>Answers are compared: the top 10 (user agent and count) of all three, the averages
 * of ours and DuckDB (1e-6 relative), P99 of ours within 1 % of DuckDB's exact
 * quantile_cont, requests per verb and resource exact. A mismatch is printed loudly.</li>
 * <li>For scale: {@code AuditEventParser.parseLines} alone on the file in 32 MiB chunks
 * as the tailer reads it, and a loop that reads the file and counts newlines,
 * single-threaded, in MB/s (1 MB = 10^6 bytes).</li>
 * <li>For information, not the target: ours and DuckDB run a second time in the same JVM.
 * The target is judged on the first runs; the second shows ours with its code compiled,
 * as in a dashboard that has been running for a while (the first run of ours spends much
 * of two cores on JIT compilation).</li>
 * </ul>
 * System properties: {@code bench.auditSize} (default 1GiB; 200m for a quick run),
 * {@code bench.auditLog} (a file to reuse, or to generate and keep; without it the file
 * goes to a temporary directory and is deleted).
 */
public final class AuditIngestBenchmark {

	static final Duration BIN = Duration.ofMinutes(5);

	static final int TOP = 10;

	static final long HEAP_TARGET = 512L * 1024 * 1024;

	private static final double MB = 1_000_000.0;

	private static final double MIB = 1024.0 * 1024.0;

	/** Where parsed events go in the parse-only run, so the JIT cannot drop them. */
	static volatile Object blackhole;

	private AuditIngestBenchmark() {
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

	/**
	 * The product's own path, without Spring: the log-file tailer reads the file in
	 * chunks, the cluster's AuditIngest counts each chunk and stores it in an embedded H2
	 * database (the default's settings, Flyway migrations included) with its checkpoint,
	 * and the three questions are answered from the stored rollups as the Audit pages do.
	 */
	static OursResult ingestOurs(Path file) throws IOException {
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
			List<UserAgentLatency> latency = queries.userAgentBins("bench", window, BIN)
				.latencySeries(window, BIN, TOP);
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
			connection.destroy();
			return new OursResult(
					"AuditLogTailer -> AuditIngest (AuditStream) -> H2 rollups -> the three questions from the database",
					kept, problems, window, top, latency, topUserAgent, p99, ingestStart - started,
					answered - ingestStart, retained);
		}
		catch (SQLException ex) {
			throw new IOException(ex);
		}
		finally {
			FileSystemUtils.deleteRecursively(dbDir);
		}
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

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		int cores = Runtime.getRuntime().availableProcessors();
		long size = AuditLogGenerator.parseSize(System.getProperty("bench.auditSize", "1GiB"));
		String given = System.getProperty("bench.auditLog", "");
		Path file;
		Path tempDir = null;
		System.out.printf(
				"%nAudit ingest benchmark (issue 5), %s %s, %d cores, max heap %,.0f MiB, %s, load average %.2f%n",
				System.getProperty("java.vm.name"), Runtime.version(), cores, Runtime.getRuntime().maxMemory() / MIB,
				gcNames(), loadAverage());
		if (!given.isBlank() && Files.exists(Path.of(given))) {
			file = Path.of(given);
			System.out.printf("log    %s (reused, not generated)%n", file);
		}
		else {
			if (given.isBlank()) {
				tempDir = Files.createTempDirectory("audit-ingest-bench");
				file = tempDir.resolve("audit.log");
			}
			else {
				file = Path.of(given);
			}
			AuditLogGenerator.Stats stats = AuditLogGenerator.generate(file, size, AuditLogGenerator.DEFAULT_SEED);
			System.out.printf("log    %s generated in %.1f s (%.0f MB/s): %,d lines, %,d requests (%,d long-running), "
					+ "%d user agents, %s .. %s; %.1f %% of requests have their next stage on the very next line%n",
					file, stats.nanos() / 1e9, stats.bytes() / MB / (stats.nanos() / 1e9), stats.lines(),
					stats.requests(), stats.longRunning(), stats.userAgents(), stats.first(), stats.last(),
					100.0 * stats.adjacentPairs() / stats.requests());
		}
		long bytes = Files.size(file);
		System.out.printf("       %,d bytes (%.2f GiB, %.0f MB)%n", bytes, bytes / MIB / 1024, bytes / MB);
		try {
			run(file, bytes, cores);
		}
		finally {
			if (tempDir != null) {
				Files.deleteIfExists(file);
				Files.deleteIfExists(tempDir);
			}
		}
		System.out.printf("%n(%.0f s in all; load average now %.2f: other work on the machine slows every tool)%n",
				(System.nanoTime() - started) / 1e9, loadAverage());
	}

	private static void run(Path file, long bytes, int cores) throws Exception {
		// Ours first, on a quiet heap, watched by GC notifications.
		HeapWatch heap = new HeapWatch();
		heap.start();
		long t0 = System.nanoTime();
		OursResult ours = null;
		String oursFailure = null;
		try {
			ours = ingestOurs(file);
		}
		catch (OutOfMemoryError ex) {
			oursFailure = "OutOfMemoryError: " + ex.getMessage();
		}
		long oursNanos = (ours != null) ? ours.chargedNanos() : System.nanoTime() - t0;
		heap.stop();

		// Ours again in this JVM, its code compiled now: a dashboard that has been
		// running a while.
		OursResult warm = (ours != null) ? ingestOurs(file) : null;

		// For scale: the parser alone, as the tailer calls it (32 MiB chunks), and a loop
		// that only finds line ends.
		t0 = System.nanoTime();
		AuditInputReport parseOnly = parseInChunks(file);
		long parseNanos = System.nanoTime() - t0;
		t0 = System.nanoTime();
		long lines = countLines(file);
		long newlineNanos = System.nanoTime() - t0;

		// DuckDB (twice: the second run has its file in the page cache as ours had) and
		// jq.
		DuckResult duck = duckdb(file, cores);
		DuckResult duckAgain = duckdb(file, cores);
		JqResult jq = jq(file);

		System.out.printf("%nTimes, end to end on the same file (events/s counts every line read; MB = 10^6 bytes)%n");
		System.out.printf("  %-44s %10s %14s %10s%n", "", "seconds", "events/s", "MB/s");
		if (ours != null) {
			row("ours: " + "read, parse, roll up, store, answer", oursNanos, ours.events(), bytes);
			System.out.printf("  %-44s %10.2f   (not charged: H2 open, Flyway migrations)%n", "  ours start-up",
					ours.startNanos() / 1e9);
			row("  ours again, same JVM (code compiled)", warm.chargedNanos(), warm.events(), bytes);
		}
		else {
			System.out.printf("  %-44s %10s   !!! %s after %.1f s%n", "ours: ingestOurs", "FAILED", oursFailure,
					oursNanos / 1e9);
		}
		if (duck.failure() == null) {
			row("DuckDB: load table + 3 queries", duck.totalNanos(), duck.events(), bytes);
			System.out.printf("  %-44s %10.2f%n", "  of which CREATE TABLE .. read_json_auto", duck.loadNanos() / 1e9);
			System.out.printf("  %-44s %10.2f   (top %.2f, latency %.2f, p99 %.2f)%n", "  of which the 3 queries",
					(duck.totalNanos() - duck.loadNanos()) / 1e9, duck.queryNanos()[0] / 1e9,
					duck.queryNanos()[1] / 1e9, duck.queryNanos()[2] / 1e9);
			System.out.printf("  %-44s %10.2f   (not charged: driver, native library, first connection)%n",
					"  DuckDB start-up", duck.startNanos() / 1e9);
			if (duckAgain.failure() == null) {
				row("  DuckDB again", duckAgain.totalNanos(), duckAgain.events(), bytes);
			}
		}
		else {
			System.out.printf("  %-44s %10s   !!! %s%n", "DuckDB", "FAILED", duck.failure());
		}
		if (jq.failure() == null) {
			row("jq | sort | uniq -c | sort (top 10 only)", jq.nanos(), lines, bytes);
		}
		else {
			System.out.printf("  %-44s %10s   !!! %s%n", "jq", "FAILED", jq.failure());
		}
		System.out.printf("  for scale, single-threaded, this JVM:%n");
		row("  AuditEventParser.parseLines alone", parseNanos, parseOnly.events(), bytes);
		System.out.printf("  (the parse alone ran after two runs of ours: its code was compiled)%n");
		row("  read the file, count newlines", newlineNanos, lines, bytes);

		System.out.printf(
				"%nHeap of ours (-Xmx %,.0f MiB): peak in use %,.0f MiB (most in use when a GC began), "
						+ "live set %,.0f MiB (most left after a GC), %d GCs%n",
				Runtime.getRuntime().maxMemory() / MIB, heap.peakBeforeGc() / MIB, heap.maxAfterGc() / MIB,
				heap.collections());
		System.out.printf("  heap pools' own peaks: %s%n", heap.poolPeaks());
		if (ours != null) {
			System.out.printf(
					"  retained at the end, after a full GC with the tailer, ingest and store alive: %,.0f MiB%n",
					ours.retainedBytes() / MIB);
		}
		long[] quarters = heap.liveByQuarter();
		System.out.printf("  live set by quarter of the run: %,.0f, %,.0f, %,.0f, %,.0f MiB%s%n", quarters[0] / MIB,
				quarters[1] / MIB, quarters[2] / MIB, quarters[3] / MIB, (ours != null && ours.events() > 0) ? String
					.format(" (%,.0f bytes per event read at the end)", (double) quarters[3] / ours.events()) : "");

		if (ours != null) {
			printAnswers(ours, duck, jq);
		}
		int mismatches = compare(ours, duck, jq);

		System.out.printf("%nTargets%n");
		if (ours != null && duck.failure() == null) {
			double ratio = (double) duck.totalNanos() / oursNanos;
			String how = (ratio >= 1) ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", 1 / ratio);
			System.out.printf("  ours vs DuckDB: %s (%.1f s vs %.1f s) — target: faster than DuckDB: %s%n", how,
					oursNanos / 1e9, duck.totalNanos() / 1e9, verdict(ratio > 1));
		}
		else {
			System.out.printf("  ours vs DuckDB: n/a (%s) — target: faster than DuckDB: FAIL%n",
					(ours == null) ? "ours failed" : "DuckDB failed");
		}
		if (warm != null && duckAgain.failure() == null) {
			double ratio = (double) duckAgain.totalNanos() / warm.chargedNanos();
			System.out.printf("  (second runs, for information: ours %.1f s vs DuckDB %.1f s, %s)%n",
					warm.chargedNanos() / 1e9, duckAgain.totalNanos() / 1e9,
					(ratio >= 1) ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", 1 / ratio));
		}
		boolean heapOk = ours != null && heap.peakBeforeGc() < HEAP_TARGET;
		System.out.printf("  heap < 512 MB: %s (%s; live set %,.0f MiB)%n", verdict(heapOk),
				(ours == null) ? oursFailure : String.format("peak %,.0f MiB", heap.peakBeforeGc() / MIB),
				heap.maxAfterGc() / MIB);
		System.out.printf(
				"  heap bounded whatever the file size: %s (live set by quarter %s; G1 leaves old garbage"
						+ " uncollected, see the retained figure above)%n",
				heap.looksBounded() ? "looks so" : "NO, it grows with the input",
				Arrays.stream(heap.liveByQuarter())
					.mapToObj((q) -> String.format("%,.0f", q / MIB))
					.collect(Collectors.joining(" -> ", "", " MiB")));
		System.out.printf("  answers agree (ours, DuckDB, jq): %s%s%n", verdict(mismatches == 0),
				(mismatches == 0) ? "" : " — " + mismatches + " MISMATCHES, see above");
		if (ours != null) {
			System.out.printf("  (ours: %s)%n", ours.approach());
		}
	}

	private static void row(String name, long nanos, long events, long bytes) {
		double seconds = nanos / 1e9;
		System.out.printf("  %-44s %10.2f %,14.0f %10.1f%n", name, seconds, events / seconds, bytes / MB / seconds);
	}

	private static void printAnswers(OursResult ours, DuckResult duck, JqResult jq) {
		System.out.printf("%nAnswers (ours), window %s .. %s: %,d events kept%s%n", ours.window().from(),
				ours.window().to(), ours.events(), ours.problems().isEmpty() ? "" : ", problems " + ours.problems());
		System.out.printf("  1. top %d user agents by requests%n", TOP);
		for (UserAgentRequests r : ours.top()) {
			System.out.printf("     %,10d  %s%n", r.requests(), r.userAgent());
		}
		System.out.printf("  2. average latency (ms) in %d-minute bins: the first, middle and last bin%n",
				BIN.toMinutes());
		for (UserAgentLatency series : ours.latency()) {
			List<LatencyPoint> points = series.points();
			System.out.printf("     %9s %9s %9s  %s%n", fmt(points.get(0).avgMs()),
					fmt(points.get(points.size() / 2).avgMs()), fmt(points.get(points.size() - 1).avgMs()),
					abbreviate(series.others() ? "(other)" : series.userAgent()));
		}
		System.out.printf("  3. P99 by verb and resource for %s%n", ours.topUserAgent());
		for (VerbResourceLatency row : ours.p99()) {
			System.out.printf("     %-7s %-36s p99 %10s ms  %,10d requests%n", row.verb(), row.resource(),
					fmt(row.p99Ms()), row.requests());
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Comparing the answers.

	private static int compare(OursResult ours, DuckResult duck, JqResult jq) {
		System.out.printf("%nAgreement%n");
		int mismatches = 0;
		List<UserAgentRequests> oursTop = (ours != null) ? sorted(ours.top()) : null;
		if (oursTop != null && duck.failure() == null) {
			mismatches += compareTop("DuckDB", oursTop, sorted(duck.top()));
		}
		if (oursTop != null && jq.failure() == null) {
			mismatches += compareTop("jq", oursTop, sorted(jq.top()));
		}
		if (ours == null || duck.failure() != null) {
			System.out.printf("  (ours or DuckDB failed: latency and P99 not compared)%n");
			return mismatches + 1;
		}
		// Question 2: every bin of every series, averages exact up to summation order.
		int points = 0;
		int latencyMismatches = 0;
		for (UserAgentLatency series : ours.latency()) {
			String key = series.others() ? null : series.userAgent();
			for (LatencyPoint point : series.points()) {
				Double theirs = duck.latency().get(new BinKey(key, point.at().toEpochMilli() * 1000));
				Double mine = point.avgMs();
				points++;
				boolean same = (mine == null) ? theirs == null
						: theirs != null && Math.abs(mine - theirs) <= 1e-6 * Math.max(1.0, Math.abs(theirs));
				if (!same) {
					latencyMismatches++;
					if (latencyMismatches <= 10) {
						System.out.printf("  !!! MISMATCH latency %s at %s: ours %s ms, DuckDB %s ms%n",
								series.others() ? "(other)" : series.userAgent(), point.at(), mine, theirs);
					}
				}
			}
		}
		long duckPoints = duck.latency().keySet().stream().filter((k) -> k.binMicros() >= 0).count();
		System.out.printf(
				"  %s  2. average latency: %d bins compared, %d differ (> 1e-6 relative); DuckDB has %d "
						+ "non-empty bins%n",
				latencyMismatches == 0 ? "ok  " : "!!! ", points, latencyMismatches, duckPoints);
		mismatches += latencyMismatches;
		// Question 3: same top agent, same groups, same counts, P99 within 1 %.
		if (!ours.topUserAgent().equals(duck.topUserAgent())) {
			System.out.printf("  !!! MISMATCH top user agent: ours %s, DuckDB %s%n", ours.topUserAgent(),
					duck.topUserAgent());
			mismatches++;
		}
		int p99Mismatches = 0;
		double worst = 0;
		double worstCont = 0;
		Map<String, VerbResourceLatency> theirs = new HashMap<>();
		duck.p99().forEach((r) -> theirs.put(r.verb() + " " + r.resource(), r));
		for (VerbResourceLatency mine : ours.p99()) {
			VerbResourceLatency other = theirs.remove(mine.verb() + " " + mine.resource());
			String problem = null;
			if (other == null) {
				problem = "DuckDB has no such group";
			}
			else if (other.requests() != mine.requests()) {
				problem = "requests ours " + mine.requests() + ", DuckDB " + other.requests();
			}
			else if ((mine.p99Ms() == null) != (other.p99Ms() == null)) {
				problem = "p99 ours " + mine.p99Ms() + ", DuckDB " + other.p99Ms();
			}
			else if (mine.p99Ms() != null) {
				double exact = duck.p99Rank().getOrDefault(mine.verb() + " " + mine.resource(), Double.NaN);
				double relative = Math.abs(mine.p99Ms() - exact) / exact;
				worst = Math.max(worst, Double.isNaN(relative) ? Double.POSITIVE_INFINITY : relative);
				double cont = Math.abs(mine.p99Ms() - other.p99Ms()) / other.p99Ms();
				worstCont = Math.max(worstCont, cont);
				if (!(relative <= 0.01)) {
					problem = String.format(
							"p99 ours %.3f ms, exact (rank) %.3f ms: %.2f %% off; quantile_cont %.3f ms", mine.p99Ms(),
							exact, 100 * relative, other.p99Ms());
				}
				else if (cont > 0.01) {
					System.out
						.printf("  note  p99 %s %s: ours %.3f ms is %.2f %% off quantile_cont %.3f ms but %.2f %% off "
								+ "the exact value at rank floor(0.99 (n-1)) %.3f ms: the interpolation, not the sketch%n",
								mine.verb(), mine.resource(), mine.p99Ms(), 100 * cont, other.p99Ms(), 100 * relative,
								exact);
				}
			}
			if (problem != null) {
				p99Mismatches++;
				System.out.printf("  !!! MISMATCH p99 %s %s: %s%n", mine.verb(), mine.resource(), problem);
			}
		}
		for (VerbResourceLatency extra : theirs.values()) {
			p99Mismatches++;
			System.out.printf("  !!! MISMATCH p99 %s %s: only DuckDB has it%n", extra.verb(), extra.resource());
		}
		System.out.printf(
				"  %s  3. P99 by verb and resource: %d groups, %d differ; worst P99 %.3f %% off the exact "
						+ "value at rank floor(0.99 (n-1)) (target within 1 %%), %.3f %% off quantile_cont%n",
				p99Mismatches == 0 ? "ok  " : "!!! ", ours.p99().size(), p99Mismatches, 100 * worst, 100 * worstCont);
		return mismatches + p99Mismatches;
	}

	private static int compareTop(String tool, List<UserAgentRequests> ours, List<UserAgentRequests> theirs) {
		if (ours.equals(theirs)) {
			System.out.printf("  ok    1. top %d user agents: ours and %s identical (names and counts)%n", TOP, tool);
			return 0;
		}
		System.out.printf("  !!! MISMATCH 1. top %d user agents, ours vs %s:%n", TOP, tool);
		for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
			System.out.printf("      %-60s | %s%n", (i < ours.size()) ? ours.get(i) : "-",
					(i < theirs.size()) ? theirs.get(i) : "-");
		}
		return 1;
	}

	/** Count descending, then name: tools order ties differently. */
	private static List<UserAgentRequests> sorted(List<UserAgentRequests> top) {
		return top.stream()
			.sorted(Comparator.comparingLong(UserAgentRequests::requests)
				.reversed()
				.thenComparing(UserAgentRequests::userAgent))
			.toList();
	}

	// ---------------------------------------------------------------------------------------------
	// DuckDB.

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

	/** Not latency, as {@code AuditEvent.isLongRunning}. */
	static final String NOT_LONG_RUNNING = "stage = 'ResponseComplete' AND verb IS DISTINCT FROM 'watch' "
			+ "AND coalesce(subresource, '') NOT IN ('exec', 'attach', 'portforward', 'proxy', 'log')";

	static final String TOP_SQL = "SELECT userAgent, count(DISTINCT auditID) AS requests FROM events "
			+ "GROUP BY userAgent ORDER BY requests DESC, userAgent LIMIT " + TOP;

	private static DuckResult duckdb(Path file, int cores) {
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
			String path = file.toAbsolutePath().toString().replace("'", "''");
			statement.execute(
					"CREATE TABLE events AS SELECT auditID, stage, verb, userAgent, objectRef.resource AS resource, "
							+ "objectRef.apiGroup AS apiGroup, objectRef.subresource AS subresource, "
							+ "epoch_us(requestReceivedTimestamp::TIMESTAMP) AS received_us, "
							+ "epoch_us(stageTimestamp::TIMESTAMP) AS stage_us FROM read_json_auto('" + path + "')");
			long loadNanos = System.nanoTime() - t1;
			long[] queryNanos = new long[3];

			long q = System.nanoTime();
			List<UserAgentRequests> top = new ArrayList<>();
			try (ResultSet rs = statement.executeQuery(TOP_SQL)) {
				while (rs.next()) {
					top.add(new UserAgentRequests(rs.getString(1), rs.getLong(2)));
				}
			}
			queryNanos[0] = System.nanoTime() - q;

			q = System.nanoTime();
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
			queryNanos[1] = System.nanoTime() - q;

			q = System.nanoTime();
			String topUserAgent = top.isEmpty() ? "" : top.get(0).userAgent();
			List<VerbResourceLatency> p99 = new ArrayList<>();
			String qualified = "resource || CASE WHEN coalesce(apiGroup, '') = '' THEN '' ELSE '.' || apiGroup END "
					+ "|| CASE WHEN coalesce(subresource, '') = '' THEN '' ELSE '/' || subresource END";
			try (PreparedStatement ps = connection.prepareStatement("SELECT coalesce(verb, '') AS verb, " + "coalesce("
					+ qualified + ", '') AS res, count(DISTINCT auditID) AS requests, " + "quantile_cont(CASE WHEN "
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
			queryNanos[2] = System.nanoTime() - q;
			long totalNanos = System.nanoTime() - t1;
			long events;
			try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM events")) {
				rs.next();
				events = rs.getLong(1);
			}
			Map<String, Double> p99Rank = new HashMap<>();
			try (PreparedStatement ps = connection.prepareStatement("SELECT verb, res, "
					+ "list_sort(list(ms))[CAST(floor(0.99 * (count(*) - 1)) AS BIGINT) + 1] FROM (SELECT coalesce(verb, '') "
					+ "AS verb, coalesce(" + qualified
					+ ", '') AS res, (stage_us - received_us) / 1000.0 AS ms FROM events " + "WHERE userAgent = ? AND "
					+ NOT_LONG_RUNNING + ") GROUP BY ALL")) {
				ps.setString(1, topUserAgent);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						p99Rank.put(rs.getString(1) + " " + rs.getString(2), rs.getDouble(3));
					}
				}
			}
			return new DuckResult(null, startNanos, loadNanos, totalNanos, queryNanos, events, top, latency,
					topUserAgent, p99, p99Rank);
		}
		catch (SQLException | RuntimeException ex) {
			return DuckResult.failed(ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
	}

	// ---------------------------------------------------------------------------------------------
	// jq.

	record JqResult(String failure, long nanos, List<UserAgentRequests> top) {
	}

	/**
	 * Without head: its early exit would break the pipe under pipefail; the top is cut
	 * here instead.
	 */
	static final String JQ_PIPELINE = "jq -r 'select(.stage==\"ResponseComplete\") | .userAgent' \"$1\" "
			+ "| LC_ALL=C sort | uniq -c | LC_ALL=C sort -rn";

	private static JqResult jq(Path file) {
		try {
			long t0 = System.nanoTime();
			Process process = new ProcessBuilder("bash", "-c", "set -o pipefail; " + JQ_PIPELINE, "bash",
					file.toAbsolutePath().toString())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int exit = process.waitFor();
			long nanos = System.nanoTime() - t0;
			if (exit != 0) {
				return new JqResult("the jq pipeline exited " + exit, nanos, List.of());
			}
			List<UserAgentRequests> top = new ArrayList<>();
			for (String line : out.split("\n")) {
				String trimmed = line.stripLeading();
				int space = trimmed.indexOf(' ');
				if (space > 0 && top.size() < TOP) {
					top.add(new UserAgentRequests(trimmed.substring(space + 1),
							Long.parseLong(trimmed.substring(0, space))));
				}
			}
			return new JqResult(null, nanos, top);
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			return new JqResult(ex.getClass().getSimpleName() + ": " + ex.getMessage(), 0, List.of());
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Heap and helpers.

	/**
	 * The most heap in use when a GC began, and the most left after one, from GC
	 * notifications.
	 */
	static final class HeapWatch {

		private final AtomicLong peakBeforeGc = new AtomicLong();

		private final AtomicLong maxAfterGc = new AtomicLong();

		private final AtomicLong collections = new AtomicLong();

		/** Per quarter of the watched time, the most heap left after a GC in it. */
		private final long[] liveByQuarter = new long[4];

		/** After-GC heap use, stamped with nanoTime; sorted into quarters at stop. */
		private final List<long[]> afterGc = Collections.synchronizedList(new ArrayList<>());

		private long startNanos;

		private final NotificationListener listener = (notification, handback) -> {
			if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
				return;
			}
			GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
				.from((CompositeData) notification.getUserData());
			this.peakBeforeGc.accumulateAndGet(heapUsed(info.getGcInfo().getMemoryUsageBeforeGc()), Math::max);
			long after = heapUsed(info.getGcInfo().getMemoryUsageAfterGc());
			this.maxAfterGc.accumulateAndGet(after, Math::max);
			this.afterGc.add(new long[] { System.nanoTime(), after });
			this.collections.incrementAndGet();
		};

		private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans()
			.stream()
			.filter((p) -> p.getType() == MemoryType.HEAP)
			.toList();

		private Map<String, Long> poolPeaks = Map.of();

		void start() {
			System.gc();
			this.heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
			this.startNanos = System.nanoTime();
			ManagementFactory.getGarbageCollectorMXBeans()
				.forEach((gc) -> ((NotificationEmitter) gc).addNotificationListener(this.listener, null, null));
		}

		void stop() {
			long stopNanos = System.nanoTime();
			long now = this.heapPools.stream().mapToLong((p) -> p.getUsage().getUsed()).sum();
			this.peakBeforeGc.accumulateAndGet(now, Math::max);
			synchronized (this.afterGc) {
				for (long[] sample : this.afterGc) {
					int quarter = (int) Math.min(3,
							4 * (sample[0] - this.startNanos) / Math.max(1, stopNanos - this.startNanos));
					this.liveByQuarter[quarter] = Math.max(this.liveByQuarter[quarter], sample[1]);
				}
			}
			Map<String, Long> peaks = new LinkedHashMap<>();
			this.heapPools.forEach((p) -> peaks.put(p.getName(), p.getPeakUsage().getUsed()));
			this.poolPeaks = peaks;
			ManagementFactory.getGarbageCollectorMXBeans().forEach((gc) -> {
				try {
					((NotificationEmitter) gc).removeNotificationListener(this.listener);
				}
				catch (ListenerNotFoundException ex) {
					// not added: nothing to remove
				}
			});
		}

		private long heapUsed(Map<String, MemoryUsage> usage) {
			long sum = 0;
			for (MemoryPoolMXBean pool : this.heapPools) {
				MemoryUsage u = usage.get(pool.getName());
				if (u != null) {
					sum += u.getUsed();
				}
			}
			return sum;
		}

		long peakBeforeGc() {
			return this.peakBeforeGc.get();
		}

		long maxAfterGc() {
			return this.maxAfterGc.get();
		}

		long collections() {
			return this.collections.get();
		}

		long[] liveByQuarter() {
			return this.liveByQuarter.clone();
		}

		/**
		 * Whether the live set stopped growing: the last quarter holds no more than a
		 * quarter above the second. A heap that grows with the input passes "under 512
		 * MB" on a small file only.
		 */
		boolean looksBounded() {
			long second = this.liveByQuarter[1];
			long last = this.liveByQuarter[3];
			return last <= 64 * MIB || (second > 0 && last <= second * 1.25);
		}

		String poolPeaks() {
			StringBuilder sb = new StringBuilder();
			this.poolPeaks.forEach((name, used) -> sb.append(sb.length() > 0 ? ", " : "")
				.append(name)
				.append(' ')
				.append(String.format("%,.0f MiB", used / MIB)));
			return sb.toString();
		}

	}

	/**
	 * The parser alone on the file, in 32 MiB chunks of whole lines as the tailer reads
	 * it.
	 */
	private static AuditInputReport parseInChunks(Path file) throws IOException {
		AuditEventParser parser = new AuditEventParser();
		AuditInputReport report = new AuditInputReport();
		byte[] chunk = new byte[32 * 1024 * 1024];
		try (FileChannel channel = FileChannel.open(file)) {
			long offset = 0;
			while (true) {
				int read = channel.read(ByteBuffer.wrap(chunk), offset);
				if (read <= 0) {
					return report;
				}
				int end = read;
				while (end > 0 && chunk[end - 1] != '\n') {
					end--;
				}
				if (end == 0) {
					end = read; // the last line, without its newline
				}
				report.add(parser.parseLines(chunk, 0, end, (e) -> blackhole = e));
				offset += end;
			}
		}
	}

	private static long countLines(Path file) throws IOException {
		long lines = 0;
		byte[] buffer = new byte[64 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			int read;
			while ((read = in.read(buffer)) >= 0) {
				for (int i = 0; i < read; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
			}
		}
		return lines;
	}

	private static String fmt(Double ms) {
		return (ms == null) ? "-" : String.format("%.2f", ms);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 100) ? text : text.substring(0, 97) + "...";
	}

}
