package dev.cpdoctor.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.management.OperatingSystemMXBean;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.etcd.EtcdProperties;
import dev.cpdoctor.source.etcd.EtcdTestServer;
import dev.cpdoctor.source.etcd.JetcdEtcdDirectSource;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;
import static dev.cpdoctor.bench.BenchMachine.verdict;

/**
 * Scanning the keyspace of a real etcd (issue 7, "Performance"): keys/s and peak heap of
 * our scan next to {@code etcdctl get / --prefix --keys-only | wc -l} on the same etcd in
 * the same run. Prints figures and PASS/FAIL, asserts nothing: run it with
 * {@code bench/etcd-scan.sh [KEYS]} (the Maven profile {@code bench}, execution
 * {@code etcd-scan-benchmark}, a JVM with -Xms256m -Xmx256m).
 * <ul>
 * <li>etcd: Debian's etcd started by {@link EtcdTestServer} on 127.0.0.1 with an 8 GiB
 * quota. The keyspace ({@link Keyspace}, 1,000,000 keys unless {@code bench.etcdKeys}) is
 * /registry-shaped: 24 resources with kube-apiserver's prefixes (services/specs, minions,
 * group/resource for custom resources), 300 namespaces plus cluster-scoped ones, and one
 * leaking custom resource (reports.kyverno.io/ephemeralreports, 45 % of the keys, most in
 * five namespaces); values of 100 to 600 bytes that do not compress, starting with the
 * k8s protobuf magic. Loaded with jetcd in transactions of 100 puts, 16 in flight; the
 * load is timed apart and not charged.</li>
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
 */
public final class EtcdScanBenchmark {

	private static final double MIB = 1024.0 * 1024.0;

	private static final double MB = 1_000_000.0;

	/**
	 * "Bounded": the live set of the whole scan no more than this over the quarter's (or
	 * under 64 MiB).
	 */
	private static final double LIVE_GROWTH_ALLOWED = 1.25;

	private EtcdScanBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		long started = System.nanoTime();
		int keys = Integer.getInteger("bench.etcdKeys", 1_000_000);
		Path etcdBinary = EtcdTestServer.binary();
		Path etcdctl = etcdctl(etcdBinary);
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
		Keyspace keyspace = new Keyspace();
		int quarter = keys / 4;
		Cluster cluster = new Cluster("bench", Provider.SELF_MANAGED, KubeAccess.none(), null, "benchmark");
		EtcdProperties unpaced = EtcdProperties.defaults()
			.withScan(Duration.ofSeconds(30), EtcdProperties.defaults().pageSize(), 1e9, DataSize.ofTerabytes(1));

		Load first = keyspace.load(etcd, 0, quarter);
		System.out.printf("load   %,d keys, %,.0f MB of values in %.1f s (%,.0f keys/s; not charged)%n", first.keys(),
				first.valueBytes() / MB, first.nanos() / 1e9, first.keys() / (first.nanos() / 1e9));
		Scan quarterScan = scanOurs(etcd, cluster, unpaced, "quarter");
		Scan pacedScan = scanOurs(etcd, cluster, EtcdProperties.defaults(), "quarter, default pace");

		Load rest = keyspace.load(etcd, quarter, keys);
		System.out.printf("load   %,d more keys, %,.0f MB of values in %.1f s (%,.0f keys/s; not charged)%n",
				rest.keys(), rest.valueBytes() / MB, rest.nanos() / 1e9, rest.keys() / (rest.nanos() / 1e9));
		Scan full = scanOurs(etcd, cluster, unpaced, "all");

		Tool keysOnly = etcdctl(etcdctl, etcd, "get / --prefix --keys-only", "wc -l");
		Tool withValues = etcdctl(etcdctl, etcd, "get / --prefix", "wc -c");
		Scan again = scanOurs(etcd, cluster, unpaced, "all, again");

