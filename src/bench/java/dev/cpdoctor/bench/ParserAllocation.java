package dev.cpdoctor.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.ThreadMXBean;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.metrics.MetricSample;
import dev.cpdoctor.analysis.metrics.PrometheusTextParser;

/**
 * The parser benchmark's memory figures: bytes allocated per parse
 * ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes} of this thread), and
 * the heap size of the samples the parser keeps, computed from the JVM's object layout.
 */
final class ParserAllocation {

	static final int ALLOCATION_ROUNDS = 7;

	private ParserAllocation() {
	}

	record Allocation(long snapshot, long parser, List<MetricSample> samples) {
	}

	/**
	 * Bytes this thread allocates for one parse of the body, median of
	 * {@value #ALLOCATION_ROUNDS}: by ApiserverSnapshot.parse, and by the parser alone
	 * (whose kept samples come back too).
	 */
	static Allocation measure(byte[] body, PrometheusTextParser parser) throws IOException {
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
			ParserBenchmark.blackhole = parsed;
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

	/** The JVM flags the object layout above depends on. */
	static String layoutFlags() {
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

}
