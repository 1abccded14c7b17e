package dev.cpdoctor.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.bench.CountedRequestsFeed.Ours;
import dev.cpdoctor.bench.CountedRequestsFeed.Peer;

import static dev.cpdoctor.bench.BenchMachine.gcNames;
import static dev.cpdoctor.bench.BenchMachine.loadAverage;
import static dev.cpdoctor.bench.BenchMachine.verdict;
import static dev.cpdoctor.bench.CountedRequestsFeed.MINUTES;

/**
 * The memory bound of counting each audit request once (issue 14, item 1: "Memory for
 * this stays bounded and is stated"): {@link CountedRequests} with its live limits (a
 * 3-hour window, room for 8 Mi codes = 64 MiB per cluster) fed requests at steady rates
 * over 3 hours of event time ({@link CountedRequestsFeed}), in one JVM. Prints, per rate,
 * the codes' room in memory, the live heap the structure holds (heap in use after full
 * collections, before it was made and with it alive; also every half hour of event time),
 * the minutes still in memory at the end, the bytes per remembered request, the minutes
 * read from the store while fed and when a late stage of one request of every minute
 * comes, and ns per state()+add(); beside it the peer, a {@code HashSet<Long>} of the
 * same codes, which never forgets. Then the bound: the highest rate at which all 3 hours
 * stay in memory; and PASS/FAIL: the live heap held stays within 64 MiB + 10 % at every
 * rate (beyond the bound it must evict, not grow), and every request is found new exactly
 * once.
 * <p>
 * Run it with {@code bench/counted-requests.sh [RATES]} (the Maven profile {@code bench},
 * execution {@code counted-requests-benchmark}, a JVM with -Xms3g -Xmx3g: the peer holds
 * every code). System property {@code bench.rates}: requests per second, comma-separated.
 * The default brackets the bound: at 409/s a minute's 24,540 codes fit a table of 32,768
 * (filled to at most three quarters), at 410/s its table doubles.
 */
public final class CountedRequestsBenchmark {

	static final String DEFAULT_RATES = "100,300,409,410,600,1000,2000";

	static final double MIB = 1024.0 * 1024.0;

	/** What the structure may hold: its room plus 10 %. */
	static final double HELD_TARGET = CountedRequests.Limits.live().maxCodesInMemory() * 8 * 1.10;

	private CountedRequestsBenchmark() {
	}

