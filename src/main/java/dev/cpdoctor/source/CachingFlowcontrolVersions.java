package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's discovery answer: the served versions change only with an upgrade, so an
 * answer is kept long; a failure briefly, so an apiserver that is struggling is not asked again by
 * everyone generating a remedy during the incident. Concurrent requests for the same cluster share
 * one call.
 */
public final class CachingFlowcontrolVersions implements FlowcontrolVersions {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofMinutes(10), Duration.ofSeconds(30));
		}

	}

	private record Entry(SourceResult<List<String>> result, Duration ttl) {
	}

	private final FlowcontrolVersions delegate;

	private final Ttl ttl;

	private final AsyncCache<String, Entry> cache;

	/** Runs the calls outside the cache's map lock. */
	private final Executor calls;

	public CachingFlowcontrolVersions(FlowcontrolVersions delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "flowcontrol-discovery");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/**
	 * @param ticker measures expiry (Caffeine's clock)
	 * @param calls runs the delegate's calls
	 */
	CachingFlowcontrolVersions(FlowcontrolVersions delegate, Ttl ttl, Ticker ticker, Executor calls) {
		this.delegate = delegate;
		this.ttl = ttl;
		this.calls = calls;
		this.cache = Caffeine.newBuilder().ticker(ticker).maximumSize(1_000).expireAfter(new Expiry<String, Entry>() {

			@Override
			public long expireAfterCreate(String key, Entry entry, long currentTime) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
				return entry.ttl().toNanos();
			}

			@Override
			public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
				return currentDuration;
			}

		}).buildAsync();
	}

	@Override
	public SourceResult<List<String>> served(Cluster cluster) {
		return this.cache.get(cluster.name(), (name, executor) -> CompletableFuture.supplyAsync(() -> {
			SourceResult<List<String>> result;
			try {
				result = this.delegate.served(cluster);
			}
			catch (RuntimeException ex) {
				result = SourceResult.failed("discovery failed: " + ex.getClass().getSimpleName());
			}
			return new Entry(result, (result instanceof SourceResult.Ok<?>) ? this.ttl.answer() : this.ttl.failure());
		}, this.calls)).join().result();
	}

}
