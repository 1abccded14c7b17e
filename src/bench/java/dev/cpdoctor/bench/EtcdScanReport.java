package dev.cpdoctor.bench;

import java.util.List;

import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.bench.EtcdScanOurs.Scan;
import dev.cpdoctor.bench.EtcdctlPeer.Tool;
import dev.cpdoctor.source.etcd.EtcdProperties;

import static dev.cpdoctor.bench.BenchMachine.verdict;
import static dev.cpdoctor.bench.EtcdScanBenchmark.MB;
import static dev.cpdoctor.bench.EtcdScanBenchmark.MIB;
import static dev.cpdoctor.bench.EtcdScanOurs.live;
import static dev.cpdoctor.bench.EtcdScanOurs.pacedSeconds;

/**
 * What the etcd scan benchmark prints once every scan has run: the scans next to
 * etcdctl's, our heap per scan, whether the answers agree, the comparison and the
 * verdicts.
 *
 * @param keyspace what was loaded
 * @param quarter the keys of the first load
 * @param quarterScan ours on the quarter, unpaced
 * @param pacedScan ours on the quarter at the default pace
 * @param full ours on the whole keyspace, unpaced
 * @param again the same after etcdctl
 * @param keysOnly {@code etcdctl get / --prefix --keys-only | wc -l}
 * @param withValues {@code etcdctl get / --prefix | wc -c}
 */
