package dev.cpdoctor.analysis.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * Strings met again and again (user agents, verbs, resources, stages) made once per parse
 * rather than once per event: less garbage, and their hash codes are computed once. A
 * small direct-mapped table: a collision or a flood of distinct values only costs a new
 * string. Also the last timestamps read: stages of one request repeat them.
 */
final class SeenValues {

	private static final int SLOTS = 4096;

	private static final int PROBES = 4;

	private static final int LONGEST = 512;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final byte[][] keys = new byte[SLOTS][];

	private final String[] values = new String[SLOTS];

	/**
	 * The last timestamps read, as bytes and instants.
	 */
	private final byte[][] timestampBytes = new byte[2][];

	private final Instant[] timestamps = new Instant[2];

	private int nextTimestamp;

	/**
	 * The ASCII bytes from..to as a string, the same one as the last time they were met.
	 */
	String get(byte[] b, int from, int to) {
		int length = to - from;
		if (length > LONGEST) {
			return new String(b, from, length, StandardCharsets.ISO_8859_1);
		}
		long h = length;
		int i = from;
		for (; i + 8 <= to; i += 8) {
			h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
		}
		for (; i < to; i++) {
			h = (h ^ b[i]) * 0x9E3779B97F4A7C15L;
		}
		int first = (int) (h ^ (h >>> 29)) & (SLOTS - 1);
		int free = -1;
		for (int probe = 0; probe < PROBES; probe++) {
			int slot = (first + probe) & (SLOTS - 1);
			byte[] key = this.keys[slot];
			if (key == null) {
				free = (free < 0) ? slot : free;
				break;
			}
			if (key.length == length && Arrays.equals(key, 0, length, b, from, to)) {
				return this.values[slot];
			}
		}
		String value = new String(b, from, length, StandardCharsets.ISO_8859_1);
		int slot = (free >= 0) ? free : first; // full around here: the newcomer takes
												// the first slot
		this.keys[slot] = Arrays.copyOfRange(b, from, to);
		this.values[slot] = value;
		return value;
	}

	/**
	 * {@link Timestamps#fast(byte[], int, int)}, or the instant of the same bytes read
	 * just before.
	 */
	Instant timestamp(byte[] b, int from, int to) {
		for (int i = 0; i < 2; i++) {
			byte[] last = this.timestampBytes[i];
			if (last != null && last.length == to - from && Arrays.equals(last, 0, last.length, b, from, to)) {
				return this.timestamps[i];
			}
		}
		Instant instant = Timestamps.fast(b, from, to);
		if (instant != null) {
			this.timestampBytes[this.nextTimestamp] = Arrays.copyOfRange(b, from, to);
			this.timestamps[this.nextTimestamp] = instant;
			this.nextTimestamp ^= 1;
		}
		return instant;
	}

}
