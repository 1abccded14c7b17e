package dev.cpdoctor.bench;

import java.lang.ref.Reference;
import java.time.Clock;
import java.util.Map;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.etcd.EtcdProperties;
import dev.cpdoctor.source.etcd.EtcdTestServer;
import dev.cpdoctor.source.etcd.JetcdEtcdDirectSource;

import static dev.cpdoctor.bench.BenchProcess.cpuNanos;
import static dev.cpdoctor.bench.BenchProcess.heapUsed;
import static dev.cpdoctor.bench.BenchProcess.peakRss;
import static dev.cpdoctor.bench.BenchProcess.processCpuNanos;
import static dev.cpdoctor.bench.BenchProcess.resetPeakRss;
import static dev.cpdoctor.bench.EtcdScanBenchmark.MB;

/**
 * Our side of the etcd scan benchmark: a scan of the keyspace through the dashboard's own
 * {@link JetcdEtcdDirectSource#refreshKeyspace}, with its time, this JVM's and etcd's
 * CPU, our heap (watched by {@link HeapWatch}, before and retained after a full GC) and
 * the JVM's peak RSS.
 */
final class EtcdScanOurs {

	private EtcdScanOurs() {
	}

	/**
	 * @param cpuNanos this JVM's CPU time during the scan, GC and JIT included;
	 * etcdCpuNanos etcd's
	 */
	record Scan(KeyspaceUsage usage, long nanos, HeapWatch heap, long beforeBytes, long retainedBytes, long rssBytes,
			long dbBytes, long dbInUseBytes, long cpuNanos, long etcdCpuNanos) {
	}

	/**
	 * One scan through the dashboard's source; a fresh source (and connection) each time,
	 * opened first.
	 */
	static Scan scan(EtcdTestServer etcd, Cluster cluster, EtcdProperties properties, String label) throws Exception {
		try (JetcdEtcdDirectSource source = new JetcdEtcdDirectSource(Map.of(cluster.name(), etcd.configuration()),
				properties, Clock.systemUTC())) {
			SourceResult<EtcdClusterStatus> status = source.status(cluster);
			if (!(status instanceof SourceResult.Ok<EtcdClusterStatus> ok) || ok.value().members().isEmpty()) {
				throw new IllegalStateException("etcd status: " + status);
			}
			System.gc();
			long before = heapUsed();
			HeapWatch heap = new HeapWatch();
			heap.start();
			boolean rssReset = resetPeakRss();
			long etcdCpu0 = cpuNanos(etcd.pid());
			long cpu0 = processCpuNanos();
			long t0 = System.nanoTime();
			SourceResult<KeyspaceUsage> result = source.refreshKeyspace(cluster);
			long nanos = System.nanoTime() - t0;
			long cpu = processCpuNanos() - cpu0;
			long etcdCpu = cpuNanos(etcd.pid()) - etcdCpu0;
			heap.stop();
			long rss = rssReset ? peakRss() : -1;
			if (!(result instanceof SourceResult.Ok<KeyspaceUsage> scanned)) {
				throw new IllegalStateException("our scan (" + label + ") failed: " + result);
			}
			System.gc();
			long retained = heapUsed();
			Reference.reachabilityFence(scanned);
			KeyspaceUsage usage = scanned.value();
			System.out.printf("ours   %-22s %,9d keys, %,6d pages in %6.2f s (%,.0f keys/s, %,.1f MB/s of values)%n",
					label, usage.keys(), usage.pages(), nanos / 1e9, usage.keys() / (nanos / 1e9),
					usage.valueBytes() / MB / (nanos / 1e9));
			var member = ok.value().members().get(0);
			return new Scan(usage, nanos, heap, before, retained, rss, member.dbSizeBytes(), member.dbSizeInUseBytes(),
					cpu, etcdCpu);
		}
	}

	/**
	 * The seconds a scan of these pages and bytes takes at the given pace: each page
	 * waits for the slower limit.
	 */
	static double pacedSeconds(Scan scan, EtcdProperties pace) {
		long pages = scan.usage().pages();
		double perPageBytes = scan.usage().valueBytes() / (double) Math.max(1, pages);
		double perPage = Math.max(1 / pace.scanPagesPerSecond(), perPageBytes / pace.scanBytesPerSecond().toBytes());
		// no wait after the last page; never faster than unpaced
		return Math.max(scan.nanos() / 1e9, (pages - 1) * perPage);
	}

	/**
	 * The live set of a scan: the most heap left after a GC, or what it retained when no
	 * GC ran.
	 */
	static long live(Scan scan) {
		return (scan.heap().maxAfterGc() > 0) ? scan.heap().maxAfterGc() : scan.retainedBytes();
	}

}
