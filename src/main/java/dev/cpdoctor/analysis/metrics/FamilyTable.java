package dev.cpdoctor.analysis.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;

/**
 * The families a {@link PrometheusTextParser} keeps, looked up by a metric name's byte
 * range without allocating: each wanted family under its own name and its series' names
 * (histogram, summary and counter suffixes), so that one lookup per line finds the
 * family. Open addressing, hashed by {@link PrometheusLexer#hash}.
 */
final class FamilyTable {

	/**
	 * Series of a family that carry their own suffix: histograms, summaries, counters.
	 */
	private static final String[] FAMILY_SUFFIXES = { "_bucket", "_sum", "_count", "_created", "_total" };

	private final byte[][] keys;

	private final String[] names;

	private final int mask;

	FamilyTable(Collection<String> families) {
		int size = Integer.highestOneBit(Math.max(4, families.size() * 4 * (FAMILY_SUFFIXES.length + 2)) - 1) << 1;
		this.keys = new byte[size][];
		this.names = new String[size];
		this.mask = size - 1;
		for (String family : families) {
			put(family, family, true);
		}
		// One lookup per line: the series names of a family map to it directly. A
		// wanted family's own name always wins over another family's series name.
		for (String family : families) {
			for (String suffix : FAMILY_SUFFIXES) {
				put(family + suffix, family, false);
			}
			if (family.endsWith("_total")) {
				put(family.substring(0, family.length() - "_total".length()), family, false);
			}
		}
	}

	private void put(String key, String family, boolean replace) {
		byte[] k = key.getBytes(StandardCharsets.US_ASCII);
		int slot = PrometheusLexer.hash(k, 0, k.length) & this.mask;
		while (this.keys[slot] != null && !Arrays.equals(this.keys[slot], k)) {
			slot = (slot + 1) & this.mask;
		}
		if (this.keys[slot] != null && !replace) {
			return;
		}
		this.keys[slot] = k;
		this.names[slot] = family;
	}

	/** The family of the name in from..to whose hash is {@code hash}, or null. */
	String find(byte[] b, int from, int to, int hash) {
		int slot = hash & this.mask;
		while (this.keys[slot] != null) {
			byte[] k = this.keys[slot];
			if (k.length == to - from && Arrays.equals(k, 0, k.length, b, from, to)) {
				return this.names[slot];
			}
			slot = (slot + 1) & this.mask;
		}
		return null;
	}

}
