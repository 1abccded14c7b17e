package dev.cpdoctor.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.bench.AuditImportPages.Page;
import dev.cpdoctor.bench.AuditImportPages.Watched;

import static dev.cpdoctor.bench.AuditIngestBenchmark.MB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.MIB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;
import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;

/**
 * Importing an audit log into a running dashboard (issue 14, "Performance"): the
 * generated JSON-lines log of the audit ingest benchmark ({@link AuditLogGenerator}, 1
 * GiB by default) and its gzip, each POSTed from disk to
 * {@code /api/v1/clusters/{name}/audit/import} of a dashboard running as a separate
 * process under a 512 MB heap ({@link AuditImportDashboard}), next to DuckDB reading the
 * same files in the same run ({@link AuditImportDuckDb}). Prints figures and PASS/FAIL,
 * asserts nothing: run it with {@code bench/audit-import.sh [SIZE]} (the Maven profile
 * {@code bench}, executions {@code bench-runtime-classpath} and
 * {@code audit-import-benchmark}).
 * <ul>
 * <li>The files are kept under target/bench (audit-&lt;MiB&gt;MiB.log and .log.gz,
 * java.util.zip level 6) and reused by the next run; {@code bench.auditLog} names another
 * log to reuse or keep.</li>
 * <li>Imports, one after another: the plain file into cluster bench-plain, the gzip into
 * bench-gzip, then the plain file into bench-plain again (every request already counted).
 * Each is timed from the request sent to the report read; events/s counts the events the
 * report says were read, MB/s the uncompressed log.</li>
 * <li>Pages while each import runs ({@link AuditImportPages}): the demo's Audit page and
 * /actuator/health every 250 ms, and once a log is imported, its cluster's Audit page
 * with an absolute window moved at every request (past the page and answer caches: read
 * from the database the import writes to); an idle baseline of 5 s before.</li>
 * <li>The dashboard's heap from its own GC log: the most in use when a collection began
 * and the most left after one, per import.</li>
 * <li>Answers: the top 10 user agents of each imported cluster from the JSON API, over
 * the import's window, against DuckDB's count of distinct auditID and
 * requestReceivedTimestamp per user agent over the file.</li>
 * </ul>
 * What it prints at the end is {@link AuditImportReport}'s.
 */
public final class AuditImportBenchmark {

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** How long the pages are watched before the first import. */
	static final Duration IDLE = Duration.ofSeconds(5);

	private AuditImportBenchmark() {
	}

	/**
	 * One import.
	 *
	 * @param status the HTTP status of the answer
	 * @param report its JSON, null when it was no 200
	 * @param answer its body, for a refusal
	 */
	record Import(String name, String cluster, int status, JsonNode report, String answer, long nanos,
			AuditImportDashboard.Heap heap, List<Watched> pages, double loadBefore, double loadAfter) {

		long events() {
			return (this.report != null) ? this.report.get("events").asLong() : 0;
		}

		String field(String name) {
			JsonNode node = (this.report != null) ? this.report.get(name) : null;
			return (node != null && !node.isNull()) ? node.asString() : null;
		}

	}

	/**
	 * What happened in the dashboard.
	 *
	 * @param idle the pages before any import
	 * @param startHeap its heap from its start to the first import
	 * @param imports plain, gzip, plain again
	 * @param runHeap its heap over the whole run
	 */
	record DashboardRun(long logBytes, long startNanos, List<Watched> idle, AuditImportDashboard.Heap startHeap,
			List<Import> imports, List<UserAgentRequests> topPlain, List<UserAgentRequests> topGzip,
			AuditImportDashboard.Heap runHeap, boolean aliveAtEnd, boolean outOfMemory, long dataBytes) {

	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		int cores = Runtime.getRuntime().availableProcessors();
		long size = AuditLogGenerator.parseSize(System.getProperty("bench.auditSize", "1GiB"));
		System.out.printf(
				"%nAudit import benchmark (issue 14), %s %s, %d cores, this JVM's max heap %,.0f MiB, %s, load average %.2f%n",
				System.getProperty("java.vm.name"), Runtime.version(), cores, Runtime.getRuntime().maxMemory() / MIB,
				gcNames(), loadAverage());
		Path log = logFile(size, System.getProperty("bench.auditLog", ""));
		Path gzip = gzip(log);
		String classpath = Files.readString(Path.of(System.getProperty("bench.runtimeClasspath"))).trim();
		DashboardRun run = runDashboard(log, gzip, classpath);
		AuditImportReport report = new AuditImportReport(run, AuditImportDuckDb.run(log, cores, true),
				AuditImportDuckDb.run(gzip, cores, false));
		report.printDashboard();
		report.printImports();
		report.printPages();
		report.printHeap();
		report.printAnswers();
		report.printTargets();
		System.out.printf("%n(%.0f s in all; load average now %.2f: other work on the machine slows every tool)%n",
				(System.nanoTime() - started) / 1e9, loadAverage());
	}

