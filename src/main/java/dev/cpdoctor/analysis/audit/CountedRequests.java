package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests counted already, so that each counts once whatever the order of its
 * events, however batches are split, resent or replayed across restarts. A request is
 * remembered as a 64-bit code of its {@link RequestKey} (one bit of it says whether its
 * latency was recorded), filed under the minute it was received: a late stage finds its
 * request's minute at once.
 * <p>
 * The stored codes are the truth ({@link Stored}, written with each batch); this class
 * keeps the minutes in use in memory, at most {@link Limits#maxCodesInMemory()} codes'
 * room, and reads a minute it does not hold from the store when an event of it comes. So
 * memory stays bounded at any request rate: a rate beyond the bound costs reads, never a
 * second count. A live cluster forgets requests received more than
 * {@link Limits#window()} before the newest event time (their codes are deleted with
 * them); a stage of such a request cannot be told apart from a new one and is refused. An
 * imported log (no window) forgets nothing: importing it again counts nothing.
 * <p>
 * Two different requests of one minute share a code with a chance of about n^2/2^64 for n
 * requests in that minute (1e-10 at 60,000): far below one in the life of a cluster.
 */
public final class CountedRequests {

	/**
	 * @param window how long after the newest event time a request is remembered; null
	 * for ever (imported logs)
	 * @param maxCodesInMemory the room for codes kept in memory (8 bytes each)
	 */
	public record Limits(Duration window, long maxCodesInMemory) {

		/** 3 hours, 8 Mi codes (64 MiB). */
		public static Limits live() {
			return new Limits(Duration.ofHours(3), 8L << 20);
		}

		/** Nothing forgotten, 8 Mi codes (64 MiB) in memory. */
		public static Limits imported() {
			return new Limits(null, 8L << 20);
		}

	}

	/** Where the codes of each minute are kept (the history's audit_counted rows). */
	public interface Stored {

		/** The codes stored for a minute; several codes of one request may appear. */
		long[] codes(Instant minute);

		/** Stores nothing and holds nothing: for a stream without a store. */
		Stored NONE = (minute) -> new long[0];

	}

	/** What is known of a request. */
	public enum State {

		/** Not counted. */
		NEW,

		/** Counted, without latency so far. */
		COUNTED,

		/** Counted with its latency: anything more of it is a repeat. */
		TIMED,

		/** Received before the window: whether it was counted is not known any more. */
		FORGOTTEN

	}

	private static final long TIMED_BIT = 1L;

	private final Limits limits;

	private final Stored stored;

	/** Minutes held in memory, least recently used first. */
	private final LinkedHashMap<Instant, CodeSet> minutes = new LinkedHashMap<>(256, 0.75f, true);

	private long room;

	private long reads;

	public CountedRequests(Limits limits, Stored stored) {
		this.limits = limits;
		this.stored = stored;
	}

	public Limits limits() {
		return this.limits;
	}

	/** What is known of the request, {@code watermark} being the newest event time. */
	public State state(RequestKey key, Instant watermark) {
		Instant minute = minuteOf(key);
		if (forgotten(minute, watermark)) {
			return State.FORGOTTEN;
		}
		long found = minute(minute).find(code(key));
		if (found == 0) {
			return State.NEW;
		}
		return ((found & TIMED_BIT) != 0) ? State.TIMED : State.COUNTED;
	}

	/**
	 * Whether requests of the minute are forgotten at this watermark. Their stored codes
	 * are deleted a little later ({@link #deletableBefore}), so a watermark read back a
	 * little lower after a restart never takes a deleted minute for a known one.
	 */
	public boolean forgotten(Instant minute, Instant watermark) {
		return this.limits.window() != null && minute.isBefore(watermark.minus(this.limits.window()));
	}

	/** Stored codes of minutes before this may be deleted; null when none may. */
	public Instant deletableBefore(Instant watermark) {
		if (this.limits.window() == null) {
			return null;
		}
		return watermark.minus(this.limits.window()).minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MINUTES);
	}

	/** Remembers codes that were stored: a committed batch's. */
	public void add(Map<Instant, long[]> codesByMinute) {
		codesByMinute.forEach((minute, codes) -> {
			CodeSet set = this.minutes.get(minute);
			if (set != null) {
				long before = set.room();
				for (long code : codes) {
					set.add(code);
				}
				this.room += set.room() - before;
			}
			// a minute not in memory is read from the store when next asked for
		});
		evict();
	}

	/** Codes' room in memory now, for the data-quality panel and the benchmark. */
	public long codesInMemory() {
		return this.room;
	}

	/** Minutes read from the store so far. */
	public long reads() {
		return this.reads;
	}

	private CodeSet minute(Instant minute) {
		CodeSet set = this.minutes.get(minute);
		if (set == null) {
			set = new CodeSet();
			for (long code : this.stored.codes(minute)) {
				set.add(code);
			}
			this.reads++;
			this.minutes.put(minute, set);
			this.room += set.room();
			evict();
		}
		return set;
	}

	private void evict() {
		Iterator<CodeSet> oldest = this.minutes.values().iterator();
		while (this.room > this.limits.maxCodesInMemory() && this.minutes.size() > 1 && oldest.hasNext()) {
			this.room -= oldest.next().room();
			oldest.remove();
		}
	}

	/** The minute a request is filed under. */
	public static Instant minuteOf(RequestKey key) {
		return key.received().truncatedTo(ChronoUnit.MINUTES);
	}

	/** A request's code, without the timed bit; never 0. */
	public static long code(RequestKey key) {
		long h = 0x9E3779B97F4A7C15L ^ key.received().getEpochSecond() * 0xC2B2AE3D27D4EB4FL ^ key.received().getNano();
		String auditId = key.auditId();
		for (int i = 0; i < auditId.length(); i++) {
			h = (h ^ auditId.charAt(i)) * 0x100000001B3L;
			h ^= h >>> 29;
		}
		h ^= h >>> 33;
		h *= 0xFF51AFD7ED558CCDL;
		h ^= h >>> 33;
		h &= ~TIMED_BIT;
		return (h != 0) ? h : 2;
	}

	/** The code to store for a request, saying whether its latency was recorded. */
	public static long code(RequestKey key, boolean timed) {
		return timed ? code(key) | TIMED_BIT : code(key);
	}

	/**
	 * Codes of one minute: open addressing over power-of-two tables, the timed bit merged
	 * in (a code stored timed stays timed). A busy minute is split over several tables by
	 * the code's top bits, each at most {@value #MAX_TABLE} codes (256 KiB): a larger
	 * array would be a humongous object to G1, taking whole heap regions (twice its size
	 * for a 512 KiB table in 1 MB regions), and the memory held would exceed the bound.
	 */
	private static final class CodeSet {

		static final int MAX_TABLE = 32 * 1024;

		private long[][] tables = { new long[16] };

		private int[] sizes = new int[1];

		long room() {
			long room = 0;
			for (long[] table : this.tables) {
				room += table.length;
			}
			return room;
		}

		/** The stored code equal to this one but for the timed bit, or 0. */
		long find(long code) {
			long key = code & ~TIMED_BIT;
			long[] table = this.tables[shard(key)];
			int mask = table.length - 1;
			for (int i = slot(key, mask);; i = (i + 1) & mask) {
				long at = table[i];
				if (at == 0 || (at & ~TIMED_BIT) == key) {
					return at;
				}
			}
		}

		void add(long code) {
			long key = code & ~TIMED_BIT;
			int shard = shard(key);
			if ((this.sizes[shard] + 1) * 4L > this.tables[shard].length * 3L) {
				if (this.tables[shard].length < MAX_TABLE) {
					this.tables[shard] = grown(this.tables[shard], this.tables[shard].length * 2);
				}
				else {
					split();
					shard = shard(key);
				}
			}
			if (put(this.tables[shard], code)) {
				this.sizes[shard]++;
			}
		}

		/** Twice the tables, each code moved to the table of its top bits. */
		private void split() {
			long[][] old = this.tables;
			this.tables = new long[old.length * 2][];
			this.sizes = new int[old.length * 2];
			int[] counts = new int[this.tables.length];
			for (long[] table : old) {
				for (long code : table) {
					if (code != 0) {
						counts[shard(code & ~TIMED_BIT)]++;
					}
				}
			}
			for (int i = 0; i < this.tables.length; i++) {
				int length = 16;
				while (length < MAX_TABLE && counts[i] * 4L >= length * 3L) {
					length *= 2;
				}
				this.tables[i] = new long[length];
			}
			for (long[] table : old) {
				for (long code : table) {
					if (code != 0) {
						int shard = shard(code & ~TIMED_BIT);
						if (put(this.tables[shard], code)) {
							this.sizes[shard]++;
						}
					}
				}
			}
		}

		private int shard(long key) {
			return (this.tables.length == 1) ? 0
					: (int) (key >>> (64 - Integer.numberOfTrailingZeros(this.tables.length)));
		}

		private static long[] grown(long[] old, int length) {
			long[] table = new long[length];
			for (long code : old) {
				if (code != 0) {
					put(table, code);
				}
			}
			return table;
		}

		/** Puts the code in the table; answers whether it took a new slot. */
		private static boolean put(long[] table, long code) {
			long key = code & ~TIMED_BIT;
			int mask = table.length - 1;
			for (int i = slot(key, mask);; i = (i + 1) & mask) {
				long at = table[i];
				if (at == 0) {
					table[i] = code;
					return true;
				}
				if ((at & ~TIMED_BIT) == key) {
					table[i] = at | code;
					return false;
				}
			}
		}

		private static int slot(long key, int mask) {
			return (int) (key ^ (key >>> 32)) & mask;
		}

	}

}