		// -----------------------------------------------------------------------------------------
		System.out.printf("%netcd   db %,.0f MB (in use %,.0f MB) at revision %,d after loading %,d keys%n",
				full.dbBytes() / MB, full.dbInUseBytes() / MB, full.usage().revision(), keyspace.keys());
		System.out.printf(
				"%nScan of the whole keyspace, same etcd, same run (keys/s counts keys; MB = 10^6 bytes of values moved)%n");
		System.out.printf("  %-52s %9s %11s %9s %8s %12s %10s %10s%n", "", "seconds", "keys/s", "MB/s", "pages",
				"peak RSS", "CPU s", "etcd CPU s");
		row("ours: KeyspaceScanner, unpaced, page 500, values", full);
		row("  ours again (after etcdctl)", again);
		row("etcdctl get / --prefix --keys-only | wc -l", keysOnly.nanos(), keysOnly.output() / 2, 0, 1,
				keysOnly.rssBytes(), keysOnly.cpuNanos(), keysOnly.etcdCpuNanos());
		row("etcdctl get / --prefix | wc -c (values)", withValues.nanos(), keyspace.keys(), keyspace.valueBytes(), 1,
				withValues.rssBytes(), withValues.cpuNanos(), withValues.etcdCpuNanos());
		row("ours, the quarter (" + String.format("%,d", quarterScan.usage().keys()) + " keys), unpaced", quarterScan);
		row("ours, the quarter at the default pace", pacedScan);
		System.out
			.printf("  (ours: the JVM's peak RSS and CPU time during the scan, 256 MiB heap plus gRPC/Netty buffers and"
					+ " the JVM itself, GC and JIT included; etcdctl: its maximum RSS and user+system time from /usr/bin/time -v;"
					+ " etcd CPU s: the etcd process's, from /proc, during the same time. CPU time is less sensitive than"
					+ " seconds to the other work on the machine)%n");
		EtcdProperties defaults = EtcdProperties.defaults();
		System.out.printf(
				"  default pace (%.0f pages/s, %.1f MB/s): the quarter computed %.1f s, measured %.1f s; "
						+ "the whole keyspace computed %.1f s (%.1f min), not run%n",
				defaults.scanPagesPerSecond(), defaults.scanBytesPerSecond().toBytes() / MB,
				pacedSeconds(quarterScan, defaults), pacedScan.nanos() / 1e9, pacedSeconds(full, defaults),
				pacedSeconds(full, defaults) / 60);

		System.out.printf("%nHeap of ours (-Xmx %,.0f MiB), per scan%n", Runtime.getRuntime().maxMemory() / MIB);
		System.out.printf("  %-24s %12s %14s %28s %10s %10s %5s%n", "", "peak (MiB)", "live max (MiB)",
				"live by quarter (MiB)", "before", "retained", "GCs");
		heapRow("quarter " + String.format("%,d", quarterScan.usage().keys()), quarterScan);
		heapRow("all " + String.format("%,d", full.usage().keys()), full);
		heapRow("all, again", again);
		System.out
			.printf("  (peak: heap in use when a GC began, how far the collector let it fill; live: left after a GC;"
					+ " before/retained: after a full GC before the scan / after it, the result and the source alive)%n");

