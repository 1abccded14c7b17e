package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingAksManagedClusterSourceTests {

	private static final Cluster AKS = new Cluster("aks", Provider.AKS, KubeAccess.none(), null, "configuration");

	private static final Cluster OTHER = new Cluster("aks-2", Provider.AKS, KubeAccess.none(), null, "configuration");

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	private volatile SourceResult<AksManagedCluster> answer = SourceResult
		.ok(new AksManagedCluster("Free", "1.30", "1.30.5", "Succeeded", "Running"));

	private final AksManagedClusterSource cached = new CachingAksManagedClusterSource((cluster) -> {
		this.calls.incrementAndGet();
		return this.answer;
	}, CachingAksManagedClusterSource.Ttl.defaults(), this.nanos::get, Runnable::run);

	@Test
	void anAnswerIsKeptTenMinutesPerCluster() {
		assertThat(this.cached.managedCluster(AKS)).isEqualTo(this.answer);
		this.nanos.addAndGet(Duration.ofMinutes(9).toNanos());
		this.cached.managedCluster(AKS);
		assertThat(this.calls).hasValue(1);
		this.cached.managedCluster(OTHER);
		assertThat(this.calls).hasValue(2);
		this.nanos.addAndGet(Duration.ofMinutes(2).toNanos());
		this.cached.managedCluster(AKS);
		assertThat(this.calls).hasValue(3);
	}

	@Test
	void aFailureIsKeptAMinute() {
		this.answer = SourceResult.failed("Azure Resource Manager: HTTP 403");
		assertThat(this.cached.managedCluster(AKS)).isInstanceOf(SourceResult.Failed.class);
		this.nanos.addAndGet(Duration.ofSeconds(59).toNanos());
		this.cached.managedCluster(AKS);
		assertThat(this.calls).hasValue(1);
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		this.cached.managedCluster(AKS);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void anExceptionIsAFailureValue() {
		AksManagedClusterSource throwing = new CachingAksManagedClusterSource((cluster) -> {
			throw new IllegalStateException("boom");
		}, CachingAksManagedClusterSource.Ttl.defaults(), this.nanos::get, Runnable::run);
		assertThat(throwing.managedCluster(AKS))
			.isEqualTo(SourceResult.failed("reading the managed cluster from Azure failed: IllegalStateException"));
	}

}
