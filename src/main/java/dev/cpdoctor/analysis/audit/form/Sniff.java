package dev.cpdoctor.analysis.audit.form;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * What an input is, from its first bytes: never from a file name or a header. Looks at
 * its first lines, so that a first line cut short (a log copied from its middle) does not
 * hide the form of the rest.
 */
final class Sniff {

	/** The ways an input is read. */
	enum Kind {

		/** Nothing but white space. */
		EMPTY,

		/** gzip: read through it, then sniffed again. */
		GZIP,

		/** JSON lines of Events: the fast path. */
		EVENT_LINES,

		/** JSON lines of something else: each line a unit. */
		JSON_LINES,

		/** JSON documents of any layout, walked value by value. */
		DOCUMENTS,

		/** CloudWatch export to S3: timestamp, space, event. */
		EXPORT_LINES,

		/** A Log Analytics CSV export. */
		CSV,

		/** None of these. */
		UNKNOWN

	}

	/** Lines looked at for a known start before an input is called unknown. */
	private static final int LINES = 8;

	/** Lines after the first that must each be one JSON value for JSON lines. */
	private static final int CHECKED = 64;

	private static final Pattern EXPORT_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT[0-9:.]+(Z|[+-][0-9:]+)? \\S.*",
			Pattern.DOTALL);

	private static final Pattern CSV_KEY = Pattern.compile("(^|,)\"?(AuditId|log_s)( \\[[^\\]]*\\])?\"?(,|$)");

	private Sniff() {
	}

	/**
	 * The kind of the input whose first {@code length} bytes are {@code head};
	 * {@code whole} when that is all of it.
	 */
	static Kind of(byte[] head, int length, boolean whole) {
		int p = JsonSkip.skipSpace(head, 0, length);
		if (p == length) {
			return whole ? Kind.EMPTY : Kind.DOCUMENTS;
		}
		if (Gunzip.isGzip(head, p, length)) {
			return Kind.GZIP;
		}
		if (head[p] == '[') {
			return Kind.DOCUMENTS;
		}
		// JSON lines cut short or broken at their start: walked as documents, each
		// counted
		Kind fallback = Kind.UNKNOWN;
		for (int line = 0; line < LINES && p < length; line++) {
			int newline = JsonSkip.indexOf(head, (byte) '\n', p, length);
			int end = (newline >= 0) ? newline : length;
			Kind kind = line(head, p, end, newline >= 0 || whole);
			if ((kind == Kind.EVENT_LINES || kind == Kind.JSON_LINES) && newline >= 0
					&& !oneValuePerLine(head, newline + 1, length)) {
				return Kind.DOCUMENTS;
			}
			if (kind != Kind.UNKNOWN) {
				return kind;
			}
			if (head[p] == '{') {
				fallback = Kind.DOCUMENTS;
			}
			if (newline < 0) {
				break;
			}
			p = JsonSkip.skipSpace(head, newline + 1, length);
		}
		return fallback;
	}

	private static Kind line(byte[] b, int start, int end, boolean complete) {
		if (b[start] == '{') {
			if (!complete) {
				return Kind.DOCUMENTS;
			}
			int valueEnd = JsonSkip.end(b, start, end);
			if (valueEnd == JsonSkip.TRUNCATED && !openEnded(b, start, end)) {
				return Kind.UNKNOWN; // a line cut short: the next one says what the rest
										// is
			}
			if (valueEnd < 0 || JsonSkip.skipSpace(b, valueEnd, end) != end) {
				return Kind.DOCUMENTS;
			}
			return switch (UnitShape.of(b, start, end).kind()) {
				case EVENT -> Kind.EVENT_LINES;
				case WRAPPER -> Kind.DOCUMENTS;
				case BROKEN -> Kind.UNKNOWN;
				default -> Kind.JSON_LINES;
			};
		}
		String text = new String(b, start, Math.min(end - start, 4096), StandardCharsets.ISO_8859_1).strip();
		if (EXPORT_LINE.matcher(text).matches()) {
			return Kind.EXPORT_LINES;
		}
		if (CSV_KEY.matcher(text).find()) {
			return Kind.CSV;
		}
		return Kind.UNKNOWN;
	}

	/**
	 * Whether the whole lines from {@code p} (at most {@link #CHECKED} of them) are each
	 * blank or one JSON object: JSON lines, not documents laid out over lines.
	 */
	private static boolean oneValuePerLine(byte[] b, int p, int length) {
		for (int line = 0; line < CHECKED; line++) {
			int newline = JsonSkip.indexOf(b, (byte) '\n', p, length);
			if (newline < 0) {
				return true;
			}
			int start = JsonSkip.skipSpace(b, p, newline);
			if (start < newline) {
				int end = (b[start] == '{') ? JsonSkip.end(b, start, newline) : JsonSkip.BROKEN;
				if (end < 0 || JsonSkip.skipSpace(b, end, newline) != newline) {
					return false;
				}
			}
			p = newline + 1;
		}
		return true;
	}

	/**
	 * Whether a line ends where a pretty-printed document's line does (after an opening
	 * bracket or a comma), not cut in the middle of a value.
	 */
	private static boolean openEnded(byte[] b, int start, int end) {
		int last = end - 1;
		while (last > start && JsonSkip.space(b[last])) {
			last--;
		}
		return b[last] == '{' || b[last] == '[' || b[last] == ',';
	}

}
