package dev.cpdoctor.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Viewers of the dashboard while an import runs: one thread per page, each asking for it
 * every {@value #EVERY_MS} ms (at once when an answer took longer), the time from request
 * sent to body read kept per answer. An answer other than 200, or a page that shows an
 * error panel, or no answer within 60 s, is an error (its time is kept too).
 */
final class AuditImportPages {

	static final long EVERY_MS = 250;

	/**
	 * A page to watch.
	 *
	 * @param name what the report calls it
	 * @param path its path for the n-th request (0, 1, ...)
	 */
	record Page(String name, IntFunction<String> path) {

		static Page fixed(String name, String path) {
			return new Page(name, (n) -> path);
		}

	}

	/** One page's answers, times sorted. */
	record Watched(String name, long[] sortedNanos, int errors, String firstError) {

		/** Nearest rank; 0 without answers. */
		long percentile(double p) {
			if (this.sortedNanos.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(p / 100.0 * this.sortedNanos.length);
			return this.sortedNanos[Math.max(0, rank - 1)];
		}

		long max() {
			return (this.sortedNanos.length == 0) ? 0 : this.sortedNanos[this.sortedNanos.length - 1];
		}

	}

	private final AuditImportDashboard dashboard;

	private final List<Page> pages;

	private final List<Thread> threads = new ArrayList<>();

	private final List<List<Long>> times = new ArrayList<>();

	private final int[] errors;

	private final String[] firstErrors;

	private volatile boolean running = true;

	private AuditImportPages(AuditImportDashboard dashboard, List<Page> pages) {
		this.dashboard = dashboard;
		this.pages = pages;
		this.errors = new int[pages.size()];
		this.firstErrors = new String[pages.size()];
	}

	/** Starts watching the pages. */
	static AuditImportPages watch(AuditImportDashboard dashboard, List<Page> pages) {
		AuditImportPages watch = new AuditImportPages(dashboard, pages);
		for (int i = 0; i < pages.size(); i++) {
			watch.times.add(new ArrayList<>());
			int index = i;
			Thread thread = new Thread(() -> watch.loop(index), "viewer-" + pages.get(i).name());
			thread.setDaemon(true);
			watch.threads.add(thread);
			thread.start();
		}
		return watch;
	}

	private void loop(int index) {
		Page page = this.pages.get(index);
		for (int n = 0; this.running; n++) {
			long t0 = System.nanoTime();
			String problem;
			try {
				HttpResponse<String> answer = this.dashboard.get(page.path().apply(n));
				problem = (answer.statusCode() != 200) ? "HTTP " + answer.statusCode()
						: answer.body().contains("class=\"error\"") ? "an error panel" : null;
			}
			catch (IOException ex) {
				problem = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			}
			catch (InterruptedException ex) {
				return;
			}
			long elapsed = System.nanoTime() - t0;
			synchronized (this) {
				this.times.get(index).add(elapsed);
				if (problem != null) {
					this.firstErrors[index] = (this.errors[index]++ == 0) ? problem : this.firstErrors[index];
				}
			}
			long wait = TimeUnit.MILLISECONDS.toNanos(EVERY_MS) - elapsed;
			if (wait > 0) {
				try {
					TimeUnit.NANOSECONDS.sleep(wait);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}
	}

	/**
	 * Stops watching; a request in flight is waited for (its answer counts: it was asked
	 * during the import).
	 */
	List<Watched> stop() throws InterruptedException {
		this.running = false;
		for (Thread thread : this.threads) {
			thread.join(TimeUnit.SECONDS.toMillis(70));
		}
		List<Watched> watched = new ArrayList<>();
		synchronized (this) {
			for (int i = 0; i < this.pages.size(); i++) {
				long[] sorted = this.times.get(i).stream().mapToLong(Long::longValue).sorted().toArray();
				watched.add(new Watched(this.pages.get(i).name(), sorted, this.errors[i], this.firstErrors[i]));
			}
		}
		return watched;
	}

}
