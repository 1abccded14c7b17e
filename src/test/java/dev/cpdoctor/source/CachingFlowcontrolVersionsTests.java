package dev.cpdoctor.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingFlowcontrolVersionsTests {

	private static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null,
			"configuration");

	private static final Cluster OTHER = new Cluster("other", Provider.SELF_MANAGED, KubeAccess.context("other", null),
			null, "configuration");

	/** A slow apiserver that counts its discovery calls. */
	static final class CountingDiscovery implements FlowcontrolVersions {

		final AtomicInteger calls = new AtomicInteger();

		volatile boolean fail;

		volatile boolean explode;

		@Override
		public SourceResult<List<String>> served(Cluster cluster) {
			this.calls.incrementAndGet();
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.explode) {
				throw new IllegalStateException("boom");
			}
			return this.fail ? SourceResult.failed("answered HTTP 503") : SourceResult.ok(List.of("v1", "v1beta3"));
		}

	}

	private final CountingDiscovery upstream = new CountingDiscovery();

	private final AtomicLong nanos = new AtomicLong();

	/**
	 * Calls run on the caller's thread, so an answer's expiry is set before served()
	 * returns and the fake clock moves only after it (with a pool, Caffeine may stamp it
	 * after the clock moved).
	 */
	private final CachingFlowcontrolVersions cached = new CachingFlowcontrolVersions(this.upstream,
			CachingFlowcontrolVersions.Ttl.defaults(), this.nanos::get, Runnable::run);

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Test
	void anAnswerIsKeptTenMinutesPerCluster() {
		assertThat(this.cached.served(LAB)).isEqualTo(SourceResult.ok(List.of("v1", "v1beta3")));
		advance(Duration.ofMinutes(9));
		this.cached.served(LAB);
		assertThat(this.upstream.calls).hasValue(1);
		this.cached.served(OTHER);
		assertThat(this.upstream.calls).as("another cluster asks its own apiserver").hasValue(2);
		advance(Duration.ofMinutes(2));
		this.cached.served(LAB);
		assertThat(this.upstream.calls).hasValue(3);
	}

	@Test
	void aFailureIsKeptBriefly() {
		this.upstream.fail = true;
		assertThat(this.cached.served(LAB)).isInstanceOf(SourceResult.Failed.class);
		advance(Duration.ofSeconds(20));
		this.cached.served(LAB);
		assertThat(this.upstream.calls).as("a struggling apiserver is not asked again at once").hasValue(1);
		this.upstream.fail = false;
		advance(Duration.ofSeconds(11));
		assertThat(this.cached.served(LAB)).isInstanceOf(SourceResult.Ok.class);
		assertThat(this.upstream.calls).hasValue(2);
	}

	@Test
	void concurrentRequestsShareOneCall() throws Exception {
		CachingFlowcontrolVersions pooled = new CachingFlowcontrolVersions(this.upstream,
				CachingFlowcontrolVersions.Ttl.defaults());
		ExecutorService pool = Executors.newFixedThreadPool(8);
		try {
			List<Future<SourceResult<List<String>>>> answers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				answers.add(pool.submit(() -> pooled.served(LAB)));
			}
			for (Future<SourceResult<List<String>>> answer : answers) {
				assertThat(answer.get()).isInstanceOf(SourceResult.Ok.class);
			}
			assertThat(this.upstream.calls).hasValue(1);
		}
		finally {
			pool.shutdownNow();
		}
	}

	@Test
	void aSourceThatThrowsStillGivesAValue() {
		this.upstream.explode = true;
		assertThat(this.cached.served(LAB)).isEqualTo(SourceResult.failed("discovery failed: IllegalStateException"));
	}

}
