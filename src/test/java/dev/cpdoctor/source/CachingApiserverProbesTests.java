package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingApiserverProbesTests {

	private static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null,
			"configuration");

	private static final Cluster OTHER = new Cluster("other", Provider.SELF_MANAGED, KubeAccess.context("other", null),
			null, "configuration");

	/** A slow apiserver that counts its probe calls; each call is held until released. */
	static final class CountingProbes implements ApiserverProbeSource {

		final AtomicInteger calls = new AtomicInteger();

		volatile CountDownLatch release = new CountDownLatch(0);

		volatile boolean explode;

		@Override
		public ApiserverProbes probes(Cluster cluster) {
			this.calls.incrementAndGet();
			try {
				this.release.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.explode) {
				throw new IllegalStateException("boom");
			}
			Instant at = Instant.parse("2026-11-22T10:00:00Z");
			return new ApiserverProbes(
					ApiserverProbe.unanswered("/readyz", Outcome.TIMEOUT, at, Duration.ofSeconds(10), null,
							"timed out"),
					new ApiserverProbe("/livez", Outcome.PASSED, at, Duration.ofMillis(5), 200, List.of(), null));
		}

	}

	private final CountingProbes upstream = new CountingProbes();

	private final AtomicLong nanos = new AtomicLong();

	private final CachingApiserverProbes cached = new CachingApiserverProbes(this.upstream,
			CachingApiserverProbes.DEFAULT_TTL, this.nanos::get, Runnable::run);

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Test
	void answersAndFailuresAreKeptFifteenSecondsPerCluster() {
		assertThat(this.cached.probes(LAB).readyz().outcome()).isEqualTo(Outcome.TIMEOUT);
		advance(Duration.ofSeconds(14));
		this.cached.probes(LAB);
		assertThat(this.upstream.calls).as("a failure is kept as long as an answer").hasValue(1);
		this.cached.probes(OTHER);
		assertThat(this.upstream.calls).as("another cluster asks its own apiserver").hasValue(2);
		advance(Duration.ofSeconds(2));
		this.cached.probes(LAB);
		assertThat(this.upstream.calls).hasValue(3);
	}

	@Test
	void concurrentCallersShareOneCall() throws Exception {
		this.upstream.release = new CountDownLatch(1);
		CachingApiserverProbes pooled = new CachingApiserverProbes(this.upstream, CachingApiserverProbes.DEFAULT_TTL);
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<ApiserverProbes>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(pool.submit(() -> pooled.probes(LAB)));
			}
			// Every caller is waiting while the one call is held.
			Thread.sleep(300);
			assertThat(this.upstream.calls).hasValue(1);
			this.upstream.release.countDown();
			for (Future<ApiserverProbes> answer : answers) {
				assertThat(answer.get(5, TimeUnit.SECONDS).livez().passed()).isTrue();
			}
			assertThat(this.upstream.calls).hasValue(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aThrowingDelegateBecomesAFailureValue() {
		this.upstream.explode = true;
		ApiserverProbes answer = this.cached.probes(LAB);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(answer.readyz().reason()).isEqualTo("the probe failed: IllegalStateException");
	}

}
