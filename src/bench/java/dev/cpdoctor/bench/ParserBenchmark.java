package dev.cpdoctor.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.ThreadMXBean;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.metrics.MetricSample;
import dev.cpdoctor.analysis.metrics.ParseReport;
import dev.cpdoctor.analysis.metrics.PrometheusTextParser;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.verdict;

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
 */
public final class ParserBenchmark {

	static final Path REAL_SCRAPE = Path.of("..", "shared", "fixtures", "apiserver-metrics", "apiserver-v1.34.prom");

	static final Path BODY = Path.of("target", "bench", "metrics-30mb.prom");

	static final long TARGET_BYTES = 30_000_000;

	static final long SEED = 20261122;

	private static final int WARMUP_ROUNDS = 10;

	private static final int ROUNDS = 25;

	private static final int ALLOCATION_ROUNDS = 7;

	private static final double MB = 1_000_000.0;

	/** Where kept samples go, so the JIT cannot drop them. */
	static volatile Object blackhole;

	private ParserBenchmark() {
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

		PrometheusTextParser parser = new PrometheusTextParser(ApiserverSnapshot.FAMILIES);
		PrometheusTextParser keepsNothing = new PrometheusTextParser(List.of());
		Variant fromFile = new Variant("ApiserverSnapshot.parse, file (BufferedInputStream)", () -> {
			try (InputStream in = new BufferedInputStream(new FileInputStream(BODY.toFile()))) {
				return ApiserverSnapshot.parse(in).report().kept();
			}
		});
		Variant snapshotInMemory = new Variant("ApiserverSnapshot.parse, bytes in memory",
				() -> ApiserverSnapshot.parse(new ByteArrayInputStream(body)).report().kept());
		Variant parserInMemory = new Variant("PrometheusTextParser alone, bytes in memory",
				() -> parser.parse(new ByteArrayInputStream(body), (s) -> blackhole = s).kept());
		Variant skipOnly = new Variant("  for scale: parser keeping no family, in memory",
				() -> keepsNothing.parse(new ByteArrayInputStream(body), (s) -> blackhole = s).samples());
		Variant lineByLine = new Variant("  for scale: a Java loop finding each line end in turn",
				() -> lineEnds(body));
		Variant newlines = new Variant("  for scale: a Java loop counting newlines", () -> count(body, (byte) '\n'));
		Variant grep = new Variant("grep -c apiserver_ " + BODY, () -> grep(BODY, grepExpected));
		Path empty = Files.write(BODY.resolveSibling("empty.prom"), new byte[0]);
		Variant grepStartUp = new Variant("  for scale: grep's start-up (the same on an empty file)",
				() -> grep(empty, "0"));
		List<Variant> variants = List.of(fromFile, parserInMemory, snapshotInMemory, skipOnly, lineByLine, newlines,
				grep, grepStartUp);

		for (int round = 0; round < WARMUP_ROUNDS; round++) {
			for (Variant variant : variants) {
				variant.run();
			}
		}
		variants.forEach(Variant::reset);
		for (int round = 0; round < ROUNDS; round++) {
			for (Variant variant : variants) {
				variant.run();
			}
		}

		System.out.printf("%nThroughput, %d warm-up rounds then %d rounds, MB/s (1 MB = 10^6 bytes)%n", WARMUP_ROUNDS,
				ROUNDS);
		System.out.printf("  %-58s %9s %9s%n", "", "median", "best");
		for (Variant variant : variants) {
			System.out.printf("  %-58s %9.0f %9.0f%n", variant.name, variant.medianMbPerSecond(body.length),
					variant.bestMbPerSecond(body.length));
		}
		double grepMedian = grep.medianMbPerSecond(body.length);
		double fileRatio = fromFile.medianMbPerSecond(body.length) / grepMedian;
		double memoryRatio = parserInMemory.medianMbPerSecond(body.length) / grepMedian;
		System.out.printf("  ratio parser / grep (medians): file %.2f, parser alone in memory %.2f%n", fileRatio,
				memoryRatio);
		double grepNet = body.length / MB / ((grep.medianNanos() - grepStartUp.medianNanos()) / 1e9);
		double fileRatioNet = fromFile.medianMbPerSecond(body.length) / grepNet;
		System.out.printf("  without grep's start-up grep is at %.0f MB/s: ratios %.2f and %.2f (%s)%n", grepNet,
				fileRatioNet, parserInMemory.medianMbPerSecond(body.length) / grepNet, (System.getenv("LC_ALL") != null)
						? "LC_ALL=" + System.getenv("LC_ALL") : "LANG=" + System.getenv("LANG"));

		Allocation allocation = allocation(body, parser);
		long kept = keptHeapBytes(allocation.samples());
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

		System.out.printf("%nTargets%n");
		System.out.printf(
				"  %s  throughput: ApiserverSnapshot.parse from the file at %.0f MB/s is %.2f x grep's %.0f MB/s "
						+ "(target >= 0.33)%n",
				verdict(fileRatio >= 1.0 / 3), fromFile.medianMbPerSecond(body.length), fileRatio, grepMedian);
		System.out.printf("  (%s  the same net of grep's start-up: %.2f x %.0f MB/s)%n",
				verdict(fileRatioNet >= 1.0 / 3), fileRatioNet, grepNet);
		double allocationRatio = (double) allocation.snapshot() / kept;
		System.out.printf("  %s  allocation: %,d bytes per parse is %.2f x the %,d bytes kept (target <= 2)%n",
				verdict(allocationRatio <= 2), allocation.snapshot(), allocationRatio, kept);
		System.out.printf("%n(%.0f s in all)%n", (System.nanoTime() - started) / 1e9);
	}

