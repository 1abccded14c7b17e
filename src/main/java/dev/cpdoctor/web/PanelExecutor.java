package dev.cpdoctor.web;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Asks a page's panels their questions at the same time. Sources never throw at pages (failures are
 * values), so a future here completes with the panel's answer or failure.
 */
final class PanelExecutor {

	private final ExecutorService executor;

	PanelExecutor(int threads) {
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "panel-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	<T> CompletableFuture<T> ask(Supplier<T> question) {
		return CompletableFuture.supplyAsync(question, this.executor);
	}

	void shutdownNow() {
		this.executor.shutdownNow();
	}

}
