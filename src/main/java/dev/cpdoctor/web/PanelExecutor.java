package dev.cpdoctor.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Asks a page's panels their questions at the same time. Sources never throw at pages
 * (failures are values), so a future here completes with the panel's answer or failure.
 */
final class PanelExecutor {

	private final ExecutorService executor;

	private final Duration limit;

	PanelExecutor(int threads, Duration limit) {
		this.limit = limit;
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "panel-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * A panel's question, answered within the time limit or failed as a value: one slow
	 * source must not hold a page (or the pool) hostage. The question itself goes on and
	 * fills its cache.
	 */
	<T> CompletableFuture<Panel<T>> ask(Supplier<Panel<T>> question) {
		return CompletableFuture.supplyAsync(question, this.executor)
			.completeOnTimeout(
					Panel.failed("No answer within " + this.limit.toSeconds()
							+ " s; the source is still working on it: reload in a moment"),
					this.limit.toMillis(), TimeUnit.MILLISECONDS);
	}

	void shutdownNow() {
		this.executor.shutdownNow();
	}

}
