package dev.cpdoctor.source.auditlog;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The chunk being stored on a helper thread while a tailer reads and parses the next: at
 * most one at a time, so chunks are stored in order, each once the one before it is.
 */
final class ChunkStorer {

	/**
	 * Threads that store chunks, at most one per tailer at a time; idle ones go after a
	 * minute.
	 */
	private static final ExecutorService STORERS = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "audit-log-store");
		thread.setDaemon(true);
		return thread;
	});

	private CompletableFuture<Void> current = CompletableFuture.completedFuture(null);

	void start(Runnable store) {
		this.current = CompletableFuture.runAsync(store, STORERS);
	}

	/**
	 * Waits for the chunk being stored; its failure is thrown here (once), as if stored
	 * in line.
	 */
	void await() {
		CompletableFuture<Void> waited = this.current;
		this.current = CompletableFuture.completedFuture(null);
		try {
			waited.join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof RuntimeException cause) {
				throw cause;
			}
			if (ex.getCause() instanceof Error cause) {
				throw cause;
			}
			throw ex;
		}
	}

	/**
	 * Waits while {@code failure} is on its way out; a failed store is added to it.
	 */
	void awaitAfter(Throwable failure) {
		try {
			await();
		}
		catch (RuntimeException | Error ex) {
			failure.addSuppressed(ex);
		}
	}

}