		// -----------------------------------------------------------------------------------------
		System.out.printf("%nAnswers%n");
		boolean keysAgree = full.usage().keys() == keyspace.keys() && keysOnly.output() == 2L * keyspace.keys()
				&& again.usage().keys() == keyspace.keys();
		System.out.printf("  keys: ours %,d, etcdctl %,d (%,d lines / 2), loaded %,d: %s%n", full.usage().keys(),
				keysOnly.output() / 2, keysOnly.output(), keyspace.keys(), keysAgree ? "agree" : "MISMATCH");
		boolean bytesAgree = full.usage().valueBytes() == keyspace.valueBytes();
		System.out.printf("  value bytes: ours %,d, loaded %,d: %s%n", full.usage().valueBytes(), keyspace.valueBytes(),
				bytesAgree ? "agree" : "MISMATCH");
		long expectedOutput = keyspace.keyBytes() + keyspace.valueBytes() + 2L * keyspace.keys();
		boolean etcdctlBytes = withValues.output() == expectedOutput;
		System.out.printf("  etcdctl with values: %,d bytes out, keys + values + 2 newlines per key = %,d: %s%n",
				withValues.output(), expectedOutput, etcdctlBytes ? "agree" : "MISMATCH");
		List<String> prefixMismatches = keyspace.compare(full.usage());
		System.out.printf("  per prefix (%d prefixes, keys and value bytes) against the loader: %s%n",
				full.usage().prefixes().size(), prefixMismatches.isEmpty() ? "agree" : "MISMATCH " + prefixMismatches);
		PrefixUsage top = full.usage().prefixes().get(0);
		System.out.printf("  largest prefix: %s, %,d keys, %,.0f MB (%.0f %% of the values); next %s%n",
				top.keyPrefix(), top.keys(), top.valueBytes() / MB,
				100.0 * top.valueBytes() / full.usage().valueBytes(), full.usage().prefixes().get(1).keyPrefix());
		boolean answersAgree = keysAgree && bytesAgree && etcdctlBytes && prefixMismatches.isEmpty()
				&& quarterScan.usage().keys() == quarter && pacedScan.usage().keys() == quarter;

		// -----------------------------------------------------------------------------------------
		double oursRate = full.usage().keys() / (full.nanos() / 1e9);
		double keysOnlyRate = keyspace.keys() / (keysOnly.nanos() / 1e9);
		double valuesRate = keyspace.keys() / (withValues.nanos() / 1e9);
		System.out.printf("%nComparison%n");
		System.out.printf(
				"  ours %,.0f keys/s, etcdctl --keys-only %,.0f keys/s: ours takes %.2fx its time. Not like for like:"
						+ " --keys-only moves no values, ours reads and sizes every value (%,.0f MB)%n",
				oursRate, keysOnlyRate, full.nanos() / (double) keysOnly.nanos(), full.usage().valueBytes() / MB);
		System.out.printf(
				"  ours %,.0f keys/s, etcdctl with values %,.0f keys/s: ours takes %.2fx its time;"
						+ " peak RSS ours %,.0f MiB (whole JVM), etcdctl %s (the whole answer in memory)%n",
				oursRate, valuesRate, full.nanos() / (double) withValues.nanos(), full.rssBytes() / MIB,
				mib(withValues.rssBytes()));
		System.out.printf(
				"  CPU: ours %.1f s in this JVM and %.1f s in etcd; etcdctl with values %s s and %.1f s in etcd%n",
				full.cpuNanos() / 1e9, full.etcdCpuNanos() / 1e9, seconds(withValues.cpuNanos()),
				withValues.etcdCpuNanos() / 1e9);
		System.out.printf(
				"  (etcdctl asks once for the whole range; ours asks %,d times for %d keys at a pinned revision)%n",
				full.usage().pages(), full.usage().pageSize());

