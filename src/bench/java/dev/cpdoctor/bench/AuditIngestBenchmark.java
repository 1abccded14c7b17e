package dev.cpdoctor.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.bench.AuditIngestDuckDb.DuckResult;
import dev.cpdoctor.bench.AuditIngestJq.JqResult;
import dev.cpdoctor.bench.AuditIngestOurs.OursResult;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;

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
 * <li>Ours: {@link AuditIngestOurs}, the whole of our side (read, parse, roll up, store,
 * answer), timed from reading the file's first byte to the last answer; opening the
 * database and its migrations, which the product does once at start, are timed apart and
 * not charged, as DuckDB's start-up is not. Its heap is watched through GC notifications:
 * the peak is the most heap in use when a collection started, the live set the most left
 * after one; the live set per quarter of the run tells whether it grows with the input
 * (then "under 512 MB" holds for small files only).</li>
 * <li>DuckDB ({@link AuditIngestDuckDb}): in this JVM (its memory is native, outside the
 * heap), threads = this machine's cores, an in-memory database: one CREATE TABLE from
 * read_json_auto on the file, then the three questions in SQL (count(DISTINCT auditID),
 * avg, quantile_cont). The driver load and the first connection are timed apart, not
 * charged.</li>
 * <li>jq ({@link AuditIngestJq}):
 * {@code jq -r 'select(.stage=="ResponseComplete") | .userAgent' FILE | sort | uniq -c | sort -rn
 * | head}, the wall time of the pipeline.</li>
 * <li>Answers are compared ({@link AuditIngestAgreement}): the top 10 (user agent and
 * count) of all three, the averages of ours and DuckDB (1e-6 relative), P99 of ours
 * within 1 % of DuckDB's exact quantile_cont, requests per verb and resource exact. A
 * mismatch is printed loudly.</li>
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
 * <p>
 * What it prints at the end is {@link AuditIngestReport}'s; the heap is watched by
 * {@link HeapWatch}.
 */
public final class AuditIngestBenchmark {

	static final Duration BIN = Duration.ofMinutes(5);

	static final int TOP = 10;

	static final long HEAP_TARGET = 512L * 1024 * 1024;

	static final double MB = 1_000_000.0;

	static final double MIB = 1024.0 * 1024.0;

	/** Where parsed events go in the parse-only run, so the JIT cannot drop them. */
	static volatile Object blackhole;

	private AuditIngestBenchmark() {
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
			ours = AuditIngestOurs.ingest(file);
		}
		catch (OutOfMemoryError ex) {
			oursFailure = "OutOfMemoryError: " + ex.getMessage();
		}
		long oursNanos = (ours != null) ? ours.chargedNanos() : System.nanoTime() - t0;
		heap.stop();

		// Ours again in this JVM, its code compiled now: a dashboard that has been
		// running a while.
		OursResult warm = (ours != null) ? AuditIngestOurs.ingest(file) : null;

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
		DuckResult duck = AuditIngestDuckDb.run(file, cores);
		DuckResult duckAgain = AuditIngestDuckDb.run(file, cores);
		JqResult jq = AuditIngestJq.run(file);

		AuditIngestReport report = new AuditIngestReport(bytes, ours, oursFailure, oursNanos, warm, duck, duckAgain, jq,
				heap);
		report.printTimes(new AuditIngestReport.Scale(parseOnly.events(), parseNanos, lines, newlineNanos));
		report.printHeap();
		if (ours != null) {
			report.printAnswers();
		}
		report.printTargets(AuditIngestAgreement.compare(ours, duck, jq));
	}

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

}
