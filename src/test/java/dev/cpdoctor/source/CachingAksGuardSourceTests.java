package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingAksGuardSourceTests {

	private static final Cluster AKS = new Cluster("aks", Provider.AKS, KubeAccess.context("aks", null), null,
			"configuration");

	private final AtomicInteger calls = new AtomicInteger();

	private final AtomicLong nanos = new AtomicLong();

	private volatile SourceResult<AksGuardSource.Guard> answer = SourceResult
		.ok(AksGuardSource.Guard.absent("flowcontrol.apiserver.k8s.io/v1"));

	private final AksGuardSource cached = new CachingAksGuardSource((cluster) -> {
		this.calls.incrementAndGet();
		return this.answer;
	}, CachingAksGuardSource.Ttl.defaults(), this.nanos::get, Runnable::run);

	@Test
	void anAnswerIsKeptAMinute() {
		this.cached.guard(AKS);
		this.nanos.addAndGet(Duration.ofSeconds(59).toNanos());
		this.cached.guard(AKS);
		assertThat(this.calls).hasValue(1);
		this.nanos.addAndGet(Duration.ofSeconds(2).toNanos());
		this.cached.guard(AKS);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void aFailureIsKeptBriefly() {
		this.answer = SourceResult.failed("answered HTTP 500");
		assertThat(this.cached.guard(AKS)).isInstanceOf(SourceResult.Failed.class);
		this.nanos.addAndGet(Duration.ofSeconds(16).toNanos());
		this.cached.guard(AKS);
		assertThat(this.calls).hasValue(2);
	}

	@Test
	void anExceptionIsAFailureValue() {
		AksGuardSource throwing = new CachingAksGuardSource((cluster) -> {
			throw new IllegalStateException("boom");
		}, CachingAksGuardSource.Ttl.defaults(), this.nanos::get, Runnable::run);
		assertThat(throwing.guard(AKS))
			.isEqualTo(SourceResult.failed("reading the FlowSchemas failed: IllegalStateException"));
	}

}