		long liveQuarter = live(quarterScan);
		long liveFull = live(full);
		boolean bounded = liveFull <= 64 * MIB || liveFull <= liveQuarter * LIVE_GROWTH_ALLOWED;
		boolean underCap = full.heap().peakBeforeGc() < Runtime.getRuntime().maxMemory() && full.usage() != null;
		System.out.printf("%nVerdicts (the issue names no target beyond the figures next to etcdctl)%n");
		System.out.printf("  %s answers agree: keys with etcdctl and the loader, value bytes in all and per prefix%n",
				verdict(answersAgree));
		System.out.printf(
				"  %s heap bounded: live set %,.0f MiB scanning %,d keys vs %,.0f MiB scanning %,d"
						+ " (allowed: at most %.2fx, or under 64 MiB)%n",
				verdict(bounded), liveFull / MIB, full.usage().keys(), liveQuarter / MIB, quarterScan.usage().keys(),
				LIVE_GROWTH_ALLOWED);
		System.out.printf("  %s the whole scan ran in a %,.0f MiB heap without OutOfMemoryError (peak %,.0f MiB)%n",
				verdict(underCap), Runtime.getRuntime().maxMemory() / MIB, full.heap().peakBeforeGc() / MIB);
		System.out.printf(
				"  INFO speed: ours %.2fx etcdctl --keys-only's time, %.2fx etcdctl-with-values' time (no target)%n",
				full.nanos() / (double) keysOnly.nanos(), full.nanos() / (double) withValues.nanos());
		System.out.printf(
				"  INFO scaling: etcd CPU per 1,000 keys of ours %.1f ms at %,d keys, %.1f ms at %,d (etcdctl with values"
						+ " %.1f ms): above 1x, pages that span namespaces smaller than a page still make etcd walk the rest of"
						+ " their resource in its index%n",
				quarterScan.etcdCpuNanos() / 1e3 / quarterScan.usage().keys(), quarterScan.usage().keys(),
				full.etcdCpuNanos() / 1e3 / full.usage().keys(), full.usage().keys(),
				withValues.etcdCpuNanos() / 1e3 / keyspace.keys());
	}

	// ---------------------------------------------------------------------------------------------
	// Ours.

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
	private static Scan scanOurs(EtcdTestServer etcd, Cluster cluster, EtcdProperties properties, String label)
			throws Exception {
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

	private static long live(Scan scan) {
		return (scan.heap().maxAfterGc() > 0) ? scan.heap().maxAfterGc() : scan.retainedBytes();
	}

	// ---------------------------------------------------------------------------------------------
	// etcdctl.

	/**
	 * @param output what the counting command printed (lines or bytes)
	 */
	record Tool(long nanos, long output, long rssBytes, long cpuNanos, long etcdCpuNanos) {
	}

	private static Path etcdctl(Path etcd) {
		String configured = System.getenv("ETCDCTL_BINARY");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		Path sibling = etcd.resolveSibling("etcdctl");
		return Files.isExecutable(sibling) ? sibling : Path.of("etcdctl");
	}

	/**
	 * {@code etcdctl --endpoints=... ARGS | COUNT} through bash, under /usr/bin/time -v
	 * when there is one.
	 */
	private static Tool etcdctl(Path etcdctl, EtcdTestServer etcd, String args, String count) throws Exception {
		Path timeOut = Files.createTempFile("etcdctl-time", ".txt");
		try {
			boolean timed = Files.isExecutable(Path.of("/usr/bin/time"));
			String command = "set -o pipefail; export ETCDCTL_API=3; "
					+ (timed ? "/usr/bin/time -v -o '" + timeOut + "' " : "") + etcdctl + " --endpoints="
					+ etcd.endpoint() + " --command-timeout=600s " + args + " | " + count;
			long etcdCpu0 = cpuNanos(etcd.pid());
			long t0 = System.nanoTime();
			Process process = new ProcessBuilder("bash", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			int exit = process.waitFor();
			long nanos = System.nanoTime() - t0;
			long etcdCpu = cpuNanos(etcd.pid()) - etcdCpu0;
			if (exit != 0) {
				throw new IllegalStateException("`" + command + "` exited " + exit);
			}
			long rss = -1;
			long cpu = -1;
			if (timed) {
				String report = Files.readString(timeOut);
				Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(report);
				if (m.find()) {
					rss = Long.parseLong(m.group(1)) * 1024;
				}
				Matcher user = Pattern.compile("User time \\(seconds\\): ([\\d.]+)").matcher(report);
				Matcher system = Pattern.compile("System time \\(seconds\\): ([\\d.]+)").matcher(report);
				if (user.find() && system.find()) {
					cpu = (long) ((Double.parseDouble(user.group(1)) + Double.parseDouble(system.group(1))) * 1e9);
				}
			}
			long output = Long.parseLong(out);
			System.out.printf("etcdctl %-42s %,12d in %6.2f s, peak RSS %s%n", args + " | " + count, output,
					nanos / 1e9, mib(rss));
			return new Tool(nanos, output, rss, cpu, etcdCpu);
		}
		finally {
			Files.deleteIfExists(timeOut);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The keyspace.

	record Load(long keys, long valueBytes, long nanos) {
	}

	/**
	 * A /registry-shaped keyspace: key i's resource comes from a cycle of 1000 slots
	 * shared out by weight (slot i * 617 mod 1000), so any run of keys 0..n has the same
	 * mix; its namespace, name and value size come from a hash of i. Remembers what etcd
	 * accepted, per prefix.
	 */
	static final class Keyspace {

		/** prefix, weight per 1000 keys, namespaced, smallest and largest value. */
		record Resource(String prefix, int weight, boolean namespaced, int minValue, int maxValue) {
		}

		static final List<Resource> RESOURCES = List.of(
				new Resource("reports.kyverno.io/ephemeralreports", 450, true, 300, 600),
				new Resource("events", 150, true, 150, 400), new Resource("pods", 80, true, 400, 600),
				new Resource("replicasets", 50, true, 300, 600), new Resource("configmaps", 40, true, 100, 600),
				new Resource("secrets", 40, true, 100, 500), new Resource("endpointslices", 30, true, 200, 500),
				new Resource("services/endpoints", 15, true, 150, 400),
				new Resource("services/specs", 15, true, 200, 400), new Resource("serviceaccounts", 20, true, 100, 200),
				new Resource("rolebindings", 20, true, 150, 300), new Resource("deployments", 15, true, 400, 600),
				new Resource("jobs", 20, true, 300, 600), new Resource("leases", 10, true, 100, 200),
				new Resource("controllerrevisions", 10, true, 200, 600),
				new Resource("persistentvolumeclaims", 5, true, 200, 400),
				new Resource("horizontalpodautoscalers", 3, true, 200, 400),
				new Resource("networkpolicies", 7, true, 150, 400), new Resource("minions", 2, false, 400, 600),
				new Resource("clusterroles", 4, false, 200, 600),
				new Resource("clusterrolebindings", 4, false, 150, 300),
				new Resource("apiextensions.k8s.io/customresourcedefinitions", 2, false, 400, 600),
				new Resource("persistentvolumes", 5, false, 300, 500),
				new Resource("cert-manager.io/certificates", 3, true, 300, 600));

		static final int NAMESPACES = 300;

		private static final int BATCH = 100;

		private static final int IN_FLIGHT = 16;

		private final Resource[] slots = new Resource[1000];

		/** Random bytes that values are cut from. */
		private final byte[] noise = new byte[1 << 20];

		/** prefix -> {keys, value bytes} etcd accepted */
		private final Map<String, long[]> written = new TreeMap<>();

		private long keys;

		private long keyBytes;

		private long valueBytes;

		Keyspace() {
			int slot = 0;
			for (Resource r : RESOURCES) {
				for (int i = 0; i < r.weight(); i++) {
					this.slots[slot++] = r;
				}
			}
			if (slot != 1000) {
				throw new IllegalStateException("weights add up to " + slot);
			}
			new Random(20261123).nextBytes(this.noise);
		}

		Resource resource(long i) {
			return this.slots[(int) ((i * 617) % 1000)];
		}

		String key(long i) {
			Resource r = resource(i);
			long h = mix(i);
			StringBuilder key = new StringBuilder(96).append("/registry/").append(r.prefix()).append('/');
			if (r.namespaced()) {
				// the leak sits mostly in five CI namespaces
				if (r.weight() == 450 && (h & 0xff) < 180) {
					key.append("ci-runner-").append((h >>> 8) % 5);
				}
				else {
					key.append("team-").append((h >>> 16) % NAMESPACES);
				}
				key.append('/');
			}
			String kind = r.prefix().substring(r.prefix().lastIndexOf('/') + 1);
			return key.append(kind, 0, Math.min(kind.length(), 12))
				.append('-')
				.append(Long.toString((h >>> 24) & 0xfffff, 36))
				.append('-')
				.append(Long.toString(i, 36))
				.toString();
		}

		byte[] value(long i) {
			Resource r = resource(i);
			long h = mix(i ^ 0x5bd1e995L);
			int size = r.minValue() + (int) ((h & 0x7fffffff) % (r.maxValue() - r.minValue() + 1));
			byte[] value = new byte[size];
			System.arraycopy(this.noise, (int) ((h >>> 32) % (this.noise.length - size)), value, 0, size);
			value[0] = 'k';
			value[1] = '8';
			value[2] = 's';
			value[3] = 0;
			return value;
		}

		static long mix(long z) {
			z = (z + 0x9e3779b97f4a7c15L);
			z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
			z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
			return z ^ (z >>> 31);
		}

		/**
		 * Puts keys from..to-1 in transactions of 100, 16 in flight; counts what etcd
		 * acknowledged.
		 */
		Load load(EtcdTestServer etcd, long from, long to) throws Exception {
			long t0 = System.nanoTime();
			long keysBefore = this.keys;
			long bytesBefore = this.valueBytes;
			Semaphore inFlight = new Semaphore(IN_FLIGHT);
			AtomicReference<Throwable> failure = new AtomicReference<>();
			try (Client client = Client.builder().endpoints(etcd.endpoint()).build()) {
				for (long start = from; start < to && failure.get() == null; start += BATCH) {
					int n = (int) Math.min(BATCH, to - start);
					Op[] ops = new Op[n];
					String[] names = new String[n];
					int[] sizes = new int[n];
					for (int k = 0; k < n; k++) {
						names[k] = key(start + k);
						byte[] value = value(start + k);
						sizes[k] = value.length;
						ops[k] = Op.put(ByteSequence.from(names[k], StandardCharsets.UTF_8), ByteSequence.from(value),
								PutOption.DEFAULT);
					}
					inFlight.acquire();
					CompletableFuture<?> txn = client.getKVClient().txn().Then(ops).commit();
					txn.whenComplete((response, error) -> {
						if (error != null) {
							failure.compareAndSet(null, error);
						}
						else {
							count(names, sizes);
						}
						inFlight.release();
					});
				}
				if (!inFlight.tryAcquire(IN_FLIGHT, 2, TimeUnit.MINUTES)) {
					throw new IllegalStateException("the last transactions got no answer in 2 minutes");
				}
			}
			if (failure.get() != null) {
				throw new IllegalStateException("loading etcd failed: " + failure.get(), failure.get());
			}
			return new Load(this.keys - keysBefore, this.valueBytes - bytesBefore, System.nanoTime() - t0);
		}

		private synchronized void count(String[] names, int[] sizes) {
			for (int k = 0; k < names.length; k++) {
				String prefix = resourcePrefix(names[k]);
				long[] c = this.written.computeIfAbsent(prefix, (p) -> new long[2]);
				c[0]++;
				c[1] += sizes[k];
				this.keys++;
				this.keyBytes += names[k].length();
				this.valueBytes += sizes[k];
			}
		}

		/**
		 * The loader's own idea of the prefix: the resource it was written as (the
		 * two-segment ones by name).
		 */
		private static String resourcePrefix(String key) {
			String rest = key.substring("/registry/".length());
			int slash = rest.indexOf('/');
			String first = rest.substring(0, slash);
			if (first.contains(".") || first.equals("services")) {
				return rest.substring(0, rest.indexOf('/', slash + 1));
			}
			return first;
		}

		/**
		 * What differs between the scan's prefixes and what was written; empty when they
		 * agree.
		 */
		synchronized List<String> compare(KeyspaceUsage usage) {
			List<String> diff = new ArrayList<>();
			Map<String, long[]> scanned = new TreeMap<>();
			for (PrefixUsage p : usage.prefixes()) {
				scanned.put(p.resourcePrefix(), new long[] { p.keys(), p.valueBytes() });
			}
			if (!scanned.keySet().equals(this.written.keySet())) {
				diff.add("prefixes scanned " + scanned.keySet() + " vs written " + this.written.keySet());
			}
			this.written.forEach((prefix, c) -> {
				long[] s = scanned.get(prefix);
				if (s == null || s[0] != c[0] || s[1] != c[1]) {
					diff.add(prefix + ": scanned " + ((s == null) ? "nothing" : s[0] + " keys " + s[1] + " bytes")
							+ ", written " + c[0] + " keys " + c[1] + " bytes");
				}
			});
			return diff;
		}

		synchronized long keys() {
			return this.keys;
		}

		synchronized long keyBytes() {
			return this.keyBytes;
		}

		synchronized long valueBytes() {
			return this.valueBytes;
		}

	}

	// ---------------------------------------------------------------------------------------------
	// Output and helpers.

	private static void row(String what, Scan scan) {
		row(what, scan.nanos(), scan.usage().keys(), scan.usage().valueBytes(), scan.usage().pages(), scan.rssBytes(),
				scan.cpuNanos(), scan.etcdCpuNanos());
	}

	private static void row(String what, long nanos, long keys, long valueBytes, long pages, long rss, long cpuNanos,
			long etcdCpuNanos) {
		double seconds = nanos / 1e9;
		System.out.printf("  %-52s %9.2f %,11.0f %9s %,8d %12s %10s %10s%n", what, seconds, keys / seconds,
				(valueBytes > 0) ? String.format("%.1f", valueBytes / MB / seconds) : "-", pages, mib(rss),
				seconds(cpuNanos), seconds(etcdCpuNanos));
	}

	private static String seconds(long nanos) {
		return (nanos < 0) ? "n/a" : String.format("%.2f", nanos / 1e9);
	}

	private static long processCpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	/** A process's user + system CPU time from /proc/PID/stat; -1 where there is none. */
	static long cpuNanos(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// after "pid (comm) ": state is field 3, utime 14 and stime 15
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * 1_000_000_000L / CLOCK_TICKS;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	private static final long CLOCK_TICKS = clockTicks();

	private static long clockTicks() {
		try {
			return Long.parseLong(firstLine("getconf CLK_TCK"));
		}
		catch (RuntimeException ex) {
			return 100;
		}
	}

	private static void heapRow(String what, Scan scan) {
		long[] q = scan.heap().liveByQuarter();
		System.out.printf("  %-24s %12.0f %14.0f %28s %10.1f %10.1f %5d%n", what, scan.heap().peakBeforeGc() / MIB,
				scan.heap().maxAfterGc() / MIB,
				String.format("%.0f / %.0f / %.0f / %.0f", q[0] / MIB, q[1] / MIB, q[2] / MIB, q[3] / MIB),
				scan.beforeBytes() / MIB, scan.retainedBytes() / MIB, scan.heap().collections());
	}

	private static String mib(long bytes) {
		return (bytes < 0) ? "n/a" : String.format("%,.0f MiB", bytes / MIB);
	}

	private static long heapUsed() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Resets this process's peak RSS (VmHWM), Linux 4.0+; false where that is not
	 * possible.
	 */
	private static boolean resetPeakRss() {
		try {
			Files.writeString(Path.of("/proc/self/clear_refs"), "5");
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	private static long peakRss() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith("VmHWM:")) {
					return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// not Linux
		}
		return -1;
	}

	private static String firstLine(String command) {
		try {
			Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor();
			return out.lines().findFirst().orElse("?").trim();
		}
		catch (IOException | InterruptedException ex) {
			return "?";
		}
	}

}
