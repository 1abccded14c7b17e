package dev.cpdoctor.bench;

import java.util.Comparator;
import java.util.List;

import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.bench.AuditImportBenchmark.DashboardRun;
import dev.cpdoctor.bench.AuditImportBenchmark.Import;
import dev.cpdoctor.bench.AuditImportDashboard.Heap;
import dev.cpdoctor.bench.AuditImportPages.Watched;

import static dev.cpdoctor.bench.AuditIngestBenchmark.HEAP_TARGET;
import static dev.cpdoctor.bench.AuditIngestBenchmark.MB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.MIB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;
import static dev.cpdoctor.bench.BenchMachine.verdict;

/**
 * What the audit import benchmark prints once the dashboard has stopped and DuckDB has
 * run: the imports beside DuckDB, the pages during each import, the dashboard's heap, the
 * answers compared and the targets with PASS/FAIL.
 *
 * @param run what happened in the dashboard
 * @param duckPlain DuckDB on the plain log, with its top 10
 * @param duckGzip DuckDB on the gzip
 */
record AuditImportReport(DashboardRun run, AuditImportDuckDb.Result duckPlain, AuditImportDuckDb.Result duckGzip) {

	/** The pages' target during an import. */
	static final long PAGE_P99_TARGET_NANOS = 2_000_000_000L;

	void printDashboard() {
		System.out.printf("%nImports' reports (the answer of POST /api/v1/clusters/{name}/audit/import)%n");
		for (Import i : this.run.imports()) {
			if (i.report() == null) {
				System.out.printf("  %-12s HTTP %d: %s%n", i.name(), i.status(), i.answer());
				continue;
			}
			System.out.printf(
					"  %-12s %s: forms %s; events %,d, requests %,d, duplicates %,d, rejected events %,d %s; %s .. %s%n",
					i.name(), i.cluster(), i.field("forms"), i.events(), i.report().get("requests").asLong(),
					i.report().get("duplicates").asLong(), i.report().get("rejectedEvents").asLong(),
					i.report().get("rejected"), i.field("from"), i.field("to"));
		}
	}

	void printImports() {
		System.out.printf("%nSpeed, same files, same run (events/s counts the events read; MB/s the uncompressed log,"
				+ " MB = 10^6 bytes)%n");
		System.out.printf("  %-52s %9s %12s %8s  %s%n", "", "seconds", "events/s", "MB/s", "load average");
		for (Import i : this.run.imports()) {
			row("ours: POST .../" + i.cluster() + "/audit/import, " + i.name(), i.nanos(), i.events(), i.loadBefore(),
					i.loadAfter());
		}
		for (AuditImportDuckDb.Result duck : List.of(this.duckPlain, this.duckGzip)) {
			String name = "DuckDB: read_json_auto + count(*), " + (duck == this.duckPlain ? "plain" : "gzip");
			if (duck.failure() != null) {
				System.out.printf("  %-52s %9s   !!! %s%n", name, "FAILED", duck.failure());
			}
			else {
				row(name, duck.nanos(), duck.events(), duck.loadBefore(), duck.loadAfter());
			}
		}
		System.out.printf(
				"  (ours: a dashboard started %.1f s before, -Xmx%s, demo on, H2 in a fresh data directory;"
						+ " DuckDB: in-memory, %d threads, its start-up of %.2f s not charged)%n",
				this.run.startNanos() / 1e9, AuditImportDashboard.HEAP, Runtime.getRuntime().availableProcessors(),
				this.duckPlain.startNanos() / 1e9);
	}

	private void row(String name, long nanos, long events, double loadBefore, double loadAfter) {
		double seconds = nanos / 1e9;
		System.out.printf("  %-52s %9.2f %,12.0f %8.1f  %.2f -> %.2f%n", name, seconds, events / seconds,
				this.run.logBytes() / MB / seconds, loadBefore, loadAfter);
	}

	void printPages() {
		System.out.printf("%nPages during each import (one request every %d ms per page, ms from request sent to body"
				+ " read; nearest rank)%n", AuditImportPages.EVERY_MS);
		System.out.printf("  %-20s %-26s %6s %8s %8s %8s %7s%n", "while", "page", "n", "p50", "p99", "max", "errors");
		pageRows("idle, before", this.run.idle());
		for (Import i : this.run.imports()) {
			pageRows(i.name() + " import", i.pages());
		}
	}

	private static void pageRows(String phase, List<Watched> pages) {
		for (Watched w : pages) {
			System.out.printf("  %-20s %-26s %6d %8.0f %8.0f %8.0f %7d%s%n", phase, w.name(), w.sortedNanos().length,
					w.percentile(50) / 1e6, w.percentile(99) / 1e6, w.max() / 1e6, w.errors(),
					(w.firstError() != null) ? "  first: " + w.firstError() : "");
		}
	}

	void printHeap() {
		System.out.printf("%nDashboard heap (-Xmx%s; from its GC log: peak = most in use when a collection began,"
				+ " live = most left after one)%n", AuditImportDashboard.HEAP);
		heapRow("start-up and idle", this.run.startHeap());
		for (Import i : this.run.imports()) {
			heapRow(i.name() + " import", i.heap());
		}
		heapRow("whole run", this.run.runHeap());
		System.out.printf(
				"  process alive at the end: %s; OutOfMemoryError in its output: %s; data directory %,.0f MB%n",
				this.run.aliveAtEnd() ? "yes" : "NO", this.run.outOfMemory() ? "YES" : "no", this.run.dataBytes() / MB);
	}

	private static void heapRow(String name, Heap heap) {
		System.out.printf("  %-22s peak %,5.0f MiB, live %,5.0f MiB, heap size %,5.0f MiB, %d collections (%d full)%n",
				name, heap.peakBefore() / MIB, heap.maxAfter() / MIB, heap.committed() / MIB, heap.collections(),
				heap.full());
	}

