package dev.cpdoctor.analysis.audit.form;

import java.util.Locale;

/**
 * How much of an input {@link AuditForms} holds or expands: the largest JSON document,
 * line or row held at once, and the bound on what gzip expands to, in all and per byte
 * read.
 *
 * @param maxDocument the most bytes of one document, line, row or wrapper item held; a
 * larger one is a problem and reading goes on after it
 * @param maxExpanded the most bytes all gzip layers of one input may expand to
 * @param maxRatio the most a gzip layer may expand per compressed byte, once past
 * {@code ratioFrom} (real audit logs compress 10-20 times, a gzip bomb about 1000)
 * @param ratioFrom the expanded bytes of a layer before its ratio is judged
 */
public record FormLimits(int maxDocument, long maxExpanded, int maxRatio, long ratioFrom) {

	/** The ratio of expanded to compressed bytes past which gzip is taken for a bomb. */
	public static final int DEFAULT_RATIO = 200;

	private static final long MIB = 1024 * 1024;

	public FormLimits {
		if (maxDocument < 1024 || maxExpanded < 1 || maxRatio < 1 || ratioFrom < 0) {
			throw new IllegalArgumentException("limits too small: " + maxDocument + ", " + maxExpanded);
		}
	}

	/** The default ratio (200), judged past the first MiB. */
	public static FormLimits of(int maxDocument, long maxExpanded) {
		return new FormLimits(maxDocument, maxExpanded, DEFAULT_RATIO, MIB);
	}

	/** A size as people read it: "16 MiB", "512 KiB", "900 bytes". */
	static String size(long bytes) {
		if (bytes >= MIB && bytes % MIB == 0) {
			return (bytes / MIB) + " MiB";
		}
		if (bytes >= MIB) {
			return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
		}
		if (bytes >= 1024 && bytes % 1024 == 0) {
			return (bytes / 1024) + " KiB";
		}
		return bytes + " bytes";
	}

}
