package dev.cpdoctor.analysis.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming parser of the Prometheus text exposition format (version 0.0.4) that keeps
 * only the families it is asked for.
 * <p>
 * It reads bytes, not characters: a line whose metric name is not wanted is skipped after
 * its name, with no allocation, so a 30 MB apiserver scrape costs about what scanning it
 * for newlines costs. Only kept lines are decoded (UTF-8) into {@link MetricSample}s. A
 * malformed line is counted in the {@link ParseReport} with its reason and skipped; it
 * never fails the parse.
 * <p>
 * Handles HELP and TYPE comments, label values with \\, \" and \n escapes, NaN, +Inf and
 * -Inf, optional timestamps, histogram and summary series (_bucket, _sum, _count belong
 * to their family), CRLF line ends, and lines longer than the buffer (up to
 * {@link #MAX_LINE_BYTES}).
 */
public final class PrometheusTextParser {

	/**
	 * A line longer than this is skipped as malformed (the largest real ones are a few
	 * KB).
	 */
	public static final int MAX_LINE_BYTES = 1 << 20;

	private static final int BUFFER_BYTES = 1 << 16;

	/**
	 * Series of a family that carry their own suffix: histograms, summaries, counters.
	 */
	private static final String[] FAMILY_SUFFIXES = { "_bucket", "_sum", "_count", "_created", "_total" };

	/** Receives each kept sample. */
	@FunctionalInterface
	public interface SampleSink {

		void accept(MetricSample sample);

	}

	private final NameTable wanted;

	/**
	 * @param families the family names to keep; a counter may be named with or without
	 * _total
	 */
	public PrometheusTextParser(Collection<String> families) {
		this.wanted = new NameTable(families);
	}

	/** Parses the whole stream; the caller closes it. */
	public ParseReport parse(InputStream in, SampleSink sink) throws IOException {
		ParseReport report = new ParseReport();
		byte[] buf = new byte[BUFFER_BYTES];
		int start = 0;
		int end = 0;
		boolean skippingLongLine = false;
		boolean eof = false;
		while (true) {
			int newline = indexOf(buf, start, end, (byte) '\n');
			if (newline < 0) {
				if (eof) {
					if (start < end && !skippingLongLine) {
						report.countLine();
						line(buf, start, end, report, sink);
					}
					return report;
				}
				// Move the partial line to the front, grow the buffer if one line fills
				// it.
				if (start > 0) {
					System.arraycopy(buf, start, buf, 0, end - start);
					end -= start;
					start = 0;
				}
				if (end == buf.length) {
					if (buf.length >= MAX_LINE_BYTES) {
						if (!skippingLongLine) {
							report.countLine();
							report.countMalformed("line longer than " + MAX_LINE_BYTES + " bytes");
							skippingLongLine = true;
						}
						end = 0;
					}
					else {
						buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
					}
				}
				int read = in.read(buf, end, buf.length - end);
				if (read < 0) {
					eof = true;
				}
				else {
					report.countBytes(read);
					end += read;
				}
				continue;
			}
			if (skippingLongLine) {
				skippingLongLine = false;
			}
			else {
				report.countLine();
				line(buf, start, newline, report, sink);
			}
			start = newline + 1;
		}
	}

	private void line(byte[] b, int from, int to, ParseReport report, SampleSink sink) {
		if (to > from && b[to - 1] == '\r') {
			to--;
		}
		int i = skipBlanks(b, from, to);
		if (i == to) {
			return;
		}
		if (b[i] == '#') {
			comment(b, i + 1, to, report);
			return;
		}
		long scanned = scanMetricName(b, i, to);
		int nameEnd = (int) scanned;
		if (nameEnd == i) {
			report.countMalformed("not a metric name");
			return;
		}
		if (nameEnd < to && b[nameEnd] != '{' && b[nameEnd] != ' ' && b[nameEnd] != '\t') {
			report.countMalformed("not a metric name");
			return;
		}
		report.countSample();
		String family = this.wanted.find(b, i, nameEnd, (int) (scanned >>> 32));
		if (family == null) {
			return;
		}
		sample(b, i, nameEnd, to, family, report, sink);
	}

	private void sample(byte[] b, int nameStart, int nameEnd, int to, String family, ParseReport report,
			SampleSink sink) {
		Map<String, String> labels = Collections.emptyMap();
		int i = nameEnd;
		if (i < to && b[i] == '{') {
			labels = new LinkedHashMap<>();
			i = labels(b, i + 1, to, labels);
			if (i < 0) {
				report.countMalformed(LABEL_ERRORS[-i - 1]);
				return;
			}
		}
		int valueStart = skipBlanks(b, i, to);
		// After '}' the blank is optional (Go's parser accepts "x{a="b"}1"); after a bare
		// name it is not.
		if (valueStart == i && i < to && b[i - 1] != '}') {
			report.countMalformed("no space before the value");
			return;
		}
		int valueEnd = tokenEnd(b, valueStart, to);
		if (valueStart == valueEnd) {
			report.countMalformed("missing value");
			return;
		}
		double value;
		try {
			value = parseValue(new String(b, valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			report.countMalformed("bad value");
			return;
		}
		Long timestamp = null;
		int tsStart = skipBlanks(b, valueEnd, to);
		// OpenMetrics: an exemplar follows " # "; it is not needed here.
		if (tsStart < to && b[tsStart] != '#') {
			int tsEnd = tokenEnd(b, tsStart, to);
			String text = new String(b, tsStart, tsEnd - tsStart, StandardCharsets.US_ASCII);
			try {
				// Prometheus text: integer milliseconds; OpenMetrics: seconds, possibly
				// fractional.
				timestamp = (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0)
						? Math.round(parseValue(text) * 1000) : Long.parseLong(text);
			}
			catch (NumberFormatException ex) {
				report.countMalformed("bad timestamp");
				return;
			}
			int rest = skipBlanks(b, tsEnd, to);
			if (rest < to && b[rest] != '#') {
				report.countMalformed("text after the timestamp");
				return;
			}
		}
		String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
		report.countKept();
		sink.accept(new MetricSample(family, name, Collections.unmodifiableMap(labels), value, timestamp));
	}

	private static final String[] LABEL_ERRORS = { "bad label name", "label without '='", "label value not quoted",
			"unterminated label value", "bad escape in label value", "labels not closed", "duplicate label" };

	/** Parses labels after '{'; returns the index after '}' or -(error index + 1). */
	private static int labels(byte[] b, int i, int to, Map<String, String> labels) {
		while (true) {
			i = skipBlanks(b, i, to);
			if (i < to && b[i] == '}') {
				return i + 1;
			}
			int nameEnd = labelNameEnd(b, i, to);
			if (nameEnd == i) {
				return (i >= to) ? -6 : -1;
			}
			String name = new String(b, i, nameEnd - i, StandardCharsets.US_ASCII);
			i = skipBlanks(b, nameEnd, to);
			if (i >= to || b[i] != '=') {
				return -2;
			}
			i = skipBlanks(b, i + 1, to);
			if (i >= to || b[i] != '"') {
				return -3;
			}
			i++;
			byte[] value = null;
			int length = 0;
			int runStart = i;
			while (true) {
				if (i >= to) {
					return -4;
				}
				byte c = b[i];
				if (c == '"') {
					break;
				}
				if (c == '\\') {
					if (i + 1 >= to) {
						return -4;
					}
					byte next = b[i + 1];
					byte unescaped = switch (next) {
						case '\\' -> (byte) '\\';
						case '"' -> (byte) '"';
						case 'n' -> (byte) '\n';
						default -> 0;
					};
					if (unescaped == 0) {
						return -5;
					}
					if (value == null) {
						value = new byte[to - runStart];
					}
					System.arraycopy(b, runStart, value, length, i - runStart);
					length += i - runStart;
					value[length++] = unescaped;
					i += 2;
					runStart = i;
					continue;
				}
				i++;
			}
			String text;
			if (value == null) {
				text = new String(b, runStart, i - runStart, StandardCharsets.UTF_8);
			}
			else {
				System.arraycopy(b, runStart, value, length, i - runStart);
				length += i - runStart;
				text = new String(value, 0, length, StandardCharsets.UTF_8);
			}
			if (labels.put(name, text) != null) {
				return -7;
			}
			i = skipBlanks(b, i + 1, to);
			if (i < to && b[i] == ',') {
				i++;
				continue;
			}
			if (i < to && b[i] == '}') {
				return i + 1;
			}
			return -6;
		}
	}

	private void comment(byte[] b, int i, int to, ParseReport report) {
		i = skipBlanks(b, i, to);
		int wordEnd = tokenEnd(b, i, to);
		boolean type = wordEnd - i == 4 && b[i] == 'T' && b[i + 1] == 'Y' && b[i + 2] == 'P' && b[i + 3] == 'E';
		if (!type) {
			return;
		}
		int nameStart = skipBlanks(b, wordEnd, to);
		int nameEnd = metricNameEnd(b, nameStart, to);
		String family = this.wanted.find(b, nameStart, nameEnd, NameTable.hash(b, nameStart, nameEnd));
		if (family == null) {
			return;
		}
		int typeStart = skipBlanks(b, nameEnd, to);
		int typeEnd = tokenEnd(b, typeStart, to);
		report.recordType(family, new String(b, typeStart, typeEnd - typeStart, StandardCharsets.US_ASCII));
	}

	static double parseValue(String text) {
		return switch (text) {
			case "+Inf", "Inf", "+inf", "inf" -> Double.POSITIVE_INFINITY;
			case "-Inf", "-inf" -> Double.NEGATIVE_INFINITY;
			case "NaN", "nan" -> Double.NaN;
			default -> {
				char last = text.charAt(text.length() - 1);
				// Java also accepts "1d", "1f" and hex floats; Prometheus does not.
				if (!(Character.isDigit(last) || last == '.') || text.indexOf('x') >= 0 || text.indexOf('X') >= 0) {
					throw new NumberFormatException(text);
				}
				yield Double.parseDouble(text);
			}
		};
	}

	private static int indexOf(byte[] b, int from, int to, byte target) {
		for (int i = from; i < to; i++) {
			if (b[i] == target) {
				return i;
			}
		}
		return -1;
	}

	private static int skipBlanks(byte[] b, int i, int to) {
		while (i < to && (b[i] == ' ' || b[i] == '\t')) {
			i++;
		}
		return i;
	}

	private static int tokenEnd(byte[] b, int i, int to) {
		while (i < to && b[i] != ' ' && b[i] != '\t') {
			i++;
		}
		return i;
	}

	/** Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*. */
	private static int metricNameEnd(byte[] b, int i, int to) {
		return nameEnd(b, i, to, true);
	}

	/**
	 * The hot loop of the parser: scans a metric name and hashes it in the same pass (the
	 * hash of {@link NameTable}). Returns the end index in the low 32 bits and the hash
	 * in the high 32.
	 */
	private static long scanMetricName(byte[] b, int i, int to) {
		int start = i;
		int h = 0;
		while (i < to) {
			byte c = b[i];
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
			if (!letter && !(i > start && c >= '0' && c <= '9')) {
				break;
			}
			h = 31 * h + c;
			i++;
		}
		return ((long) NameTable.spread(h) << 32) | (i & 0xFFFFFFFFL);
	}

	/** Label names: [a-zA-Z_][a-zA-Z0-9_]*. */
	private static int labelNameEnd(byte[] b, int i, int to) {
		return nameEnd(b, i, to, false);
	}

	private static int nameEnd(byte[] b, int i, int to, boolean colon) {
		int start = i;
		while (i < to) {
			byte c = b[i];
			boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon && c == ':');
			if (!letter && !(i > start && c >= '0' && c <= '9')) {
				break;
			}
			i++;
		}
		return i;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * Open-addressing table of wanted names, looked up by a byte range without
	 * allocating.
	 */
	static final class NameTable {

		private final byte[][] keys;

		private final String[] names;

		private final int mask;

		NameTable(Collection<String> families) {
			int size = Integer.highestOneBit(Math.max(4, families.size() * 4 * (FAMILY_SUFFIXES.length + 2)) - 1) << 1;
			this.keys = new byte[size][];
			this.names = new String[size];
			this.mask = size - 1;
			for (String family : families) {
				put(family, family, true);
			}
			// One lookup per line: the series names of a family map to it directly. A
			// wanted family's
			// own name always wins over another family's series name.
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
			byte[] k = bytes(key);
			int slot = hash(k, 0, k.length) & this.mask;
			while (this.keys[slot] != null && !Arrays.equals(this.keys[slot], k)) {
				slot = (slot + 1) & this.mask;
			}
			if (this.keys[slot] != null && !replace) {
				return;
			}
			this.keys[slot] = k;
			this.names[slot] = family;
		}

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

		static int hash(byte[] b, int from, int to) {
			int h = 0;
			for (int i = from; i < to; i++) {
				h = 31 * h + b[i];
			}
			return spread(h);
		}

		static int spread(int h) {
			return h ^ (h >>> 16);
		}

	}

}
