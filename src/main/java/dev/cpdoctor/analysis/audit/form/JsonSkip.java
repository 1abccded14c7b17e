package dev.cpdoctor.analysis.audit.form;

/**
 * Where a JSON value in a byte array ends, whatever its strings hold: a tolerant walk
 * that judges only the bounds of strings and brackets (the reader of the value judges the
 * rest).
 */
final class JsonSkip {

	/** The bytes ended inside the value. */
	static final int TRUNCATED = -1;

	/** A byte where no value can be. */
	static final int BROKEN = -2;

	private static final int MAX_DEPTH = 512;

	private JsonSkip() {
	}

	/** The position after the value at p, or TRUNCATED / BROKEN. */
	static int end(byte[] b, int p, int end) {
		if (p >= end) {
			return TRUNCATED;
		}
		byte c = b[p];
		if (c == '"') {
			return stringEnd(b, p + 1, end);
		}
		if (c == '}' || c == ']' || c == ',' || c == ':') {
			return BROKEN;
		}
		if (c != '{' && c != '[') {
			while (p < end && b[p] != ',' && b[p] != '}' && b[p] != ']' && !space(b[p])) {
				p++;
			}
			return p;
		}
		int depth = 0;
		while (p < end) {
			c = b[p++];
			if (c == '"') {
				p = stringEnd(b, p, end);
				if (p < 0) {
					return p;
				}
			}
			else if (c == '{' || c == '[') {
				if (++depth > MAX_DEPTH) {
					return BROKEN;
				}
			}
			else if ((c == '}' || c == ']') && --depth == 0) {
				return p;
			}
		}
		return TRUNCATED;
	}

	/** After a string's closing quote, p past its opening one; or TRUNCATED. */
	private static int stringEnd(byte[] b, int p, int end) {
		for (int i = p; i < end; i++) {
			if (b[i] == '\\') {
				i++;
			}
			else if (b[i] == '"') {
				return i + 1;
			}
		}
		return TRUNCATED;
	}

	/**
	 * The first position from p that is neither white space nor a UTF-8 byte-order mark.
	 */
	static int skipSpace(byte[] b, int p, int end) {
		while (p < end) {
			if (space(b[p])) {
				p++;
			}
			else if (end - p >= 3 && b[p] == (byte) 0xEF && b[p + 1] == (byte) 0xBB && b[p + 2] == (byte) 0xBF) {
				p += 3;
			}
			else {
				return p;
			}
		}
		return p;
	}

	static boolean space(byte c) {
		return c == ' ' || c == '\n' || c == '\r' || c == '\t';
	}

	static int indexOf(byte[] b, byte c, int from, int end) {
		for (int i = from; i < end; i++) {
			if (b[i] == c) {
				return i;
			}
		}
		return -1;
	}

}
