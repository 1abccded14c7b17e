package dev.cpdoctor.support;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A single named daemon thread for background work that must never keep the JVM alive. */
public final class DaemonScheduler {

	private DaemonScheduler() {
	}

	public static ScheduledExecutorService singleThread(String name) {
		return Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, name);
			thread.setDaemon(true);
			return thread;
		});
	}

}
