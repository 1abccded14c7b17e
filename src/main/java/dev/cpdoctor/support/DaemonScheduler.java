package dev.cpdoctor.support;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A single named daemon thread for background work that must never keep the JVM alive. On
 * shutdown, work already running may finish; work merely scheduled for later is dropped.
 */
public final class DaemonScheduler {

	private DaemonScheduler() {
	}

	public static ScheduledExecutorService singleThread(String name) {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
		executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** Lets running work finish within the grace period, then interrupts it. */
	public static void stopGracefully(ScheduledExecutorService executor, Duration grace) {
		executor.shutdown();
		try {
			if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
				executor.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			executor.shutdownNow();
			Thread.currentThread().interrupt();
		}
	}

}
