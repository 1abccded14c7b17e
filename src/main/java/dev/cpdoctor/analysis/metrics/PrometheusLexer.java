package dev.cpdoctor.analysis.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The byte-level lexing of the Prometheus text exposition format under
 * {@link PrometheusTextParser}: blanks, tokens, metric and label names (a metric name
 * hashed as it is scanned), label sets with their escapes, values and timestamps. It
 * knows nothing of which families are wanted.
 */
final class PrometheusLexer {

	/** Why a label set is malformed, by the negative answer of {@link #labels}. */
	static final String[] LABEL_ERRORS = { "bad label name", "label without '='", "label value not quoted",
			"unterminated label value", "bad escape in label value", "labels not closed", "duplicate label" };

	private static final int BAD_NAME = -1;

	private static final int NO_EQUALS = -2;

	private static final int NOT_QUOTED = -3;

	private static final int UNTERMINATED = -4;

	private static final int BAD_ESCAPE = -5;

	private static final int NOT_CLOSED = -6;

	private static final int DUPLICATE = -7;

	private PrometheusLexer() {
	}

	/**
	 * Parses labels after '{' into {@code labels}; returns the index after '}' or -(index
	 * in {@link #LABEL_ERRORS} + 1).
	 */
	static int labels(byte[] b, int i, int to, Map<String, String> labels) {
		while (true) {
			i = skipBlanks(b, i, to);
			if (i < to && b[i] == '}') {
				return i + 1;
			}
			int nameEnd = labelNameEnd(b, i, to);
			if (nameEnd == i) {
				return (i >= to) ? NOT_CLOSED : BAD_NAME;
			}
			String name = new String(b, i, nameEnd - i, StandardCharsets.US_ASCII);
			i = skipBlanks(b, nameEnd, to);
			if (i >= to || b[i] != '=') {
				return NO_EQUALS;
			}
			i = skipBlanks(b, i + 1, to);
			if (i >= to || b[i] != '"') {
				return NOT_QUOTED;
			}
			i = labelValue(b, i + 1, to, name, labels);
			if (i < 0) {
				return i;
			}
			i = skipBlanks(b, i, to);
			if (i < to && b[i] == ',') {
				i++;
				continue;
			}
			if (i < to && b[i] == '}') {
				return i + 1;
			}
			return NOT_CLOSED;
		}
	}

	/**
	 * Reads the label value that starts at i (after its opening quote), unescaping
	 * {@code \\ \" \n}, and puts it under {@code name}; returns the index after its
	 * closing quote, or a negative error as {@link #labels}.
	 */
	private static int labelValue(byte[] b, int i, int to, String name, Map<String, String> labels) {
		byte[] value = null;
		int length = 0;
		int runStart = i;
		while (true) {
			if (i >= to) {
				return UNTERMINATED;
			}
			byte c = b[i];
			if (c == '"') {
				break;
			}
			if (c == '\\') {
				if (i + 1 >= to) {
					return UNTERMINATED;
				}
				byte unescaped = unescape(b[i + 1]);
				if (unescaped == 0) {
					return BAD_ESCAPE;
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
		return (labels.put(name, text) != null) ? DUPLICATE : i + 1;
	}

	/** The byte an escape in a label value stands for, or 0 when it is not one. */
	private static byte unescape(byte escaped) {
		return switch (escaped) {
			case '\\' -> (byte) '\\';
			case '"' -> (byte) '"';
			case 'n' -> (byte) '\n';
			default -> 0;
		};
	}

	/** A sample's value: a float as Go writes it, or NaN and the infinities. */
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

	/**
	 * A sample's timestamp in milliseconds. Prometheus text: integer milliseconds;
	 * OpenMetrics: seconds, possibly fractional.
	 */
	static long parseTimestamp(String text) {
		return (text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0)
				? Math.round(parseValue(text) * 1000) : Long.parseLong(text);
	}

	static int indexOf(byte[] b, int from, int to, byte target) {
		for (int i = from; i < to; i++) {
			if (b[i] == target) {
				return i;
			}
		}
		return -1;
	}

	static int skipBlanks(byte[] b, int i, int to) {
		while (i < to && (b[i] == ' ' || b[i] == '\t')) {
			i++;
		}
		return i;
	}

	static int tokenEnd(byte[] b, int i, int to) {
		while (i < to && b[i] != ' ' && b[i] != '\t') {
			i++;
		}
		return i;
	}

	/** Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*. */
	static int metricNameEnd(byte[] b, int i, int to) {
		return nameEnd(b, i, to, true);
	}

	/**
	 * The hot loop of the parser: scans a metric name and hashes it in the same pass (the
	 * hash of {@link #hash}). Returns the end index in the low 32 bits and the hash in
	 * the high 32.
	 */
	static long scanMetricName(byte[] b, int i, int to) {
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
		return ((long) spread(h) << 32) | (i & 0xFFFFFFFFL);
	}

	/** The hash of a name's bytes, as {@link #scanMetricName} computes it. */
	static int hash(byte[] b, int from, int to) {
		int h = 0;
		for (int i = from; i < to; i++) {
			h = 31 * h + b[i];
		}
		return spread(h);
	}

	private static int spread(int h) {
		return h ^ (h >>> 16);
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

}
