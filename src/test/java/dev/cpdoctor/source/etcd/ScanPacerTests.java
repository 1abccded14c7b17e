package dev.cpdoctor.source.etcd;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScanPacerTests {

	private final AtomicLong now = new AtomicLong(1_000);

	private final List<Long> sleeps = new ArrayList<>();

	/** 10 pages/s (100 ms a page) and 1 MB/s; sleeping advances the fake clock. */
	private ScanPacer pacer() {
		return new ScanPacer(10, 1_000_000, this.now::get, (nanos) -> {
			this.sleeps.add(nanos);
			this.now.addAndGet(nanos);
		});
	}

	@Test
	void aSmallPageWaitsOutThePageRate() throws Exception {
		ScanPacer pacer = pacer();
		this.now.addAndGet(30_000_000); // reading took 30 ms
		pacer.afterPage(1_000);
		assertThat(this.sleeps).containsExactly(70_000_000L);
	}

	@Test
	void aLargePageWaitsOutTheByteRate() throws Exception {
		ScanPacer pacer = pacer();
		pacer.afterPage(500_000); // half a MB at 1 MB/s: 500 ms, more than the page
									// rate's 100 ms
		assertThat(this.sleeps).containsExactly(500_000_000L);
	}

	@Test
	void aSlowReadIsNotWaitedOnTwice() throws Exception {
		ScanPacer pacer = pacer();
		this.now.addAndGet(100_000_000); // exactly the page rate: no wait
		pacer.afterPage(1_000);
		this.now.addAndGet(99_999_999); // one ns short: one ns of wait
		pacer.afterPage(1_000);
		assertThat(this.sleeps).containsExactly(1L);
	}

	@Test
	void eachPageIsMeasuredFromTheEndOfTheLast() throws Exception {
		ScanPacer pacer = pacer();
		pacer.afterPage(0);
		pacer.afterPage(0);
		assertThat(this.sleeps).containsExactly(100_000_000L, 100_000_000L);
	}

}
