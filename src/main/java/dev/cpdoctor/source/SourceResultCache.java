package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

/**
 * A source's answers kept per key: an answer for one time, a failure for a shorter one,
 * so that everyone looking during an incident costs the cluster one read per key and
 * period, and a recovered source shows soon. Concurrent callers of one key share one
 * read, run outside the cache's map lock; a read that throws is a failure value, never an
 * exception.
 *
 * @param <K> what identifies a question (a cluster's name, or a cluster and a question)
 */
final class SourceResultCache<K> {

	private record Entry(SourceResult<?> result, Duration ttl) {
	}

	private final AsyncCache<K, Entry> cache;

	private final Executor calls;

	private final Duration answer;

	private final Duration failure;

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the reads
	 */
	SourceResultCache(Duration answer, Duration failure, Ticker ticker, Executor calls) {
		this.answer = answer;
		this.failure = failure;
		this.calls = calls;
		this.cache = Caffeine.newBuilder().ticker(ticker).maximumSize(1_000).expireAfter(new Expiry<K, Entry>() {

			@Override
			public long expireAfterCreate(K key, Entry entry, long currentTime) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterUpdate(K key, Entry entry, long currentTime, long currentDuration) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterRead(K key, Entry entry, long currentTime, long currentDuration) {
				return currentDuration;
			}

		}).buildAsync();
	}

	/** Daemon threads named {@code name} for the reads. */
	static Executor threads(String name) {
		return Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * The kept answer for {@code key}, else what {@code read} gives now. A key always
	 * answers the same question, so the type of its entry is the caller's.
	 * @param failing what a read that throws failed at, e.g. "reading the webhooks
	 * failed"
	 */
	@SuppressWarnings("unchecked")
	<T> SourceResult<T> get(K key, Supplier<SourceResult<T>> read, String failing) {
		return (SourceResult<T>) this.cache.get(key, (k, executor) -> CompletableFuture.supplyAsync(() -> {
			SourceResult<T> result;
			try {
				result = read.get();
			}
			catch (RuntimeException ex) {
				result = SourceResult.failed(failing + ": " + ex.getClass().getSimpleName());
			}
			return new Entry(result, (result instanceof SourceResult.Ok<?>) ? this.answer : this.failure);
		}, this.calls)).join().result();
	}

}