	public static void main(String[] args) {
		long started = System.nanoTime();
		int[] rates = Arrays.stream(System.getProperty("bench.rates", DEFAULT_RATES).split(","))
			.map(String::trim)
			.mapToInt(Integer::parseInt)
			.toArray();
		CountedRequests.Limits limits = CountedRequests.Limits.live();
		System.out.printf(
				"%nCounted requests' memory bound (issue 14), %s %s, %d cores, max heap %,.0f MiB, %s, load average %.2f%n",
				System.getProperty("java.vm.name"), Runtime.version(), Runtime.getRuntime().availableProcessors(),
				Runtime.getRuntime().maxMemory() / MIB, gcNames(), loadAverage());
		System.out.printf("G1 region size %,d KiB (an object of half a region or more is humongous: it takes whole"
				+ " regions)%n", regionBytes() >> 10);
		System.out.printf(
				"CountedRequests.Limits.live(): window %s, room for %,d codes (%,.0f MiB); each rate: %d minutes (3 h) of"
						+ " event time, UUID-like auditIDs, received spread over each second%n",
				limits.window(), limits.maxCodesInMemory(), limits.maxCodesInMemory() * 8 / MIB, MINUTES);
		List<Ours> ours = new ArrayList<>();
		List<Peer> peers = new ArrayList<>();
		for (int rate : rates) {
			CountedRequestsFeed feed = new CountedRequestsFeed(rate, 20261122L + rate);
			long t0 = System.nanoTime();
			ours.add(feed.ours());
			long t1 = System.nanoTime();
			peers.add(feed.peer());
			System.out.printf("  %,d requests/s fed: ours %.1f s, peer %.1f s (keys made and full GCs included)%n",
					rate, (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9);
		}
		ours.forEach((o) -> printOurs(o, o == ours.get(0)));
		peers.forEach((p) -> printPeer(p, p == peers.get(0)));
		printSideBySide(ours, peers);
		printBound(ours);
		printTargets(ours);
		System.out.printf("%n(%.0f s in all; load average now %.2f: other work on the machine slows every figure)%n",
				(System.nanoTime() - started) / 1e9, loadAverage());
	}

	/** G1's region size, 0 under another collector. */
	static long regionBytes() {
		VMOption option = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
			.getVMOption("G1HeapRegionSize");
		return Long.parseLong(option.getValue());
	}

	private static void printOurs(Ours o, boolean header) {
		if (header) {
			System.out
				.printf("%nOurs: CountedRequests, state() then add() as AuditStream calls them; live heap = in use"
						+ " after full GCs, with the structure alive, minus before it was made%n");
			System.out.printf("  %7s %12s %10s %10s %10s %10s %10s %8s %8s %8s  %s%n", "rate/s", "requests", "room MiB",
					"minutes", "held MiB", "max held", "B/request", "reads", "reads", "ns/op", "load average");
			System.out.printf("  %7s %12s %10s %10s %10s %10s %10s %8s %8s %8s%n", "", "", "(codes*8)", "in memory",
					"(end)", "MiB", "remembered", "fed", "late", "");
		}
		System.out.printf("  %,7d %,12d %10.1f %6d/%d %10.1f %10.1f %10.1f %8d %8d %8.0f  %.2f -> %.2f%n", o.rate(),
				o.requests(), o.room() * 8 / MIB, o.minutesInMemory(), MINUTES, o.heldBytes() / MIB,
				o.maxHeldBytes() / MIB, o.bytesPerRemembered(), o.feedReads(), o.lateReads(),
				(double) o.nanos() / o.requests(), o.loadBefore(), o.loadAfter());
	}

	private static void printPeer(Peer p, boolean header) {
		if (header) {
			System.out.printf("%nPeer: HashSet<Long> of the same codes (contains() then add()), never forgetting%n");
			System.out.printf("  %7s %12s %10s %10s %10s %8s  %s%n", "rate/s", "requests", "entries", "held MiB",
					"B/request", "ns/op", "load average");
		}
		System.out.printf("  %,7d %,12d %,10d %10.1f %10.1f %8.0f  %.2f -> %.2f%n", p.rate(), p.requests(), p.entries(),
				p.heldBytes() / MIB, (double) p.heldBytes() / p.requests(), (double) p.nanos() / p.requests(),
				p.loadBefore(), p.loadAfter());
	}

	private static void printSideBySide(List<Ours> ours, List<Peer> peers) {
		System.out.printf("%nPer request, ours beside the peer (same codes, same rate, same run)%n");
		System.out.printf("  %7s %20s %20s %12s %12s %10s  %s%n", "rate/s", "ours B/remembered", "HashSet B/request",
				"ours ns/op", "HashSet ns/op", "ours held", "HashSet held");
		for (int i = 0; i < ours.size(); i++) {
			Ours o = ours.get(i);
			Peer p = peers.get(i);
			System.out.printf("  %,7d %20.1f %20.1f %12.0f %12.0f %6.1f MiB  %,.1f MiB   (load %.2f, %.2f)%n", o.rate(),
					o.bytesPerRemembered(), (double) p.heldBytes() / p.requests(), (double) o.nanos() / o.requests(),
					(double) p.nanos() / p.requests(), o.heldBytes() / MIB, p.heldBytes() / MIB, o.loadAfter(),
					p.loadAfter());
		}
	}

	private static void printBound(List<Ours> ours) {
		Ours highestWhole = null;
		Ours firstShort = null;
		for (Ours o : ours) {
			if (o.minutesInMemory() == MINUTES) {
				if (highestWhole == null || o.rate() > highestWhole.rate()) {
					highestWhole = o;
				}
			}
			else if (firstShort == null || o.rate() < firstShort.rate()) {
				firstShort = o;
			}
		}
		System.out.printf("%nBound (64 MiB of codes per cluster, the default cpdoctor.audit.remember-in-memory)%n");
		if (highestWhole == null) {
			System.out.printf("  at no measured rate do all %d minutes stay in memory%n", MINUTES);
		}
		else {
			System.out.printf(
					"  all 3 hours stay in memory up to %,d requests/s (the highest measured rate with %d of %d minutes"
							+ " in memory: %,.1f MiB of room)%n",
					highestWhole.rate(), highestWhole.minutesInMemory(), MINUTES, highestWhole.room() * 8 / MIB);
		}
		if (firstShort != null) {
			System.out.printf(
					"  from %,d requests/s: the newest %d minutes (%d h %02d min) stay in memory; a late stage of an older"
							+ " request costs one read of its minute from the store, never a second count%n",
					firstShort.rate(), firstShort.minutesInMemory(), firstShort.minutesInMemory() / 60,
					firstShort.minutesInMemory() % 60);
		}
		System.out.printf("  (events/s: twice the requests/s for a policy that logs RequestReceived and"
				+ " ResponseComplete; one code per request, whatever its stages)%n");
	}

	private static long regions(long bytes) {
		return (bytes + regionBytes() - 1) / regionBytes();
	}

	private static void printTargets(List<Ours> ours) {
		Ours most = ours.stream().max((a, b) -> Long.compare(a.maxHeldBytes(), b.maxHeldBytes())).orElseThrow();
		boolean heldOk = ours.stream().allMatch((o) -> o.maxHeldBytes() <= HELD_TARGET);
		long unexpected = ours.stream().mapToLong(Ours::unexpected).sum();
		System.out.printf("%nTargets%n");
		System.out.printf(
				"  live heap held within 64 MiB + 10 %% (%.1f MiB) at every rate: %s (most %.1f MiB, at %,d/s)%n",
				HELD_TARGET / MIB, verdict(heldOk), most.maxHeldBytes() / MIB, most.rate());
		for (Ours o : ours) {
			if (o.maxHeldBytes() > HELD_TARGET) {
				System.out.printf("    at %,d/s: %.1f MiB held for %.1f MiB of codes' room: a minute's table is one"
						+ " long[] of %,d KiB and a 16-byte header, at least half a %,d KiB region: G1 keeps it as a"
						+ " humongous object in whole regions, %,d KiB%n", o.rate(), o.maxHeldBytes() / MIB,
						o.room() * 8 / MIB, o.tableBytes() >> 10, regionBytes() >> 10,
						regions(o.tableBytes() + 16) * (regionBytes() >> 10));
			}
		}
		System.out.printf("  every request found new exactly once (no code shared by two requests): %s (%,d not new)%n",
				verdict(unexpected == 0), unexpected);
	}

}
