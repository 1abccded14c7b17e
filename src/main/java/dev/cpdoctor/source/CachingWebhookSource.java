package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's webhooks and failed webhook calls for a minute, so that everyone
 * looking at the guide during an incident costs the apiserver one read per minute, not
 * one per page view; a failure only briefly, so a recovered apiserver shows soon.
 * Concurrent requests for the same cluster and question share one read. Nothing is read
 * until someone asks (no polling).
 */
public final class CachingWebhookSource implements WebhookSource {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofSeconds(60), Duration.ofSeconds(15));
		}

	}

	private enum Question {

		WEBHOOKS, FAILED_CALLS

	}

	private record Key(String cluster, Question question) {
	}

	private static final String FAILING = "reading the webhooks failed";

	private final WebhookSource delegate;

	private final SourceResultCache<Key> cache;

	public CachingWebhookSource(WebhookSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), SourceResultCache.threads("webhook-source"));
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the delegate's reads
	 */
	CachingWebhookSource(WebhookSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.cache = new SourceResultCache<>(ttl.answer(), ttl.failure(), ticker, calls);
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		return this.cache.get(new Key(cluster.name(), Question.WEBHOOKS), () -> this.delegate.webhooks(cluster),
				FAILING);
	}

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		return this.cache.get(new Key(cluster.name(), Question.FAILED_CALLS), () -> this.delegate.failedCalls(cluster),
				FAILING);
	}

}
