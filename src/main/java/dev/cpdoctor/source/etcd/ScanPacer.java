package dev.cpdoctor.source.etcd;

import java.util.function.LongSupplier;

/**
 * Keeps a scan under a number of pages and bytes per second: after each page it waits
 * until the page has taken as long as the slower of the two limits allows. Time spent
 * reading counts, so a slow etcd is not waited on twice.
 */
final class ScanPacer {

	/** Waits; a test records the waits instead. */
	@FunctionalInterface
	interface Sleeper {

		void sleepNanos(long nanos) throws InterruptedException;

	}

	private final double pagesPerSecond;

	private final double bytesPerSecond;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	private long pageStarted;

	ScanPacer(double pagesPerSecond, long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
		this.pagesPerSecond = pagesPerSecond;
		this.bytesPerSecond = bytesPerSecond;
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
		this.pageStarted = nanoTime.getAsLong();
	}

	static ScanPacer of(EtcdProperties properties) {
		return new ScanPacer(properties.scanPagesPerSecond(), properties.scanBytesPerSecond().toBytes(),
				System::nanoTime, (nanos) -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
	}

	/** A page of {@code bytes} value bytes was read; waits as long as the limits ask. */
	void afterPage(long bytes) throws InterruptedException {
		long minimum = (long) Math.max(1e9 / this.pagesPerSecond, bytes * 1e9 / this.bytesPerSecond);
		long elapsed = this.nanoTime.getAsLong() - this.pageStarted;
		if (minimum > elapsed) {
			this.sleeper.sleepNanos(minimum - elapsed);
		}
		this.pageStarted = this.nanoTime.getAsLong();
	}

}
