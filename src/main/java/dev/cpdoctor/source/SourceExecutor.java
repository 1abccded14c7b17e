package dev.cpdoctor.source;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks sources their questions at the same time: a page's panels, the facts of a
 * diagnosis. Three 2-second Log Analytics queries make a 2-second page, not a 6-second
 * one. Sources never throw (failures are values), so a future here completes with the
 * answer or a failure: one that throws anyway, or does not answer within the time limit,
 * fails as a value saying so.
 */
public final class SourceExecutor {

	private static final Logger log = LoggerFactory.getLogger(SourceExecutor.class);

	private final ExecutorService executor;

	private final Duration limit;

	/**
	 * @param threads the most questions answered at once (daemon threads)
	 * @param limit how long a question may take before it fails as a value
	 */
	public SourceExecutor(int threads, Duration limit) {
		this.limit = limit;
		AtomicInteger count = new AtomicInteger();
		this.executor = Executors.newFixedThreadPool(threads, (runnable) -> {
			Thread thread = new Thread(runnable, "source-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * A question, answered within the time limit or failed as a value: one slow source
	 * must not hold a page (or the pool) hostage. The question itself goes on and fills
	 * its cache.
	 */
	public <T> CompletableFuture<SourceResult<T>> ask(Supplier<SourceResult<T>> question) {
		return CompletableFuture.supplyAsync(() -> guarded(question), this.executor)
			.completeOnTimeout(
					SourceResult.failed("No answer within " + this.limit.toSeconds()
							+ " s; the source is still working on it: reload in a moment"),
					this.limit.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * A source that throws anyway (breaking its promise) fails with the exception's
	 * message.
	 */
	private static <T> SourceResult<T> guarded(Supplier<SourceResult<T>> question) {
		try {
			return question.get();
		}
		catch (RuntimeException ex) {
			log.warn("Source failed", ex);
			return SourceResult.failed("The source failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + SourceResult.firstLine(ex.getMessage()) : ""));
		}
	}

	public void shutdownNow() {
		this.executor.shutdownNow();
	}

}
