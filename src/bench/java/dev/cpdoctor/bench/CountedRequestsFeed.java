package dev.cpdoctor.bench;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.analysis.audit.RequestKey;

import static dev.cpdoctor.bench.BenchMachine.loadAverage;
import static dev.cpdoctor.bench.BenchProcess.heapUsed;

/**
 * One rate of the counted requests benchmark: {@code rate} synthetic requests per second
 * over {@value #SECONDS} seconds (3 hours) of event time, fed to {@link CountedRequests}
 * with the live limits as {@code AuditStream} does (state() of each request, then add()
 * of the codes of the requests it found new, one batch per second), and the same
 * requests' codes fed to a {@code HashSet<Long>}, the peer.
 * <p>
 * A request's auditID is UUID-like (random, the same sequence for ours and the peer), its
 * requestReceivedTimestamp spread evenly over its second in microseconds, as the
 * apiserver writes them; the newest event time (the watermark) is the end of the second
 * being fed. The store behind ours ({@link CountedRequests.Stored#NONE}) holds nothing: a
 * minute evicted from memory and asked for again comes back empty, and counts as one
 * read. Keys are made before each second's timing starts: the time is that of state() and
 * add() (with the code of each new request), or of the peer's contains() and add().
 */
final class CountedRequestsFeed {

	static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

	static final int SECONDS = 3 * 3600;

	static final int MINUTES = SECONDS / 60;

	/** Live heap is measured this often (seconds of event time) while ours is fed. */
	static final int CHECKPOINT = 1800;

	private final int rate;

	private final long seed;

	CountedRequestsFeed(int rate, long seed) {
		this.rate = rate;
		this.seed = seed;
	}

	/**
	 * Ours at this rate.
	 *
	 * @param requests requests fed
	 * @param unexpected requests whose state() was not NEW (a code shared by two
	 * requests)
	 * @param nanos time in state() and add()
	 * @param room codes' room in memory at the end
	 * @param minutesInMemory minutes still in memory at the end, newest first
	 * @param feedReads minutes read from the store while fed
	 * @param lateReads minutes read when one request of every minute is asked for again
	 * @param heldBytes live heap the structure holds at the end
	 * @param maxHeldBytes the most live heap it held at a checkpoint or at the end
	 */
	record Ours(int rate, long requests, long unexpected, long nanos, long room, int minutesInMemory, long feedReads,
			long lateReads, long heldBytes, long maxHeldBytes, double loadBefore, double loadAfter) {

		/** The bytes of one minute's table (all minutes hold as many codes). */
		long tableBytes() {
			return (this.minutesInMemory > 0) ? this.room * 8 / this.minutesInMemory : 0;
		}

		double bytesPerRemembered() {
			long remembered = (long) this.minutesInMemory * 60 * this.rate;
			return (remembered > 0) ? (double) this.heldBytes / remembered : Double.NaN;
		}

	}

	/** The peer at this rate: a HashSet of every code, never forgetting. */
	record Peer(int rate, long requests, long nanos, long heldBytes, long entries, double loadBefore,
			double loadAfter) {

	}

	Ours ours() {
		double loadBefore = loadAverage();
		long base = liveHeap();
		CountedRequests counted = new CountedRequests(CountedRequests.Limits.live(), CountedRequests.Stored.NONE);
		RequestKey[] firstOfMinute = new RequestKey[MINUTES];
		SplittableRandom random = new SplittableRandom(this.seed);
		long nanos = 0;
		long unexpected = 0;
		long maxHeld = 0;
		long[] codes = new long[this.rate];
		for (int second = 0; second < SECONDS; second++) {
			RequestKey[] keys = second(random, second);
			if (second % 60 == 0) {
				firstOfMinute[second / 60] = keys[0];
			}
			Instant minute = CountedRequests.minuteOf(keys[0]);
			Instant watermark = START.plusSeconds(second + 1);
			long t0 = System.nanoTime();
			int fresh = 0;
			for (RequestKey key : keys) {
				if (counted.state(key, watermark) == CountedRequests.State.NEW) {
					codes[fresh++] = CountedRequests.code(key, true);
				}
			}
			// add() copies the codes into its tables: the array is reused for the next
			// second
			counted.add(Map.of(minute, (fresh == codes.length) ? codes : Arrays.copyOf(codes, fresh)));
			nanos += System.nanoTime() - t0;
			unexpected += keys.length - fresh;
			if ((second + 1) % CHECKPOINT == 0 && second + 1 < SECONDS) {
				maxHeld = Math.max(maxHeld, liveHeap() - base);
			}
		}
		long held = liveHeap() - base;
		long room = counted.codesInMemory();
		long feedReads = counted.reads();
		int inMemory = probe(counted, firstOfMinute);
		return new Ours(this.rate, (long) this.rate * SECONDS, unexpected, nanos, room, inMemory, feedReads,
				counted.reads() - feedReads, held, Math.max(maxHeld, held), loadBefore, loadAverage());
	}

	/**
	 * A late stage of one request of every minute, newest minute first: the minutes found
	 * in memory until the first that is not (eviction takes the least recently used, the
	 * oldest); every minute after that is read from the store.
	 */
	private static int probe(CountedRequests counted, RequestKey[] firstOfMinute) {
		Instant watermark = START.plusSeconds(SECONDS);
		int inMemory = 0;
		boolean stillInMemory = true;
		for (int m = firstOfMinute.length - 1; m >= 0; m--) {
			CountedRequests.State state = counted.state(firstOfMinute[m], watermark);
			if (stillInMemory && state == CountedRequests.State.TIMED) {
				inMemory++;
			}
			else {
				stillInMemory = false;
			}
		}
		return inMemory;
	}

	Peer peer() {
		double loadBefore = loadAverage();
		long base = liveHeap();
		Set<Long> seen = new HashSet<>();
		SplittableRandom random = new SplittableRandom(this.seed);
		long nanos = 0;
		for (int second = 0; second < SECONDS; second++) {
			RequestKey[] keys = second(random, second);
			long t0 = System.nanoTime();
			for (RequestKey key : keys) {
				long code = CountedRequests.code(key);
				if (!seen.contains(code)) {
					seen.add(code);
				}
			}
			nanos += System.nanoTime() - t0;
		}
		long held = liveHeap() - base;
		return new Peer(this.rate, (long) this.rate * SECONDS, nanos, held, seen.size(), loadBefore, loadAverage());
	}

	/** The requests received in one second of event time. */
	private RequestKey[] second(SplittableRandom random, int second) {
		RequestKey[] keys = new RequestKey[this.rate];
		long startMicros = START.getEpochSecond() * 1_000_000L + second * 1_000_000L;
		for (int i = 0; i < this.rate; i++) {
			long micros = startMicros + i * 1_000_000L / this.rate;
			Instant received = Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1000);
			keys[i] = new RequestKey(new UUID(random.nextLong(), random.nextLong()).toString(), received);
		}
		return keys;
	}

	/** Heap in use after full collections: what is still reachable. */
	static long liveHeap() {
		System.gc();
		System.gc();
		return heapUsed();
	}

}