	void printAnswers() {
		System.out.printf("%nAnswers: top %d user agents by requests, the JSON API over the import's window vs DuckDB"
				+ " (distinct auditID + requestReceivedTimestamp per userAgent, over the plain file)%n", TOP);
		List<UserAgentRequests> duck = sorted(this.duckPlain.top());
		for (int i = 0; i < Math.max(duck.size(), this.run.topPlain().size()); i++) {
			UserAgentRequests ours = (i < this.run.topPlain().size()) ? sorted(this.run.topPlain()).get(i) : null;
			UserAgentRequests theirs = (i < duck.size()) ? duck.get(i) : null;
			boolean same = ours != null && ours.equals(theirs);
			System.out.printf("  %s %10s %10s  %s%n", same ? "  " : "!!", requests(ours), requests(theirs),
					abbreviate((ours != null) ? ours.userAgent() : (theirs != null) ? theirs.userAgent() : "-"));
		}
		System.out.printf("  (columns: bench-plain, DuckDB; bench-gzip's top %d %s)%n", TOP,
				sorted(this.run.topGzip()).equals(duck) ? "is the same" : "DIFFERS: " + this.run.topGzip());
	}

	void printTargets() {
		Import plain = this.run.imports().get(0);
		Import gz = this.run.imports().get(1);
		Import again = this.run.imports().get(2);
		List<UserAgentRequests> duck = sorted(this.duckPlain.top());
		boolean agree = this.duckPlain.failure() == null && !duck.isEmpty() && sorted(this.run.topPlain()).equals(duck)
				&& sorted(this.run.topGzip()).equals(duck);
		System.out.printf("%nTargets%n");
		System.out.printf("  answers agree (top %d of bench-plain and bench-gzip = DuckDB's, names and counts): %s%n",
				TOP, verdict(agree));
		boolean events = this.duckPlain.failure() == null && plain.events() == this.duckPlain.events()
				&& gz.events() == this.duckPlain.events();
		System.out.printf("  events read = DuckDB's rows (plain %,d, gzip %,d, DuckDB %,d): %s%n", plain.events(),
				gz.events(), this.duckPlain.events(), verdict(events));
		boolean nothing = again.report() != null && again.report().get("requests").asLong() == 0
				&& again.report().get("duplicates").asLong() == again.events() && again.events() > 0;
		System.out.printf("  second import counts nothing (requests %s, duplicates %s of %,d events): %s%n",
				count(again, "requests"), count(again, "duplicates"), again.events(), verdict(nothing));
		boolean answered = this.run.imports().stream().allMatch((i) -> i.status() == 200);
		boolean heapOk = answered && this.run.aliveAtEnd() && !this.run.outOfMemory()
				&& this.run.runHeap().peakBefore() < HEAP_TARGET;
		System.out.printf(
				"  imports complete under -Xmx512m (200 answers, no OutOfMemoryError, alive; peak %,.0f MiB): %s%n",
				this.run.runHeap().peakBefore() / MIB, verdict(heapOk));
		Watched worst = null;
		String worstPhase = "";
		for (Import i : this.run.imports()) {
			for (Watched w : i.pages()) {
				if (worst == null || w.percentile(99) > worst.percentile(99)) {
					worst = w;
					worstPhase = i.name();
				}
			}
		}
		boolean pagesOk = this.run.imports()
			.stream()
			.flatMap((i) -> i.pages().stream())
			.allMatch((w) -> w.percentile(99) < PAGE_P99_TARGET_NANOS && w.errors() == 0 && w.sortedNanos().length > 0);
		System.out.printf("  pages p99 < 2 s during the imports, no errors (worst p99 %.0f ms: %s, %s import): %s%n",
				(worst != null) ? worst.percentile(99) / 1e6 : 0, (worst != null) ? worst.name() : "-", worstPhase,
				verdict(pagesOk));
		printSpeedRatios(plain, gz);
	}

	private void printSpeedRatios(Import plain, Import gz) {
		for (int k = 0; k < 2; k++) {
			Import ours = (k == 0) ? plain : gz;
			AuditImportDuckDb.Result duck = (k == 0) ? this.duckPlain : this.duckGzip;
			if (duck.failure() != null || ours.report() == null) {
				System.out.printf("  speed vs DuckDB, %s: n/a%n", ours.name());
				continue;
			}
			double oursRate = ours.events() / (ours.nanos() / 1e9);
			double duckRate = duck.events() / (duck.nanos() / 1e9);
			System.out.printf(
					"  speed vs DuckDB, %s: ours %,.0f events/s, DuckDB %,.0f events/s: %.2fx (no target: the scale"
							+ " issue sets it; load average %.2f -> %.2f and %.2f -> %.2f)%n",
					ours.name(), oursRate, duckRate, oursRate / duckRate, ours.loadBefore(), ours.loadAfter(),
					duck.loadBefore(), duck.loadAfter());
		}
	}

	/** Count descending, then name: tools order ties differently. */
	private static List<UserAgentRequests> sorted(List<UserAgentRequests> top) {
		return top.stream()
			.sorted(Comparator.comparingLong(UserAgentRequests::requests)
				.reversed()
				.thenComparing(UserAgentRequests::userAgent))
			.toList();
	}

	private static String count(Import imported, String field) {
		return (imported.report() != null) ? String.format("%,d", imported.report().get(field).asLong()) : "-";
	}

	private static String requests(UserAgentRequests row) {
		return (row != null) ? String.format("%,d", row.requests()) : "-";
	}

	private static String abbreviate(String text) {
		return (text.length() <= 100) ? text : text.substring(0, 97) + "...";
	}

}