record EtcdScanReport(EtcdKeyspace keyspace, int quarter, Scan quarterScan, Scan pacedScan, Scan full, Scan again,
		Tool keysOnly, Tool withValues) {

	/**
	 * "Bounded": the live set of the whole scan no more than this over the quarter's (or
	 * under 64 MiB).
	 */
	private static final double LIVE_GROWTH_ALLOWED = 1.25;

	void printScans() {
		System.out.printf("%netcd   db %,.0f MB (in use %,.0f MB) at revision %,d after loading %,d keys%n",
				this.full.dbBytes() / MB, this.full.dbInUseBytes() / MB, this.full.usage().revision(),
				this.keyspace.keys());
		System.out.printf(
				"%nScan of the whole keyspace, same etcd, same run (keys/s counts keys; MB = 10^6 bytes of values moved)%n");
		System.out.printf("  %-52s %9s %11s %9s %8s %12s %10s %10s%n", "", "seconds", "keys/s", "MB/s", "pages",
				"peak RSS", "CPU s", "etcd CPU s");
		row("ours: KeyspaceScanner, unpaced, page 500, values", this.full);
		row("  ours again (after etcdctl)", this.again);
		row("etcdctl get / --prefix --keys-only | wc -l", this.keysOnly.nanos(), this.keysOnly.output() / 2, 0, 1,
				this.keysOnly.rssBytes(), this.keysOnly.cpuNanos(), this.keysOnly.etcdCpuNanos());
		row("etcdctl get / --prefix | wc -c (values)", this.withValues.nanos(), this.keyspace.keys(),
				this.keyspace.valueBytes(), 1, this.withValues.rssBytes(), this.withValues.cpuNanos(),
				this.withValues.etcdCpuNanos());
		row("ours, the quarter (" + String.format("%,d", this.quarterScan.usage().keys()) + " keys), unpaced",
				this.quarterScan);
		row("ours, the quarter at the default pace", this.pacedScan);
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
				pacedSeconds(this.quarterScan, defaults), this.pacedScan.nanos() / 1e9,
				pacedSeconds(this.full, defaults), pacedSeconds(this.full, defaults) / 60);
	}

	void printHeap() {
		System.out.printf("%nHeap of ours (-Xmx %,.0f MiB), per scan%n", Runtime.getRuntime().maxMemory() / MIB);
		System.out.printf("  %-24s %12s %14s %28s %10s %10s %5s%n", "", "peak (MiB)", "live max (MiB)",
				"live by quarter (MiB)", "before", "retained", "GCs");
		heapRow("quarter " + String.format("%,d", this.quarterScan.usage().keys()), this.quarterScan);
		heapRow("all " + String.format("%,d", this.full.usage().keys()), this.full);
		heapRow("all, again", this.again);
		System.out
			.printf("  (peak: heap in use when a GC began, how far the collector let it fill; live: left after a GC;"
					+ " before/retained: after a full GC before the scan / after it, the result and the source alive)%n");
	}

	/** Prints whether the answers agree; returns whether they all do. */
	boolean printAnswers() {
		System.out.printf("%nAnswers%n");
		boolean keysAgree = this.full.usage().keys() == this.keyspace.keys()
				&& this.keysOnly.output() == 2L * this.keyspace.keys()
				&& this.again.usage().keys() == this.keyspace.keys();
		System.out.printf("  keys: ours %,d, etcdctl %,d (%,d lines / 2), loaded %,d: %s%n", this.full.usage().keys(),
				this.keysOnly.output() / 2, this.keysOnly.output(), this.keyspace.keys(),
				keysAgree ? "agree" : "MISMATCH");
		boolean bytesAgree = this.full.usage().valueBytes() == this.keyspace.valueBytes();
		System.out.printf("  value bytes: ours %,d, loaded %,d: %s%n", this.full.usage().valueBytes(),
				this.keyspace.valueBytes(), bytesAgree ? "agree" : "MISMATCH");
		long expectedOutput = this.keyspace.keyBytes() + this.keyspace.valueBytes() + 2L * this.keyspace.keys();
		boolean etcdctlBytes = this.withValues.output() == expectedOutput;
		System.out.printf("  etcdctl with values: %,d bytes out, keys + values + 2 newlines per key = %,d: %s%n",
				this.withValues.output(), expectedOutput, etcdctlBytes ? "agree" : "MISMATCH");
		List<String> prefixMismatches = this.keyspace.compare(this.full.usage());
		System.out.printf("  per prefix (%d prefixes, keys and value bytes) against the loader: %s%n",
				this.full.usage().prefixes().size(),
				prefixMismatches.isEmpty() ? "agree" : "MISMATCH " + prefixMismatches);
		PrefixUsage top = this.full.usage().prefixes().get(0);
		System.out.printf("  largest prefix: %s, %,d keys, %,.0f MB (%.0f %% of the values); next %s%n",
				top.keyPrefix(), top.keys(), top.valueBytes() / MB,
				100.0 * top.valueBytes() / this.full.usage().valueBytes(),
				this.full.usage().prefixes().get(1).keyPrefix());
		return keysAgree && bytesAgree && etcdctlBytes && prefixMismatches.isEmpty()
				&& this.quarterScan.usage().keys() == this.quarter && this.pacedScan.usage().keys() == this.quarter;
	}

	void printComparison() {
		double oursRate = this.full.usage().keys() / (this.full.nanos() / 1e9);
		double keysOnlyRate = this.keyspace.keys() / (this.keysOnly.nanos() / 1e9);
		double valuesRate = this.keyspace.keys() / (this.withValues.nanos() / 1e9);
		System.out.printf("%nComparison%n");
		System.out.printf(
				"  ours %,.0f keys/s, etcdctl --keys-only %,.0f keys/s: ours takes %.2fx its time. Not like for like:"
						+ " --keys-only moves no values, ours reads and sizes every value (%,.0f MB)%n",
				oursRate, keysOnlyRate, this.full.nanos() / (double) this.keysOnly.nanos(),
				this.full.usage().valueBytes() / MB);
		System.out.printf(
				"  ours %,.0f keys/s, etcdctl with values %,.0f keys/s: ours takes %.2fx its time;"
						+ " peak RSS ours %,.0f MiB (whole JVM), etcdctl %s (the whole answer in memory)%n",
				oursRate, valuesRate, this.full.nanos() / (double) this.withValues.nanos(), this.full.rssBytes() / MIB,
				mib(this.withValues.rssBytes()));
		System.out.printf(
				"  CPU: ours %.1f s in this JVM and %.1f s in etcd; etcdctl with values %s s and %.1f s in etcd%n",
				this.full.cpuNanos() / 1e9, this.full.etcdCpuNanos() / 1e9, seconds(this.withValues.cpuNanos()),
				this.withValues.etcdCpuNanos() / 1e9);
		System.out.printf(
				"  (etcdctl asks once for the whole range; ours asks %,d times for %d keys at a pinned revision)%n",
				this.full.usage().pages(), this.full.usage().pageSize());
	}

	void printVerdicts(boolean answersAgree) {
		long liveQuarter = live(this.quarterScan);
		long liveFull = live(this.full);
		boolean bounded = liveFull <= 64 * MIB || liveFull <= liveQuarter * LIVE_GROWTH_ALLOWED;
		boolean underCap = this.full.heap().peakBeforeGc() < Runtime.getRuntime().maxMemory()
				&& this.full.usage() != null;
		System.out.printf("%nVerdicts (the issue names no target beyond the figures next to etcdctl)%n");
		System.out.printf("  %s answers agree: keys with etcdctl and the loader, value bytes in all and per prefix%n",
				verdict(answersAgree));
		System.out.printf(
				"  %s heap bounded: live set %,.0f MiB scanning %,d keys vs %,.0f MiB scanning %,d"
						+ " (allowed: at most %.2fx, or under 64 MiB)%n",
				verdict(bounded), liveFull / MIB, this.full.usage().keys(), liveQuarter / MIB,
				this.quarterScan.usage().keys(), LIVE_GROWTH_ALLOWED);
		System.out.printf("  %s the whole scan ran in a %,.0f MiB heap without OutOfMemoryError (peak %,.0f MiB)%n",
				verdict(underCap), Runtime.getRuntime().maxMemory() / MIB, this.full.heap().peakBeforeGc() / MIB);
		System.out.printf(
				"  INFO speed: ours %.2fx etcdctl --keys-only's time, %.2fx etcdctl-with-values' time (no target)%n",
				this.full.nanos() / (double) this.keysOnly.nanos(),
				this.full.nanos() / (double) this.withValues.nanos());
		System.out.printf(
				"  INFO scaling: etcd CPU per 1,000 keys of ours %.1f ms at %,d keys, %.1f ms at %,d (etcdctl with values"
						+ " %.1f ms): above 1x, pages that span namespaces smaller than a page still make etcd walk the rest of"
						+ " their resource in its index%n",
				this.quarterScan.etcdCpuNanos() / 1e3 / this.quarterScan.usage().keys(),
				this.quarterScan.usage().keys(), this.full.etcdCpuNanos() / 1e3 / this.full.usage().keys(),
				this.full.usage().keys(), this.withValues.etcdCpuNanos() / 1e3 / this.keyspace.keys());
	}

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

	private static void heapRow(String what, Scan scan) {
		long[] q = scan.heap().liveByQuarter();
		System.out.printf("  %-24s %12.0f %14.0f %28s %10.1f %10.1f %5d%n", what, scan.heap().peakBeforeGc() / MIB,
				scan.heap().maxAfterGc() / MIB,
				String.format("%.0f / %.0f / %.0f / %.0f", q[0] / MIB, q[1] / MIB, q[2] / MIB, q[3] / MIB),
				scan.beforeBytes() / MIB, scan.retainedBytes() / MIB, scan.heap().collections());
	}

	static String mib(long bytes) {
		return (bytes < 0) ? "n/a" : String.format("%,.0f MiB", bytes / MIB);
	}

}
