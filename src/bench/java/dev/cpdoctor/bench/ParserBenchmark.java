package dev.cpdoctor.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.metrics.ParseReport;
import dev.cpdoctor.analysis.metrics.PrometheusTextParser;
import dev.cpdoctor.bench.ParserAllocation.Allocation;
import dev.cpdoctor.bench.ScrapeText.KeptText;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.verdict;
import static dev.cpdoctor.bench.ParserAllocation.ALLOCATION_ROUNDS;
import static dev.cpdoctor.bench.ParserAllocation.keptHeapBytes;
import static dev.cpdoctor.bench.ParserAllocation.layoutFlags;
import static dev.cpdoctor.bench.ScrapeText.keptText;
import static dev.cpdoctor.bench.ScrapeText.linesContaining;
import static dev.cpdoctor.bench.ScrapeText.linesStartingWith;
import static dev.cpdoctor.bench.ScrapeText.sha256;

/**
 * Throughput and allocation of the apiserver /metrics parser on a 30 MB scrape, next to
 * {@code grep -c apiserver_} over the same file in the same run (issue 3, "Performance").
 * Prints figures, asserts nothing: run it with {@code bench/parser.sh} (the Maven profile
 * {@code bench}).
 * <p>
 * Targets: the parser reaches at least one third of grep's throughput, and one parse
 * allocates no more than twice the data it keeps.
 * <ul>
 * <li>Throughput: {@link ApiserverSnapshot#parse} from a {@code BufferedInputStream} over
 * the file (what the product does; the file is in the page cache, as it is for grep), and
 * the parser alone on the bytes in memory. Warm-up rounds first, then rounds that
 * interleave every variant and grep so all see the same machine; median and best MB/s (1
 * MB = 10^6 bytes). grep's time is the wall time of the process, start-up included; its
 * start-up (grep on an empty file) is printed too, with the ratio net of it.</li>
 * <li>Allocation: {@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} of this
 * thread around one {@code ApiserverSnapshot.parse} of the bytes in memory, after the
 * timed rounds; median of several.</li>
 * <li>Data kept: the heap size of the kept samples as the parser hands them to the
 * snapshot (each MetricSample with its name, label map and label strings; the family name
 * is a shared constant), computed from the JVM's object layout: 12-byte headers, 4-byte
 * references (compressed oops), 8-byte alignment, Latin-1 strings in one byte per
 * character (compact strings). The flags are printed; the layout was checked against
 * JOL's GraphLayout. The raw text of the kept lines is printed beside it.</li>
 * <li>The body: {@link ScaledApiserverScrape}, written to
 * target/bench/metrics-30mb.prom.</li>
 * </ul>
 * The variants are {@link ParserVariant}s; the memory figures come from
 * {@link ParserAllocation}, the plain byte loops from {@link ScrapeText}.
 */
public final class ParserBenchmark {

	static final Path REAL_SCRAPE = Path.of("..", "shared", "fixtures", "apiserver-metrics", "apiserver-v1.34.prom");

	static final Path BODY = Path.of("target", "bench", "metrics-30mb.prom");

	static final long TARGET_BYTES = 30_000_000;

	static final long SEED = 20261122;

	private static final int WARMUP_ROUNDS = 10;

	private static final int ROUNDS = 25;

	private static final double MB = 1_000_000.0;

	/** Where kept samples go, so the JIT cannot drop them. */
	static volatile Object blackhole;

	private ParserBenchmark() {
	}

	/**
	 * The variants timed, in the order they run and print; the four the ratios are made
	 * of by name.
	 */
	private record Variants(ParserVariant fromFile, ParserVariant parserInMemory, ParserVariant grep,
			ParserVariant grepStartUp, List<ParserVariant> all) {
	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		Files.createDirectories(BODY.getParent());
		ScaledApiserverScrape.Body generated = ScaledApiserverScrape.build(REAL_SCRAPE, TARGET_BYTES, SEED);
		Files.write(BODY, generated.bytes());
		byte[] body = Files.readAllBytes(BODY);
		String grepExpected = Long.toString(linesContaining(body, "apiserver_".getBytes(StandardCharsets.US_ASCII)));

		ApiserverSnapshot snapshot = ApiserverSnapshot.parse(new ByteArrayInputStream(body));
		ParseReport report = snapshot.report();
		if (report.malformedCount() > 0) {
			throw new IllegalStateException("the generated body has malformed lines: " + report);
		}
		KeptText keptText = keptText(body);
		if (keptText.lines() != report.kept()) {
			throw new IllegalStateException("kept lines " + keptText.lines() + " != parser's " + report.kept());
		}
		printBody(body, generated, snapshot, keptText);

		PrometheusTextParser parser = new PrometheusTextParser(ApiserverSnapshot.FAMILIES);
		Variants variants = variants(body, parser, grepExpected);
		time(variants.all());
		printThroughput(variants, body.length);

		Allocation allocation = ParserAllocation.measure(body, parser);
		long kept = keptHeapBytes(allocation.samples());
		printAllocation(allocation, kept, report, keptText);
		printTargets(variants, body.length, allocation, kept);
		System.out.printf("%n(%.0f s in all)%n", (System.nanoTime() - started) / 1e9);
	}

