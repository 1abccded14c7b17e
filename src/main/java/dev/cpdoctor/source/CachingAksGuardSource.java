package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import dev.cpdoctor.cluster.Cluster;

/**
 * Keeps each cluster's answer about the AKS guard FlowSchema for a minute (a failure briefly), so
 * everyone looking at the guide during an incident costs the apiserver one LIST per minute.
 * Concurrent requests for the same cluster share one read.
 */
public final class CachingAksGuardSource implements AksGuardSource {

	/** How long answers and failures are kept. */
	public record Ttl(Duration answer, Duration failure) {

		public static Ttl defaults() {
			return new Ttl(Duration.ofSeconds(60), Duration.ofSeconds(15));
		}

	}

	private record Entry(SourceResult<Guard> result, Duration ttl) {
	}

	private final AksGuardSource delegate;

	private final Ttl ttl;

	private final AsyncCache<String, Entry> cache;

	private final Executor calls;

	public CachingAksGuardSource(AksGuardSource delegate, Ttl ttl) {
		this(delegate, ttl, Ticker.systemTicker(), Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "aks-guard-source");
			thread.setDaemon(true);
			return thread;
		}));
	}

	CachingAksGuardSource(AksGuardSource delegate, Ttl ttl, Ticker ticker, Executor calls) {
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
	public SourceResult<Guard> guard(Cluster cluster) {
		return this.cache.get(cluster.name(), (name, executor) -> CompletableFuture.supplyAsync(() -> {
			SourceResult<Guard> result;
			try {
				result = this.delegate.guard(cluster);
			}
			catch (RuntimeException ex) {
				result = SourceResult.failed("reading the FlowSchemas failed: " + ex.getClass().getSimpleName());
			}
			return new Entry(result, (result instanceof SourceResult.Ok<?>) ? this.ttl.answer() : this.ttl.failure());
		}, this.calls)).join().result();
	}

}
