package dev.cpdoctor.bench;

import java.util.ArrayList;
import java.util.List;

/** One thing to time; each run returns a count the caller checks is stable. */
final class ParserVariant {

	private static final double MB = 1_000_000.0;

	final String name;

	final ThrowingCount body;

	final List<Long> nanos = new ArrayList<>();

	Long result;

	ParserVariant(String name, ThrowingCount body) {
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

	/** What a variant times: returns a count that stays the same from run to run. */
	@FunctionalInterface
	interface ThrowingCount {

		long count() throws Exception;

	}

}
