package dev.cpdoctor.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.bench.AuditCacheWorkspace.Upstream;

import static dev.cpdoctor.bench.AuditCacheBenchmark.VIEWERS;
import static dev.cpdoctor.bench.AuditCacheWorkspace.upstream;

/**
 * A crowd of {@value AuditCacheBenchmark#VIEWERS} viewers on one URL of the audit cache
 * benchmark's application: each viewer's latency, request sent to body read, its errors
 * and the upstream queries the crowd caused.
 */
final class AuditCacheCrowd {

	private AuditCacheCrowd() {
	}

	/**
	 * One phase's figures, latencies sorted.
	 */
	record Result(String name, Upstream upstream, long[] sortedNanos, int errors) {

		/** Nearest rank. */
		long percentile(int p) {
			int rank = (int) Math.ceil(p / 100.0 * this.sortedNanos.length);
			return this.sortedNanos[Math.max(0, rank - 1)];
		}

		long max() {
			return this.sortedNanos[this.sortedNanos.length - 1];
		}

	}

	/**
	 * One crowd of viewers on one URL, with the upstream queries it caused: all at once
	 * (released together), or one after another.
	 */
	static Result phase(String name, TestApp app, WireMockServer workspace, String path, boolean json,
			boolean concurrent) throws Exception {
		workspace.resetRequests();
		ExecutorService viewers = Executors.newFixedThreadPool(concurrent ? VIEWERS : 1);
		try {
			CountDownLatch ready = new CountDownLatch(VIEWERS);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<Long>> answers = new ArrayList<>();
			for (int i = 0; i < VIEWERS; i++) {
				answers.add(viewers.submit(() -> {
					ready.countDown();
					if (concurrent) {
						go.await();
					}
					long start = System.nanoTime();
					HttpResponse<String> response = json ? app.get(path, "Accept", "application/json") : app.get(path);
					long elapsed = System.nanoTime() - start;
					boolean ok = response.statusCode() == 200 && (json ? response.body().contains("\"userAgent\"")
							: !response.body().contains("class=\"error\""));
					return ok ? elapsed : -elapsed;
				}));
			}
			if (concurrent) {
				ready.await();
			}
			go.countDown();
			long[] latencies = new long[VIEWERS];
			int errors = 0;
			for (int i = 0; i < VIEWERS; i++) {
				long value = answers.get(i).get();
				errors += (value < 0) ? 1 : 0;
				latencies[i] = Math.abs(value);
			}
			Arrays.sort(latencies);
			return new Result(name, upstream(workspace), latencies, errors);
		}
		finally {
			viewers.shutdown();
		}
	}

}