	private static DashboardRun runDashboard(Path log, Path gzip, String classpath) throws Exception {
		Path dir = Path.of("target", "bench", "import-dashboard");
		try (AuditImportDashboard dashboard = AuditImportDashboard.start(dir, classpath)) {
			System.out.printf("dashboard pid %d on 127.0.0.1:%d, -Xmx%s, answered /actuator/health after %.1f s: %s%n",
					dashboard.pid(), dashboard.port(), AuditImportDashboard.HEAP, dashboard.startNanos() / 1e9,
					dashboard.firstHealth());
			Page demo = Page.fixed("demo Audit page", "/audit?cluster=demo");
			Page health = Page.fixed("/actuator/health", "/actuator/health");
			for (int i = 0; i < 3; i++) {
				dashboard.get(demo.path().apply(0));
				dashboard.get(health.path().apply(0));
			}
			AuditImportPages idleWatch = AuditImportPages.watch(dashboard, List.of(demo, health));
			Thread.sleep(IDLE.toMillis());
			List<Watched> idle = idleWatch.stop();
			long idleMark = dashboard.gcLogMark();
			Import plain = importFile(dashboard, "plain", "bench-plain", log, log, List.of(demo, health));
			Import gz = importFile(dashboard, "gzip", "bench-gzip", gzip, log,
					List.of(demo, health, stored("bench-plain", plain)));
			List<UserAgentRequests> topPlain = top(dashboard, plain);
			List<UserAgentRequests> topGzip = top(dashboard, gz);
			Import again = importFile(dashboard, "plain again", "bench-plain", log, log,
					List.of(demo, health, stored("bench-gzip", gz)));
			return new DashboardRun(Files.size(log), dashboard.startNanos(), idle, dashboard.heap(0, idleMark),
					List.of(plain, gz, again), topPlain, topGzip, dashboard.heap(0, dashboard.gcLogMark()),
					dashboard.alive(), dashboard.outOfMemory(), dashboard.dataBytes());
		}
		catch (IOException ex) {
			System.out.printf("%n!!! %s%n", ex.getMessage());
			throw ex;
		}
	}

	/** POSTs a file and watches the pages while it is imported. */
	private static Import importFile(AuditImportDashboard dashboard, String name, String cluster, Path file, Path log,
			List<Page> pages) throws Exception {
		double loadBefore = loadAverage();
		long mark = dashboard.gcLogMark();
		AuditImportPages watch = AuditImportPages.watch(dashboard, pages);
		long t0 = System.nanoTime();
		HttpResponse<String> answer = dashboard.post("/api/v1/clusters/" + cluster + "/audit/import", file);
		long nanos = System.nanoTime() - t0;
		List<Watched> watched = watch.stop();
		JsonNode report = (answer.statusCode() == 200) ? JSON.readTree(answer.body()) : null;
		System.out.printf("import %-12s into %s: HTTP %d in %.1f s%s%n", name, cluster, answer.statusCode(),
				nanos / 1e9, (report != null) ? "" : ": " + answer.body());
		return new Import(name, cluster, answer.statusCode(), report, answer.body(), nanos,
				dashboard.heap(mark, dashboard.gcLogMark()), watched, loadBefore, loadAverage());
	}