	private static void printBody(byte[] body, ScaledApiserverScrape.Body generated, ApiserverSnapshot snapshot,
			KeptText keptText) throws Exception {
		ParseReport report = snapshot.report();
		System.out.printf("%nParser benchmark (issue 3), %s, %d cores, %s%n",
				System.getProperty("java.vm.name") + " " + Runtime.version(),
				Runtime.getRuntime().availableProcessors(), gcNames());
		System.out.printf("body   %s: %,d bytes (%.1f MB), %,d lines, sha256 %s%n", BODY, body.length, body.length / MB,
				report.lines(), sha256(body).substring(0, 16));
		System.out.printf("       from %s + %,d custom resources (%,d with request series), seed %d%n",
				REAL_SCRAPE.getFileName(), generated.customResources(), generated.activeCustomResources(), SEED);
		byte[] real = Files.readAllBytes(REAL_SCRAPE);
		System.out.printf(
				"       series (real scrape -> body): apiserver_request_duration_seconds_bucket %,d -> %,d, "
						+ "apiserver_request_total %,d -> %,d, apiserver_resource_objects %,d -> %,d%n",
				linesStartingWith(real, "apiserver_request_duration_seconds_bucket{"),
				linesStartingWith(body, "apiserver_request_duration_seconds_bucket{"),
				linesStartingWith(real, "apiserver_request_total{"),
				linesStartingWith(body, "apiserver_request_total{"),
				linesStartingWith(real, "apiserver_resource_objects{"),
				linesStartingWith(body, "apiserver_resource_objects{"));
		System.out.printf(
				"       kept %,d of %,d samples (%.2f %%), %,d bytes of text (%.2f %%); snapshot: %,d objects "
						+ "(%s), %,d request counts%n",
				report.kept(), report.samples(), 100.0 * report.kept() / report.samples(), keptText.bytes(),
				100.0 * keptText.bytes() / body.length, snapshot.objects().size(), snapshot.objectsMetric(),
				snapshot.requests().size());
	}

	private static Variants variants(byte[] body, PrometheusTextParser parser, String grepExpected) throws IOException {
		PrometheusTextParser keepsNothing = new PrometheusTextParser(List.of());
		ParserVariant fromFile = new ParserVariant("ApiserverSnapshot.parse, file (BufferedInputStream)", () -> {
			try (InputStream in = new BufferedInputStream(new FileInputStream(BODY.toFile()))) {
				return ApiserverSnapshot.parse(in).report().kept();
			}
		});
		ParserVariant snapshotInMemory = new ParserVariant("ApiserverSnapshot.parse, bytes in memory",
				() -> ApiserverSnapshot.parse(new ByteArrayInputStream(body)).report().kept());
		ParserVariant parserInMemory = new ParserVariant("PrometheusTextParser alone, bytes in memory",
				() -> parser.parse(new ByteArrayInputStream(body), (s) -> blackhole = s).kept());
		ParserVariant skipOnly = new ParserVariant("  for scale: parser keeping no family, in memory",
				() -> keepsNothing.parse(new ByteArrayInputStream(body), (s) -> blackhole = s).samples());
		ParserVariant lineByLine = new ParserVariant("  for scale: a Java loop finding each line end in turn",
				() -> ScrapeText.lineEnds(body));
		ParserVariant newlines = new ParserVariant("  for scale: a Java loop counting newlines",
				() -> ScrapeText.count(body, (byte) '\n'));
		ParserVariant grep = new ParserVariant("grep -c apiserver_ " + BODY, () -> grep(BODY, grepExpected));
		Path empty = Files.write(BODY.resolveSibling("empty.prom"), new byte[0]);
		ParserVariant grepStartUp = new ParserVariant("  for scale: grep's start-up (the same on an empty file)",
				() -> grep(empty, "0"));
		return new Variants(fromFile, parserInMemory, grep, grepStartUp,
				List.of(fromFile, parserInMemory, snapshotInMemory, skipOnly, lineByLine, newlines, grep, grepStartUp));
	}

	/**
	 * Warm-up rounds, then rounds that interleave every variant so all see the same
	 * machine.
	 */
	private static void time(List<ParserVariant> variants) {
		for (int round = 0; round < WARMUP_ROUNDS; round++) {
			for (ParserVariant variant : variants) {
				variant.run();
			}
		}
		variants.forEach(ParserVariant::reset);
		for (int round = 0; round < ROUNDS; round++) {
			for (ParserVariant variant : variants) {
				variant.run();
			}
		}
	}

