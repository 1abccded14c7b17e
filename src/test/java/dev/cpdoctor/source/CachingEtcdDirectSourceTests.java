package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingEtcdDirectSourceTests {

	private static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	private static final Cluster PLAIN = new Cluster("plain", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	/** Counts reads; a scan can be held until released. */
	static final class CountingSource implements EtcdDirectSource {

		final AtomicInteger statusReads = new AtomicInteger();

		final AtomicInteger scans = new AtomicInteger();

		volatile CountDownLatch release = new CountDownLatch(0);

		final CountDownLatch scanStarted = new CountDownLatch(1);

		volatile boolean failScans;

		@Override
		public boolean configured(Cluster cluster) {
			return cluster.name().equals("lab");
		}

		@Override
		public SourceResult<EtcdClusterStatus> status(Cluster cluster) {
			if (!configured(cluster)) {
				return SourceResult.failed("not configured");
			}
			this.statusReads.incrementAndGet();
			return SourceResult
				.ok(new EtcdClusterStatus(List.of(), List.of(), List.of(), null, List.of(), List.of(), Instant.EPOCH));
		}

		@Override
		public SourceResult<KeyspaceUsage> keyspace(Cluster cluster) {
			return refreshKeyspace(cluster);
		}

		@Override
		public SourceResult<KeyspaceUsage> refreshKeyspace(Cluster cluster) {
			if (!configured(cluster)) {
				return SourceResult.failed("not configured");
			}
			int n = this.scans.incrementAndGet();
			this.scanStarted.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.failScans) {
				return SourceResult.failed("etcd refused");
			}
			return SourceResult.ok(new KeyspaceUsage(n, 0, 0, List.of(), 1, 500, Instant.EPOCH, Duration.ZERO));
		}

	}

	private final CountingSource upstream = new CountingSource();

	private final AtomicLong nanos = new AtomicLong();

	private final ExecutorService askers = Executors.newFixedThreadPool(4);

	private final CachingEtcdDirectSource cache = new CachingEtcdDirectSource(this.upstream,
			new CachingEtcdDirectSource.Ttl(Duration.ofSeconds(15), Duration.ofSeconds(5)), this.nanos::get,
			Executors.newCachedThreadPool());

	@AfterEach
	void stop() {
		this.askers.shutdownNow();
	}

	private static long revision(SourceResult<KeyspaceUsage> result) {
		return ((SourceResult.Ok<KeyspaceUsage>) result).value().revision();
	}

	@Test
	void statusIsReadOncePerTtl() {
		// Reads on the asking thread: with a pool, the cache may set the answer's expiry
		// only after the clock below moved on, and the answer would then live longer.
		CachingEtcdDirectSource cache = new CachingEtcdDirectSource(this.upstream,
				new CachingEtcdDirectSource.Ttl(Duration.ofSeconds(15), Duration.ofSeconds(5)), this.nanos::get,
				Runnable::run);
		cache.status(LAB);
		cache.status(LAB);
		assertThat(this.upstream.statusReads).hasValue(1);
		this.nanos.addAndGet(Duration.ofSeconds(15).toNanos());
		cache.status(LAB);
		assertThat(this.upstream.statusReads).hasValue(2);
	}

	@Test
	void theLastScanIsKeptUntilARefreshIsAskedFor() {
		assertThat(revision(this.cache.keyspace(LAB))).isEqualTo(1);
		assertThat(revision(this.cache.keyspace(LAB))).isEqualTo(1);
		this.nanos.addAndGet(Duration.ofDays(1).toNanos());
		assertThat(revision(this.cache.keyspace(LAB))).isEqualTo(1);
		assertThat(this.upstream.scans).hasValue(1);
		assertThat(revision(this.cache.refreshKeyspace(LAB))).isEqualTo(2);
		assertThat(revision(this.cache.keyspace(LAB))).isEqualTo(2);
	}

	@Test
	void concurrentAskersShareOneScan() throws Exception {
		this.upstream.release = new CountDownLatch(1);
		Future<SourceResult<KeyspaceUsage>> first = this.askers.submit(() -> this.cache.refreshKeyspace(LAB));
		assertThat(this.upstream.scanStarted.await(5, TimeUnit.SECONDS)).isTrue();
		Future<SourceResult<KeyspaceUsage>> second = this.askers.submit(() -> this.cache.refreshKeyspace(LAB));
		Future<SourceResult<KeyspaceUsage>> firstLook = this.askers.submit(() -> this.cache.keyspace(LAB));
		Thread.sleep(200); // let them ask while the scan runs; they must wait, not start
							// another
		assertThat(second.isDone()).isFalse();
		this.upstream.release.countDown();
		assertThat(revision(first.get(5, TimeUnit.SECONDS))).isEqualTo(1);
		assertThat(revision(second.get(5, TimeUnit.SECONDS))).isEqualTo(1);
		assertThat(revision(firstLook.get(5, TimeUnit.SECONDS))).isEqualTo(1);
		assertThat(this.upstream.scans).hasValue(1);
	}

	@Test
	void aFailedScanIsKeptTooUntilARefresh() {
		this.upstream.failScans = true;
		assertThat(this.cache.keyspace(LAB)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.cache.keyspace(LAB)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.upstream.scans).hasValue(1);
		this.upstream.failScans = false;
		assertThat(revision(this.cache.refreshKeyspace(LAB))).isEqualTo(2);
	}

	/**
	 * A refresh that fails (etcd struggling, a timeout) must not throw away the good
	 * scan: whoever looks next still sees it, with the failure as a warning; the
	 * refresher gets the failure.
	 */
	@Test
	void aFailedRefreshKeepsTheLastGoodScanWithAWarning() {
		assertThat(revision(this.cache.keyspace(LAB))).isEqualTo(1);
		this.upstream.failScans = true;
		assertThat(this.cache.refreshKeyspace(LAB)).isInstanceOf(SourceResult.Failed.class);
		SourceResult<KeyspaceUsage> look = this.cache.keyspace(LAB);
		assertThat(look).isInstanceOf(SourceResult.Ok.class);
		assertThat(revision(look)).isEqualTo(1);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) look).warnings()).singleElement()
			.asString()
			.contains("etcd refused");
		this.upstream.failScans = false;
		assertThat(revision(this.cache.refreshKeyspace(LAB))).isEqualTo(3);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) this.cache.keyspace(LAB)).warnings()).isEmpty();
	}

	@Test
	void aScanLongerThanTheWaitGoesOnInTheBackgroundWhileLooksSayItRuns() throws Exception {
		CachingEtcdDirectSource impatient = new CachingEtcdDirectSource(this.upstream,
				new CachingEtcdDirectSource.Ttl(Duration.ofSeconds(15), Duration.ofSeconds(5)), this.nanos::get,
				Executors.newCachedThreadPool(), Duration.ofMillis(100));
		this.upstream.release = new CountDownLatch(1);
		// the first look: nothing scanned yet, and the page does not wait for the whole
		// scan
		SourceResult<KeyspaceUsage> first = impatient.keyspace(LAB);
		assertThat(first).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("is still running").contains("nothing was scanned"));
		assertThat(impatient.keyspace(LAB)).isInstanceOf(SourceResult.Failed.class);
		assertThat(impatient.refreshKeyspace(LAB)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.upstream.scans).hasValue(1);
		this.upstream.release.countDown();
		Awaitility.await()
			.atMost(Duration.ofSeconds(5))
			.until(() -> impatient.keyspace(LAB) instanceof SourceResult.Ok);
		assertThat(revision(impatient.keyspace(LAB))).isEqualTo(1);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) impatient.keyspace(LAB)).warnings()).isEmpty();

		// a refresh that outlasts the wait: the scan before it, saying a new one runs
		this.upstream.release = new CountDownLatch(1);
		SourceResult<KeyspaceUsage> during = impatient.refreshKeyspace(LAB);
		assertThat(revision(during)).isEqualTo(1);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) during).warnings()).singleElement()
			.satisfies((w) -> assertThat(w).contains("is still running").contains("the scan before it"));
		assertThat(((SourceResult.Ok<KeyspaceUsage>) impatient.keyspace(LAB)).warnings()).hasSize(1);
		this.upstream.release.countDown();
		Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> revision(impatient.keyspace(LAB)) == 2);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) impatient.keyspace(LAB)).warnings()).isEmpty();
		assertThat(this.upstream.scans).hasValue(2);
	}

	@Test
	void unconfiguredClustersAreAnsweredByTheDelegateUncached() {
		assertThat(this.cache.configured(PLAIN)).isFalse();
		assertThat(this.cache.status(PLAIN)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.cache.keyspace(PLAIN)).isInstanceOf(SourceResult.Failed.class);
		assertThat(this.upstream.statusReads).hasValue(0);
	}

}
