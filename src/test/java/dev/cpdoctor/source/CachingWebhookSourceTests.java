package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;

class CachingWebhookSourceTests {

	private static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null,
			"configuration");

	private static final Cluster OTHER = new Cluster("other", Provider.SELF_MANAGED, KubeAccess.context("other", null),
			null, "configuration");

	private static final AdmissionWebhook HOOK = new AdmissionWebhook("cfg", AdmissionWebhook.Kind.VALIDATING, "w",
			"Fail", "ns/svc", 1, true, 10);

	/** Counts the reads of each question. */
	static final class CountingSource implements WebhookSource {

		final AtomicInteger webhookReads = new AtomicInteger();

		final AtomicInteger eventReads = new AtomicInteger();

		volatile boolean fail;

		volatile boolean explode;

		@Override
		public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
			this.webhookReads.incrementAndGet();
			if (this.explode) {
				throw new IllegalStateException("boom");
			}
			return this.fail ? SourceResult.failed("answered HTTP 503") : SourceResult.ok(List.of(HOOK));
		}

		@Override
		public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
			this.eventReads.incrementAndGet();
			return SourceResult.ok(List.of());
		}

	}

	private final CountingSource upstream = new CountingSource();

	private final AtomicLong nanos = new AtomicLong();

	/**
	 * Reads run on the caller's thread, so an entry's expiry is stamped before the fake
	 * clock moves.
	 */
	private final CachingWebhookSource cached = new CachingWebhookSource(this.upstream,
			CachingWebhookSource.Ttl.defaults(), this.nanos::get, Runnable::run);

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

	@Test
	void anAnswerIsKeptAMinutePerClusterAndQuestion() {
		assertThat(this.cached.webhooks(LAB)).isEqualTo(SourceResult.ok(List.of(HOOK)));
		advance(Duration.ofSeconds(59));
		this.cached.webhooks(LAB);
		assertThat(this.upstream.webhookReads).hasValue(1);
		this.cached.failedCalls(LAB);
		this.cached.failedCalls(LAB);
		assertThat(this.upstream.eventReads).as("the events are a question of their own").hasValue(1);
		this.cached.webhooks(OTHER);
		assertThat(this.upstream.webhookReads).as("another cluster is read apart").hasValue(2);
		advance(Duration.ofSeconds(2));
		this.cached.webhooks(LAB);
		assertThat(this.upstream.webhookReads).hasValue(3);
	}

	@Test
	void aFailureIsKeptBriefly() {
		this.upstream.fail = true;
		assertThat(this.cached.webhooks(LAB)).isEqualTo(SourceResult.failed("answered HTTP 503"));
		advance(Duration.ofSeconds(10));
		this.cached.webhooks(LAB);
		assertThat(this.upstream.webhookReads).hasValue(1);
		this.upstream.fail = false;
		advance(Duration.ofSeconds(6));
		assertThat(this.cached.webhooks(LAB)).isEqualTo(SourceResult.ok(List.of(HOOK)));
		assertThat(this.upstream.webhookReads).hasValue(2);
	}

	@Test
	void aSourceThatThrowsGivesAFailureValue() {
		this.upstream.explode = true;
		assertThat(this.cached.webhooks(LAB))
			.isEqualTo(SourceResult.failed("reading the webhooks failed: IllegalStateException"));
	}

}
