package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's webhooks and failed webhook calls for a minute, so that everyone looking at
 * the guide during an incident costs the apiserver one read per minute, not one per page view; a
 * failure only briefly, so a recovered apiserver shows soon. Concurrent requests for the same
 * cluster and question share one read. Nothing is read until someone asks (no polling).
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

	private record Entry(SourceResult<?> result, Duration ttl) {
	}

	private final WebhookSource delegate;

	private final Ttl ttl;

	private final AsyncCache<Key, Entry> cache;

	/** Runs the reads outside the cache's map lock. */
	private final Executor calls;

	public CachingWebhookSource(WebhookSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "webhook-source");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the delegate's reads
	 */
	CachingWebhookSource(WebhookSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.ttl = ttl;
		this.calls = calls;
		this.cache = Caffeine.newBuilder().ticker(ticker).maximumSize(1_000).expireAfter(new Expiry<Key, Entry>() {

			@Override
			public long expireAfterCreate(Key key, Entry entry, long currentTime) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterUpdate(Key key, Entry entry, long currentTime, long currentDuration) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterRead(Key key, Entry entry, long currentTime, long currentDuration) {
				return currentDuration;
			}

		}).buildAsync();
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		return cached(new Key(cluster.name(), Question.WEBHOOKS), () -> this.delegate.webhooks(cluster));
	}

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		return cached(new Key(cluster.name(), Question.FAILED_CALLS), () -> this.delegate.failedCalls(cluster));
	}

	/** The key's question decides the entry's type: the cast is safe. */
	@SuppressWarnings("unchecked")
	private <T> SourceResult<T> cached(Key key, Supplier<SourceResult<T>> read) {
		return (SourceResult<T>) this.cache.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> {
			SourceResult<T> result;
			try {
				result = read.get();
			}
			catch (RuntimeException ex) {
				result = SourceResult.failed("reading the webhooks failed: " + ex.getClass().getSimpleName());
			}
			return new Entry(result, (result instanceof SourceResult.Ok<?>) ? this.ttl.answer() : this.ttl.failure());
		}, this.calls)).join().result();
	}

}