	private static void printThroughput(Variants variants, long bytes) {
		System.out.printf("%nThroughput, %d warm-up rounds then %d rounds, MB/s (1 MB = 10^6 bytes)%n", WARMUP_ROUNDS,
				ROUNDS);
		System.out.printf("  %-58s %9s %9s%n", "", "median", "best");
		for (ParserVariant variant : variants.all()) {
			System.out.printf("  %-58s %9.0f %9.0f%n", variant.name, variant.medianMbPerSecond(bytes),
					variant.bestMbPerSecond(bytes));
		}
		double grepMedian = variants.grep().medianMbPerSecond(bytes);
		double fileRatio = variants.fromFile().medianMbPerSecond(bytes) / grepMedian;
		double memoryRatio = variants.parserInMemory().medianMbPerSecond(bytes) / grepMedian;
		System.out.printf("  ratio parser / grep (medians): file %.2f, parser alone in memory %.2f%n", fileRatio,
				memoryRatio);
		double grepNet = grepNet(variants, bytes);
		double fileRatioNet = variants.fromFile().medianMbPerSecond(bytes) / grepNet;
		System.out.printf("  without grep's start-up grep is at %.0f MB/s: ratios %.2f and %.2f (%s)%n", grepNet,
				fileRatioNet, variants.parserInMemory().medianMbPerSecond(bytes) / grepNet,
				(System.getenv("LC_ALL") != null) ? "LC_ALL=" + System.getenv("LC_ALL")
						: "LANG=" + System.getenv("LANG"));
	}

	/** grep's MB/s without its start-up (grep on an empty file). */
	private static double grepNet(Variants variants, long bytes) {
		return bytes / MB / ((variants.grep().medianNanos() - variants.grepStartUp().medianNanos()) / 1e9);
	}

	private static void printAllocation(Allocation allocation, long kept, ParseReport report, KeptText keptText) {
		System.out.printf("%nAllocation per parse of the in-memory body (median of %d, this thread)%n",
				ALLOCATION_ROUNDS);
		System.out.printf("  ApiserverSnapshot.parse          %,14d bytes  (%,d per kept sample)%n",
				allocation.snapshot(), allocation.snapshot() / report.kept());
		System.out.printf("  PrometheusTextParser alone       %,14d bytes  (%,d per kept sample)%n",
				allocation.parser(), allocation.parser() / report.kept());
		System.out.printf("  data kept: kept samples on heap  %,14d bytes  (%,d per kept sample; %s)%n", kept,
				kept / report.kept(), layoutFlags());
		System.out.printf("  for scale: kept lines as text    %,14d bytes  (%,d per kept line)%n", keptText.bytes(),
				keptText.bytes() / report.kept());
		System.out.printf("  ratio allocated / kept: snapshot %.2f, parser alone %.2f (against the text: %.2f)%n",
				(double) allocation.snapshot() / kept, (double) allocation.parser() / kept,
				(double) allocation.snapshot() / keptText.bytes());
	}

	private static void printTargets(Variants variants, long bytes, Allocation allocation, long kept) {
		double grepMedian = variants.grep().medianMbPerSecond(bytes);
		double fileRatio = variants.fromFile().medianMbPerSecond(bytes) / grepMedian;
		double grepNet = grepNet(variants, bytes);
		double fileRatioNet = variants.fromFile().medianMbPerSecond(bytes) / grepNet;
		System.out.printf("%nTargets%n");
		System.out.printf(
				"  %s  throughput: ApiserverSnapshot.parse from the file at %.0f MB/s is %.2f x grep's %.0f MB/s "
						+ "(target >= 0.33)%n",
				verdict(fileRatio >= 1.0 / 3), variants.fromFile().medianMbPerSecond(bytes), fileRatio, grepMedian);
		System.out.printf("  (%s  the same net of grep's start-up: %.2f x %.0f MB/s)%n",
				verdict(fileRatioNet >= 1.0 / 3), fileRatioNet, grepNet);
		double allocationRatio = (double) allocation.snapshot() / kept;
		System.out.printf("  %s  allocation: %,d bytes per parse is %.2f x the %,d bytes kept (target <= 2)%n",
				verdict(allocationRatio <= 2), allocation.snapshot(), allocationRatio, kept);
	}

	/** grep exits 1 when nothing matches. */
	private static long grep(Path file, String expected) throws IOException, InterruptedException {
		Process process = new ProcessBuilder("grep", "-c", "apiserver_", file.toString()).redirectErrorStream(true)
			.start();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
		int exit = process.waitFor();
		if (exit != (expected.equals("0") ? 1 : 0) || !out.equals(expected)) {
			throw new IllegalStateException("grep exited " + exit + " with '" + out + "', expected " + expected);
		}
		return Long.parseLong(out);
	}

}
