package dev.cpdoctor.analysis.audit;

/**
 * The first offending input of a problem as the data-quality panel shows it: the bytes
 * read as UTF-8, leniently, with everything that would not show as itself made a visible
 * escape (a line break as {@code \n}, NUL and the other control and format characters as
 * a JSON escape of four hex digits, a byte that is not UTF-8 as {@code \xff}), cut to
 * {@value #MAX_CHARS} characters. Nothing raw that a terminal, a log or a page would
 * interpret survives, and at most a few hundred bytes are read whatever the input's size.
 */
final class InputSample {

	/** A sample is at most this many characters, the ellipsis of a cut one included. */
	static final int MAX_CHARS = 200;

	/** Ends a sample that was cut. */
	static final char CUT = '\u2026';

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private InputSample() {
	}

	/**
	 * The sample of {@code input[from, to)}, white space around it left out; never half a
	 * surrogate pair or half an escape.
	 */
	static String of(byte[] input, int from, int to) {
		int start = Math.max(0, from);
		int end = Math.min(input.length, to);
		while (start < end && isSpace(input[start])) {
			start++;
		}
		while (end > start && isSpace(input[end - 1])) {
			end--;
		}
		StringBuilder out = new StringBuilder(Math.min(MAX_CHARS, end - start) + 8);
		int i = start;
		while (i < end) {
			int length = sequenceLength(input, i, end);
			String piece = (length > 0) ? shown(codePoint(input, i, length)) : byteEscape(input[i]);
			int next = i + Math.max(1, length);
			if (out.length() + piece.length() > MAX_CHARS - 1
					&& (next < end || out.length() + piece.length() > MAX_CHARS)) {
				return out.append(CUT).toString();
			}
			out.append(piece);
			i = next;
		}
		return out.toString();
	}

	/** A character as shown: itself, or its escape when it would not show as itself. */
	private static String shown(int codePoint) {
		switch (codePoint) {
			case '\n':
				return "\\n";
			case '\r':
				return "\\r";
			case '\t':
				return "\\t";
			default:
				break;
		}
		int type = Character.getType(codePoint);
		if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
				|| type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE) {
			StringBuilder escape = new StringBuilder(12);
			for (char c : Character.toChars(codePoint)) {
				escape.append("\\u")
					.append(HEX[c >> 12 & 0xf])
					.append(HEX[c >> 8 & 0xf])
					.append(HEX[c >> 4 & 0xf])
					.append(HEX[c & 0xf]);
			}
			return escape.toString();
		}
		return new String(Character.toChars(codePoint));
	}

	private static String byteEscape(byte b) {
		return "\\x" + HEX[(b >> 4) & 0xf] + HEX[b & 0xf];
	}

	/**
	 * The length of the well-formed UTF-8 sequence at i (1 to 4), or 0 when the byte at i
	 * starts none: a stray continuation byte, an overlong form, a surrogate, beyond
	 * U+10FFFF, or cut off by the end.
	 */
	private static int sequenceLength(byte[] b, int i, int end) {
		int lead = b[i] & 0xff;
		if (lead < 0x80) {
			return 1;
		}
		int length;
		int low = 0x80;
		int high = 0xbf;
		if (lead >= 0xc2 && lead <= 0xdf) {
			length = 2;
		}
		else if (lead >= 0xe0 && lead <= 0xef) {
			length = 3;
			low = (lead == 0xe0) ? 0xa0 : 0x80;
			high = (lead == 0xed) ? 0x9f : 0xbf;
		}
		else if (lead >= 0xf0 && lead <= 0xf4) {
			length = 4;
			low = (lead == 0xf0) ? 0x90 : 0x80;
			high = (lead == 0xf4) ? 0x8f : 0xbf;
		}
		else {
			return 0;
		}
		if (i + length > end) {
			return 0;
		}
		int second = b[i + 1] & 0xff;
		if (second < low || second > high) {
			return 0;
		}
		for (int k = 2; k < length; k++) {
			if ((b[i + k] & 0xc0) != 0x80) {
				return 0;
			}
		}
		return length;
	}

	private static int codePoint(byte[] b, int i, int length) {
		if (length == 1) {
			return b[i];
		}
		int codePoint = b[i] & (0xff >> (length + 1));
		for (int k = 1; k < length; k++) {
			codePoint = (codePoint << 6) | (b[i + k] & 0x3f);
		}
		return codePoint;
	}

	private static boolean isSpace(byte b) {
		return b == ' ' || b == '\t' || b == '\r' || b == '\n';
	}

}
