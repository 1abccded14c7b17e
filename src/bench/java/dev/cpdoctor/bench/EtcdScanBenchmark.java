package dev.cpdoctor.bench;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.util.unit.DataSize;

import dev.cpdoctor.bench.EtcdKeyspace.Load;
import dev.cpdoctor.bench.EtcdScanOurs.Scan;
import dev.cpdoctor.bench.EtcdctlPeer.Tool;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.etcd.EtcdProperties;
import dev.cpdoctor.source.etcd.EtcdTestServer;
import dev.cpdoctor.source.etcd.JetcdEtcdDirectSource;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;
import static dev.cpdoctor.bench.BenchProcess.firstLine;

/**
 * Scanning the keyspace of a real etcd (issue 7, "Performance"): keys/s and peak heap of
 * our scan next to {@code etcdctl get / --prefix --keys-only | wc -l} on the same etcd in
 * the same run. Prints figures and PASS/FAIL, asserts nothing: run it with
 * {@code bench/etcd-scan.sh [KEYS]} (the Maven profile {@code bench}, execution
 * {@code etcd-scan-benchmark}, a JVM with -Xms256m -Xmx256m).
 * <ul>
 * <li>etcd: Debian's etcd started by {@link EtcdTestServer} on 127.0.0.1 with an 8 GiB
 * quota. The keyspace ({@link EtcdKeyspace}, 1,000,000 keys unless
 * {@code bench.etcdKeys}) is /registry-shaped: 24 resources with kube-apiserver's
 * prefixes (services/specs, minions, group/resource for custom resources), 300 namespaces
 * plus cluster-scoped ones, and one leaking custom resource
 * (reports.kyverno.io/ephemeralreports, 45 % of the keys, most in five namespaces);
 * values of 100 to 600 bytes that do not compress, starting with the k8s protobuf magic.
 * Loaded with jetcd in transactions of 100 puts, 16 in flight; the load is timed apart
 * and not charged.</li>
 * <li>Two sizes in one run, to see whether the heap grows with the keyspace: a quarter of
 * the keys is loaded and scanned, then the rest, and the whole is scanned.</li>
 * <li>Ours: the dashboard's own path, {@link JetcdEtcdDirectSource#refreshKeyspace}
 * (KeyspaceScanner: pages of {@code cpdoctor.etcd.page-size} keys, default 500, at one
 * revision, serializable, values read for their size, a tally per prefix and namespace),
 * with the pacing set so high it never waits. The connection is opened by a status call
 * before, not charged. Heap is watched with GC notifications as in
 * {@link AuditIngestBenchmark}: the peak is the most heap in use when a collection began
 * (how far the collector let the heap fill, not what the scan needs), the live set the
 * most left after one, by quarter of the scan; retained is the heap in use after a full
 * GC, the result and the source still alive, next to the same figure before the scan. The
 * JVM's peak RSS during the scan (VmHWM after resetting it through /proc/self/clear_refs)
 * is printed next to etcdctl's.</li>
 * <li>Paced: the quarter is scanned once more at the default pace (20 pages/s, 8 MB/s);
 * for the whole keyspace the time at the default pace is computed from its pages and
 * bytes (each page waits for the slower of 1/20 s and its bytes at 8 MB/s) rather than
 * run.</li>
 * <li>etcdctl, through bash with ETCDCTL_API=3, under /usr/bin/time -v for its peak RSS:
 * {@code get /
 * --prefix --keys-only | wc -l} (two lines per key: the key and an empty line), and
 * {@code get /
 * --prefix | wc -c} with values, which moves what ours moves (etcdctl keeps the whole
 * answer in memory; ours holds a page).</li>
 * <li>Answers are compared: our key count with etcdctl's and the loader's; our value
 * bytes, in all and per prefix, with the loader's; etcdctl's byte count with keys +
 * values + 2 newlines per key.</li>
 * </ul>
 * Ours is {@link EtcdScanOurs}, etcdctl {@link EtcdctlPeer}; what it prints at the end is
 * {@link EtcdScanReport}'s.
 */
public final class EtcdScanBenchmark {

	static final double MIB = 1024.0 * 1024.0;

	static final double MB = 1_000_000.0;

	private EtcdScanBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		int keys = Integer.getInteger("bench.etcdKeys", 1_000_000);
		Path etcdBinary = EtcdTestServer.binary();
		Path etcdctl = EtcdctlPeer.binary(etcdBinary);
		System.out.printf(
				"%netcd keyspace scan benchmark (issue 7), %s %s, %d cores, max heap %,.0f MiB, %s, load average %.2f%n",
				System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
				Runtime.getRuntime().maxMemory() / MIB, gcNames(), loadAverage());
		System.out.printf("etcd   %s (%s), etcdctl %s, %,d keys%n", etcdBinary, firstLine(etcdBinary + " --version"),
				etcdctl, keys);
		EtcdTestServer etcd = EtcdTestServer.plain().quotaBytes(8L * 1024 * 1024 * 1024).start();
		try {
			run(etcd, etcdctl, keys);
		}
		finally {
			etcd.stop();
		}
		System.out.printf("%n(%.0f s in all; load average now %.2f: other work on the machine slows every tool)%n",
				(System.nanoTime() - started) / 1e9, loadAverage());
	}

	private static void run(EtcdTestServer etcd, Path etcdctl, int keys) throws Exception {
		EtcdKeyspace keyspace = new EtcdKeyspace();
		int quarter = keys / 4;
		Cluster cluster = new Cluster("bench", Provider.SELF_MANAGED, KubeAccess.none(), null, "benchmark");
		EtcdProperties unpaced = EtcdProperties.defaults()
			.withScan(Duration.ofSeconds(30), EtcdProperties.defaults().pageSize(), 1e9, DataSize.ofTerabytes(1));

		Load first = keyspace.load(etcd, 0, quarter);
		System.out.printf("load   %,d keys, %,.0f MB of values in %.1f s (%,.0f keys/s; not charged)%n", first.keys(),
				first.valueBytes() / MB, first.nanos() / 1e9, first.keys() / (first.nanos() / 1e9));
		Scan quarterScan = EtcdScanOurs.scan(etcd, cluster, unpaced, "quarter");
		Scan pacedScan = EtcdScanOurs.scan(etcd, cluster, EtcdProperties.defaults(), "quarter, default pace");

		Load rest = keyspace.load(etcd, quarter, keys);
		System.out.printf("load   %,d more keys, %,.0f MB of values in %.1f s (%,.0f keys/s; not charged)%n",
				rest.keys(), rest.valueBytes() / MB, rest.nanos() / 1e9, rest.keys() / (rest.nanos() / 1e9));
		Scan full = EtcdScanOurs.scan(etcd, cluster, unpaced, "all");

		Tool keysOnly = EtcdctlPeer.run(etcdctl, etcd, "get / --prefix --keys-only", "wc -l");
		Tool withValues = EtcdctlPeer.run(etcdctl, etcd, "get / --prefix", "wc -c");
		Scan again = EtcdScanOurs.scan(etcd, cluster, unpaced, "all, again");

		EtcdScanReport report = new EtcdScanReport(keyspace, quarter, quarterScan, pacedScan, full, again, keysOnly,
				withValues);
		report.printScans();
		report.printHeap();
		boolean answersAgree = report.printAnswers();
		report.printComparison();
		report.printVerdicts(answersAgree);
	}

}