	/** One thing to time; each run returns a count the caller checks is stable. */
	private static final class Variant {

		final String name;

		final ThrowingCount body;

		final List<Long> nanos = new ArrayList<>();

		Long result;

		Variant(String name, ThrowingCount body) {
			this.name = name;
			this.body = body;
		}

		void run() {
			long start = System.nanoTime();
			long count;
			try {
				count = this.body.count();
			}
			catch (Exception ex) {
				throw new IllegalStateException(this.name + " failed", ex);
			}
			this.nanos.add(System.nanoTime() - start);
			if (this.result != null && this.result != count) {
				throw new IllegalStateException(this.name + " counted " + count + ", before " + this.result);
			}
			this.result = count;
		}

		void reset() {
			this.nanos.clear();
		}

		double medianNanos() {
			long[] sorted = this.nanos.stream().mapToLong(Long::longValue).sorted().toArray();
			int n = sorted.length;
			return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
		}

		double medianMbPerSecond(long bytes) {
			return bytes / MB / (medianNanos() / 1e9);
		}

		double bestMbPerSecond(long bytes) {
			return bytes / MB / (this.nanos.stream().mapToLong(Long::longValue).min().orElseThrow() / 1e9);
		}

	}

	@FunctionalInterface
	private interface ThrowingCount {

		long count() throws Exception;

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

	record Allocation(long snapshot, long parser, List<MetricSample> samples) {
	}

	private static Allocation allocation(byte[] body, PrometheusTextParser parser) throws IOException {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		if (!threads.isThreadAllocatedMemorySupported()) {
			throw new IllegalStateException("this JVM does not count allocated bytes per thread");
		}
		threads.setThreadAllocatedMemoryEnabled(true);
		long thread = Thread.currentThread().getId();
		LongSupplier allocated = () -> threads.getThreadAllocatedBytes(thread);
		long[] snapshot = new long[ALLOCATION_ROUNDS];
		long[] alone = new long[ALLOCATION_ROUNDS];
		List<MetricSample> samples = null;
		for (int i = 0; i < ALLOCATION_ROUNDS; i++) {
			long before = allocated.getAsLong();
			ApiserverSnapshot parsed = ApiserverSnapshot.parse(new ByteArrayInputStream(body));
			snapshot[i] = allocated.getAsLong() - before;
			blackhole = parsed;
			// Sized up front: the list's growth is not the parser's.
			List<MetricSample> kept = new ArrayList<>((int) parsed.report().kept());
			before = allocated.getAsLong();
			parser.parse(new ByteArrayInputStream(body), kept::add);
			alone[i] = allocated.getAsLong() - before;
			samples = kept;
		}
		return new Allocation(median(snapshot), median(alone), samples);
	}

	private static long median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[sorted.length / 2];
	}

