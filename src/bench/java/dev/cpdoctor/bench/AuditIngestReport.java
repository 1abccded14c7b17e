package dev.cpdoctor.bench;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.bench.AuditIngestDuckDb.DuckResult;
import dev.cpdoctor.bench.AuditIngestJq.JqResult;
import dev.cpdoctor.bench.AuditIngestOurs.OursResult;

import static dev.cpdoctor.bench.AuditIngestBenchmark.BIN;
import static dev.cpdoctor.bench.AuditIngestBenchmark.HEAP_TARGET;
import static dev.cpdoctor.bench.AuditIngestBenchmark.MB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.MIB;
import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;
import static dev.cpdoctor.bench.BenchMachine.verdict;

/**
 * What the audit ingest benchmark prints once every tool has run: the times, our heap,
 * our answers and the targets with PASS/FAIL.
 *
 * @param bytes the file's size
 * @param ours our first run, null when it failed
 * @param oursFailure why it failed, or null
 * @param oursNanos its charged time (up to the failure when it failed)
 * @param warm our second run, null when the first failed
 * @param heap our first run's heap
 */
record AuditIngestReport(long bytes, OursResult ours, String oursFailure, long oursNanos, OursResult warm,
		DuckResult duck, DuckResult duckAgain, JqResult jq, HeapWatch heap) {

	/**
	 * The figures for scale: the parser alone and a loop counting newlines, on the same
	 * file.
	 */
	record Scale(long parsedEvents, long parseNanos, long lines, long newlineNanos) {
	}

	void printTimes(Scale scale) {
		System.out.printf("%nTimes, end to end on the same file (events/s counts every line read; MB = 10^6 bytes)%n");
		System.out.printf("  %-44s %10s %14s %10s%n", "", "seconds", "events/s", "MB/s");
		if (this.ours != null) {
			row("ours: " + "read, parse, roll up, store, answer", this.oursNanos, this.ours.events());
			System.out.printf("  %-44s %10.2f   (not charged: H2 open, Flyway migrations)%n", "  ours start-up",
					this.ours.startNanos() / 1e9);
			row("  ours again, same JVM (code compiled)", this.warm.chargedNanos(), this.warm.events());
		}
		else {
			System.out.printf("  %-44s %10s   !!! %s after %.1f s%n", "ours: ingestOurs", "FAILED", this.oursFailure,
					this.oursNanos / 1e9);
		}
		printDuckTimes();
		if (this.jq.failure() == null) {
			row("jq | sort | uniq -c | sort (top 10 only)", this.jq.nanos(), scale.lines());
		}
		else {
			System.out.printf("  %-44s %10s   !!! %s%n", "jq", "FAILED", this.jq.failure());
		}
		System.out.printf("  for scale, single-threaded, this JVM:%n");
		row("  AuditEventParser.parseLines alone", scale.parseNanos(), scale.parsedEvents());
		System.out.printf("  (the parse alone ran after two runs of ours: its code was compiled)%n");
		row("  read the file, count newlines", scale.newlineNanos(), scale.lines());
	}

	private void printDuckTimes() {
		DuckResult duck = this.duck;
		if (duck.failure() != null) {
			System.out.printf("  %-44s %10s   !!! %s%n", "DuckDB", "FAILED", duck.failure());
			return;
		}
		row("DuckDB: load table + 3 queries", duck.totalNanos(), duck.events());
		System.out.printf("  %-44s %10.2f%n", "  of which CREATE TABLE .. read_json_auto", duck.loadNanos() / 1e9);
		System.out.printf("  %-44s %10.2f   (top %.2f, latency %.2f, p99 %.2f)%n", "  of which the 3 queries",
				(duck.totalNanos() - duck.loadNanos()) / 1e9, duck.queryNanos()[0] / 1e9, duck.queryNanos()[1] / 1e9,
				duck.queryNanos()[2] / 1e9);
		System.out.printf("  %-44s %10.2f   (not charged: driver, native library, first connection)%n",
				"  DuckDB start-up", duck.startNanos() / 1e9);
		if (this.duckAgain.failure() == null) {
			row("  DuckDB again", this.duckAgain.totalNanos(), this.duckAgain.events());
		}
	}

	private void row(String name, long nanos, long events) {
		double seconds = nanos / 1e9;
		System.out.printf("  %-44s %10.2f %,14.0f %10.1f%n", name, seconds, events / seconds,
				this.bytes / MB / seconds);
	}

	void printHeap() {
		HeapWatch heap = this.heap;
		System.out.printf(
				"%nHeap of ours (-Xmx %,.0f MiB): peak in use %,.0f MiB (most in use when a GC began), "
						+ "live set %,.0f MiB (most left after a GC), %d GCs%n",
				Runtime.getRuntime().maxMemory() / MIB, heap.peakBeforeGc() / MIB, heap.maxAfterGc() / MIB,
				heap.collections());
		System.out.printf("  heap pools' own peaks: %s%n", heap.poolPeaks());
		if (this.ours != null) {
			System.out.printf(
					"  retained at the end, after a full GC with the tailer, ingest and store alive: %,.0f MiB%n",
					this.ours.retainedBytes() / MIB);
		}
		long[] quarters = heap.liveByQuarter();
		System.out
			.printf("  live set by quarter of the run: %,.0f, %,.0f, %,.0f, %,.0f MiB%s%n", quarters[0] / MIB,
					quarters[1] / MIB, quarters[2] / MIB, quarters[3] / MIB,
					(this.ours != null && this.ours.events() > 0) ? String
						.format(" (%,.0f bytes per event read at the end)", (double) quarters[3] / this.ours.events())
							: "");
	}

	/** Our answers to the three questions; only when ours ran. */
	void printAnswers() {
		OursResult ours = this.ours;
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

	void printTargets(int mismatches) {
		System.out.printf("%nTargets%n");
		printSpeed();
		boolean heapOk = this.ours != null && this.heap.peakBeforeGc() < HEAP_TARGET;
		System.out.printf("  heap < 512 MB: %s (%s; live set %,.0f MiB)%n", verdict(heapOk),
				(this.ours == null) ? this.oursFailure
						: String.format("peak %,.0f MiB", this.heap.peakBeforeGc() / MIB),
				this.heap.maxAfterGc() / MIB);
		System.out.printf(
				"  heap bounded whatever the file size: %s (live set by quarter %s; G1 leaves old garbage"
						+ " uncollected, see the retained figure above)%n",
				this.heap.looksBounded() ? "looks so" : "NO, it grows with the input",
				Arrays.stream(this.heap.liveByQuarter())
					.mapToObj((q) -> String.format("%,.0f", q / MIB))
					.collect(Collectors.joining(" -> ", "", " MiB")));
		System.out.printf("  answers agree (ours, DuckDB, jq): %s%s%n", verdict(mismatches == 0),
				(mismatches == 0) ? "" : " — " + mismatches + " MISMATCHES, see above");
		if (this.ours != null) {
			System.out.printf("  (ours: %s)%n", this.ours.approach());
		}
	}

	/** Ours against DuckDB, first runs (the target) and second runs (for information). */
	private void printSpeed() {
		if (this.ours != null && this.duck.failure() == null) {
			double ratio = (double) this.duck.totalNanos() / this.oursNanos;
			String how = (ratio >= 1) ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", 1 / ratio);
			System.out.printf("  ours vs DuckDB: %s (%.1f s vs %.1f s) — target: faster than DuckDB: %s%n", how,
					this.oursNanos / 1e9, this.duck.totalNanos() / 1e9, verdict(ratio > 1));
		}
		else {
			System.out.printf("  ours vs DuckDB: n/a (%s) — target: faster than DuckDB: FAIL%n",
					(this.ours == null) ? "ours failed" : "DuckDB failed");
		}
		if (this.warm != null && this.duckAgain.failure() == null) {
			double ratio = (double) this.duckAgain.totalNanos() / this.warm.chargedNanos();
			System.out.printf("  (second runs, for information: ours %.1f s vs DuckDB %.1f s, %s)%n",
					this.warm.chargedNanos() / 1e9, this.duckAgain.totalNanos() / 1e9,
					(ratio >= 1) ? String.format("%.2fx faster", ratio) : String.format("%.2fx slower", 1 / ratio));
		}
	}

	private static String fmt(Double ms) {
		return (ms == null) ? "-" : String.format("%.2f", ms);
	}

	private static String abbreviate(String text) {
		return (text.length() <= 100) ? text : text.substring(0, 97) + "...";
	}

}
