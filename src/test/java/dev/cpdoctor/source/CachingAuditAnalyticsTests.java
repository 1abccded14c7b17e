package dev.cpdoctor.source;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingAuditAnalyticsTests {

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private static final Cluster AKS = new Cluster("prod-weu", Provider.AKS, KubeAccess.none(), null, "configuration");

	private static final TimeWindow PAST = new TimeWindow(NOW.minus(Duration.ofHours(3)),
			NOW.minus(Duration.ofHours(2)));

	/** A slow upstream that counts its queries. */
	static final class CountingSource implements AuditAnalytics {

		final AtomicInteger calls = new AtomicInteger();

		volatile boolean fail;

		@Override
		public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
			int n = this.calls.incrementAndGet();
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return this.fail ? SourceResult.failed("throttled")
					: SourceResult.ok(List.of(new UserAgentRequests("kubelet", n)));
		}

		@Override
		public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin,
				int topN) {
			this.calls.incrementAndGet();
			return SourceResult.ok(List.of());
		}

		@Override
		public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster c, TimeWindow w, String ua) {
			this.calls.incrementAndGet();
			return SourceResult.ok(List.of());
		}

	}

	private final CountingSource upstream = new CountingSource();

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final AtomicLong nanos = new AtomicLong();

	@Test
	void fiftyConcurrentViewersOfOnePermalinkCauseOneUpstreamQuery() throws Exception {
		CachingAuditAnalytics cache = new CachingAuditAnalytics(this.upstream, CachingAuditAnalytics.Ttl.defaults(),
				1000, this.clock);
		ExecutorService viewers = Executors.newFixedThreadPool(50);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<SourceResult<List<UserAgentRequests>>>> answers = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			answers.add(viewers.submit(() -> {
				start.await();
				return cache.topUserAgents(AKS, PAST, 10);
			}));
		}
		start.countDown();
		for (Future<SourceResult<List<UserAgentRequests>>> answer : answers) {
			assertThat(answer.get()).isEqualTo(SourceResult.ok(List.of(new UserAgentRequests("kubelet", 1))));
		}
		viewers.shutdown();
		assertThat(this.upstream.calls).hasValue(1);
	}

	@Test
	void aPastWindowIsKeptLongAWindowTouchingNowBriefly() {
		CachingAuditAnalytics cache = new CachingAuditAnalytics(this.upstream, CachingAuditAnalytics.Ttl.defaults(),
				1000, this.clock, this.nanos::get, Runnable::run);
		TimeWindow live = new TimeWindow(NOW.minus(Duration.ofHours(1)), NOW);
		cache.topUserAgents(AKS, PAST, 10);
		cache.topUserAgents(AKS, live, 10);
		assertThat(this.upstream.calls).hasValue(2);
		this.nanos.addAndGet(Duration.ofSeconds(30).toNanos());
		cache.topUserAgents(AKS, PAST, 10);
		cache.topUserAgents(AKS, live, 10);
		assertThat(this.upstream.calls).as("both still cached after 30 s").hasValue(2);
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		cache.topUserAgents(AKS, PAST, 10);
		cache.topUserAgents(AKS, live, 10);
		assertThat(this.upstream.calls).as("the live window is asked again, the past one is not").hasValue(3);
		this.nanos.addAndGet(Duration.ofHours(7).toNanos());
		cache.topUserAgents(AKS, PAST, 10);
		assertThat(this.upstream.calls).as("even a past window expires after hours").hasValue(4);
		// Different parameters are different questions.
		cache.topUserAgents(AKS, PAST, 5);
		assertThat(this.upstream.calls).hasValue(5);
	}

	@Test
	void failuresAreKeptOnlyBriefly() throws Exception {
		CachingAuditAnalytics cache = new CachingAuditAnalytics(this.upstream,
				new CachingAuditAnalytics.Ttl(Duration.ofHours(1), Duration.ofSeconds(60), Duration.ofMillis(200)),
				1000, this.clock);
		this.upstream.fail = true;
		assertThat(cache.topUserAgents(AKS, PAST, 10)).isInstanceOf(SourceResult.Failed.class);
		assertThat(cache.topUserAgents(AKS, PAST, 10)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.upstream.calls).hasValue(1);
		Thread.sleep(400);
		this.upstream.fail = false;
		assertThat(cache.topUserAgents(AKS, PAST, 10)).isInstanceOf(SourceResult.Ok.class);
		assertThat(this.upstream.calls).hasValue(2);
	}

}