	/**
	 * An imported cluster's Audit page, its absolute window moved at every request (the
	 * start by a minute up to 90, the length from 30 minutes on): each request is a new
	 * window, read from the database rather than a cache.
	 */
	private static Page stored(String cluster, Import imported) {
		String from = imported.field("from");
		Instant start = (from != null) ? Instant.parse(from) : AuditLogGenerator.START;
		return new Page(cluster + " Audit page", (n) -> {
			Instant windowFrom = start.plus(Duration.ofMinutes(n % 90));
			Instant windowTo = windowFrom.plus(Duration.ofMinutes(30 + (n / 90) % 60));
			return "/audit?cluster=" + cluster + "&from=" + encode(windowFrom.toString()) + "&to="
					+ encode(windowTo.toString());
		});
	}

	/**
	 * The JSON API's top 10 user agents of an imported cluster over its import's window.
	 */
	private static List<UserAgentRequests> top(AuditImportDashboard dashboard, Import imported) throws Exception {
		if (imported.report() == null || imported.field("from") == null) {
			return List.of();
		}
		HttpResponse<String> answer = dashboard
			.get("/api/v1/clusters/" + imported.cluster() + "/audit/top-user-agents?limit=" + TOP + "&from="
					+ encode(imported.field("from")) + "&to=" + encode(imported.field("to")));
		if (answer.statusCode() != 200) {
			System.out.printf("!!! top-user-agents of %s: HTTP %d %s%n", imported.cluster(), answer.statusCode(),
					answer.body());
			return List.of();
		}
		List<UserAgentRequests> top = new ArrayList<>();
		for (JsonNode row : JSON.readTree(answer.body())) {
			top.add(new UserAgentRequests(row.get("userAgent").asString(), row.get("requests").asLong()));
		}
		return top;
	}

	private static String encode(String text) {
		return URLEncoder.encode(text, StandardCharsets.UTF_8);
	}

	/** The log to import: kept under target/bench, generated when it is not there. */
	private static Path logFile(long size, String given) throws IOException {
		Path file = given.isBlank() ? Path.of("target", "bench", "audit-" + (size >> 20) + "MiB.log") : Path.of(given);
		if (Files.exists(file)) {
			System.out.printf("log    %s (reused, not generated)%n", file);
		}
		else {
			Path partial = file.resolveSibling(file.getFileName() + ".partial");
			AuditLogGenerator.Stats stats = AuditLogGenerator.generate(partial, size, AuditLogGenerator.DEFAULT_SEED);
			Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			System.out.printf("log    %s generated in %.1f s: %,d lines, %,d requests, %d user agents, %s .. %s%n",
					file, stats.nanos() / 1e9, stats.lines(), stats.requests(), stats.userAgents(), stats.first(),
					stats.last());
		}
		System.out.printf("       %,d bytes (%.0f MB)%n", Files.size(file), Files.size(file) / MB);
		return file;
	}

	/** Its gzip beside it (level 6), made again when older than the log. */
	private static Path gzip(Path log) throws IOException {
		Path gz = log.resolveSibling(log.getFileName() + ".gz");
		if (Files.exists(gz) && Files.getLastModifiedTime(gz).compareTo(Files.getLastModifiedTime(log)) >= 0) {
			System.out.printf("gzip   %s (reused)%n", gz);
		}
		else {
			Path partial = gz.resolveSibling(gz.getFileName() + ".partial");
			long t0 = System.nanoTime();
			try (InputStream in = Files.newInputStream(log);
					OutputStream out = new Level6(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 20))) {
				in.transferTo(out);
			}
			Files.move(partial, gz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			System.out.printf("gzip   %s written in %.1f s (java.util.zip, level 6)%n", gz,
					(System.nanoTime() - t0) / 1e9);
		}
		System.out.printf("       %,d bytes (%.0f MB, %.1f %% of the log)%n", Files.size(gz), Files.size(gz) / MB,
				100.0 * Files.size(gz) / Files.size(log));
		return gz;
	}

	/** gzip at zlib's level 6 (java.util.zip's default, said outright). */
	private static final class Level6 extends GZIPOutputStream {

		Level6(OutputStream out) throws IOException {
			super(out, 1 << 16);
			this.def.setLevel(6);
		}

	}

}