	/**
	 * Heap bytes of the kept samples: MetricSample (40), its name String, and
	 * Collections.unmodifiableMap (32) around a LinkedHashMap (56) with its table and one
	 * entry (40) and two Strings per label. The family String is the parser's shared
	 * constant. On the scaled body this is within 16 bytes (the one empty array all empty
	 * Strings share) of JOL's GraphLayout.
	 */
	static long keptHeapBytes(List<MetricSample> samples) {
		long[] total = { 0 };
		for (MetricSample sample : samples) {
			total[0] += 40 + string(sample.name()) + 32;
			Map<String, String> labels = sample.labels();
			if (!labels.isEmpty()) {
				total[0] += 56 + table(labels.size()) + 40L * labels.size();
				// forEach, not entrySet(): that would add the views it creates to the
				// maps.
				labels.forEach((name, value) -> total[0] += string(name) + string(value));
			}
		}
		return total[0];
	}

	/** An empty String shares the empty array of "". */
	private static long string(String text) {
		if (text.isEmpty()) {
			return 24;
		}
		boolean latin1 = text.chars().allMatch((c) -> c < 256);
		return 24 + align(16 + (latin1 ? text.length() : 2L * text.length()));
	}

	/** HashMap's table: 16 slots, doubled whenever size exceeds 3/4 of them. */
	private static long table(int size) {
		int capacity = 16;
		while (size > capacity * 3 / 4) {
			capacity *= 2;
		}
		return align(16 + 4L * capacity);
	}

	private static long align(long bytes) {
		return (bytes + 7) & ~7L;
	}

	private static String layoutFlags() {
		try {
			var hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			StringBuilder flags = new StringBuilder();
			for (String flag : List.of("UseCompressedOops", "UseCompressedClassPointers", "CompactStrings",
					"ObjectAlignmentInBytes")) {
				flags.append(flags.isEmpty() ? "" : " ")
					.append(flag)
					.append('=')
					.append(hotspot.getVMOption(flag).getValue());
			}
			return flags.toString();
		}
		catch (RuntimeException ex) {
			return "layout flags unknown";
		}
	}

	record KeptText(long lines, long bytes) {
	}

	/** The sample lines of the product's families, found with plain string handling. */
	private static KeptText keptText(byte[] body) {
		Set<String> wanted = new HashSet<>(ApiserverSnapshot.FAMILIES);
		ApiserverSnapshot.FAMILIES.stream()
			.filter((f) -> f.endsWith("_total"))
			.forEach((f) -> wanted.add(f.substring(0, f.length() - "_total".length())));
		long lines = 0;
		long bytes = 0;
		int start = 0;
		while (start < body.length) {
			int end = start;
			while (end < body.length && body[end] != '\n') {
				end++;
			}
			if (body[start] != '#') {
				int nameEnd = start;
				while (nameEnd < end && body[nameEnd] != '{' && body[nameEnd] != ' ') {
					nameEnd++;
				}
				String name = new String(body, start, nameEnd - start, StandardCharsets.US_ASCII);
				if (wanted.contains(name)
						|| wanted.contains(name.replaceFirst("_(bucket|sum|count|created|total)$", ""))) {
					lines++;
					bytes += end - start + 1;
				}
			}
			start = end + 1;
		}
		return new KeptText(lines, bytes);
	}

	private static long linesContaining(byte[] body, byte[] needle) {
		long lines = 0;
		int start = 0;
		while (start < body.length) {
			int end = start;
			while (end < body.length && body[end] != '\n') {
				end++;
			}
			for (int i = start; i + needle.length <= end; i++) {
				if (Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
					lines++;
					break;
				}
			}
			start = end + 1;
		}
		return lines;
	}

	private static long linesStartingWith(byte[] body, String prefix) {
		byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
		long lines = 0;
		for (int start = 0; start < body.length;) {
			if (start + p.length <= body.length && Arrays.equals(body, start, start + p.length, p, 0, p.length)) {
				lines++;
			}
			while (start < body.length && body[start] != '\n') {
				start++;
			}
			start++;
		}
		return lines;
	}

	/**
	 * The search the parser makes per line: stops at each newline, so the JIT cannot
	 * vectorize it.
	 */
	private static long lineEnds(byte[] bytes) {
		long lines = 0;
		int start = 0;
		while (true) {
			int i = start;
			while (i < bytes.length && bytes[i] != '\n') {
				i++;
			}
			if (i == bytes.length) {
				return lines;
			}
			lines++;
			start = i + 1;
		}
	}

	private static long count(byte[] bytes, byte target) {
		long n = 0;
		for (byte b : bytes) {
			if (b == target) {
				n++;
			}
		}
		return n;
	}

	private static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
