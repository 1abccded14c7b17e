package dev.cpdoctor.analysis.audit;

/**
 * Finds where JSON values end, whatever bytes their strings hold: the tolerant walk over
 * an EventList that cuts it into items, each then read alone, so that one bad item
 * (invalid UTF-8, an overflowing number, broken inside) costs that item only.
 * <p>
 * Unlike the strict {@link JsonLexer} it judges nothing inside a value but its strings'
 * and brackets' bounds: that is left to the reader of the item.
 */
final class JsonItemWalk {

	/** The input ended inside a value. */
	static final int TRUNCATED = -1;

	/** A byte where no value or separator can be. */
	static final int BROKEN = -2;

	/** Nesting deeper than this is BROKEN. */
	private static final int MAX_DEPTH = 512;

	private final byte[] b;

	JsonItemWalk(byte[] b) {
		this.b = b;
	}

	/** The problem a negative answer stands for. */
	String reason(int code) {
		return (code == TRUNCATED) ? "truncated JSON" : "broken JSON";
	}

	/**
	 * At an object member (its key): past the key and its colon to the value, or
	 * TRUNCATED / BROKEN.
	 */
	int memberValue(int p) {
		int keyEnd = skip(p, 0);
		if (keyEnd < 0) {
			return keyEnd;
		}
		if (this.b[p] != '"') {
			return BROKEN;
		}
		p = ws(keyEnd);
		if (p >= this.b.length) {
			return TRUNCATED;
		}
		return (this.b[p] == ':') ? ws(p + 1) : BROKEN;
	}

	/** Whether the string at p is exactly {@code text} (plain ASCII, no escape). */
	boolean isString(int p, String text) {
		int close = p + text.length() + 1;
		if (close >= this.b.length || this.b[p] != '"' || this.b[close] != '"') {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			if (this.b[p + 1 + i] != text.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * After a member or item: past a comma to the next one, or the position of
	 * {@code close}; TRUNCATED or BROKEN otherwise.
	 */
	int separator(int p, byte close) {
		p = ws(p);
		if (p >= this.b.length) {
			return TRUNCATED;
		}
		if (this.b[p] == ',') {
			return ws(p + 1);
		}
		return (this.b[p] == close) ? p : BROKEN;
	}

	/** The first position from p that is not white space. */
	int ws(int p) {
		while (p < this.b.length && (this.b[p] == ' ' || this.b[p] == '\t' || this.b[p] == '\r' || this.b[p] == '\n')) {
			p++;
		}
		return p;
	}

	/** The position after the value at p, or TRUNCATED / BROKEN. */
	int skip(int p, int depth) {
		if (p >= this.b.length) {
			return TRUNCATED;
		}
		if (depth > MAX_DEPTH) {
			return BROKEN;
		}
		byte c = this.b[p];
		if (c == '"') {
			return stringEnd(p);
		}
		if (c == '{' || c == '[') {
			return containerEnd(p, (c == '{') ? (byte) '}' : (byte) ']', depth);
		}
		if (c == '}' || c == ']' || c == ',' || c == ':') {
			return BROKEN;
		}
		int i = p;
		while (i < this.b.length && this.b[i] != ',' && this.b[i] != '}' && this.b[i] != ']' && this.b[i] != ':'
				&& this.b[i] != ' ' && this.b[i] != '\n' && this.b[i] != '\r' && this.b[i] != '\t') {
			i++;
		}
		return i;
	}

	/** After the string at p (its opening quote), whatever it holds; or TRUNCATED. */
	private int stringEnd(int p) {
		for (int i = p + 1; i < this.b.length; i++) {
			if (this.b[i] == '\\') {
				i++;
			}
			else if (this.b[i] == '"') {
				return i + 1;
			}
		}
		return TRUNCATED;
	}

	/**
	 * After the object or array at p: its values skipped, whatever separates them, up to
	 * {@code close}; or TRUNCATED / BROKEN.
	 */
	private int containerEnd(int p, byte close, int depth) {
		p = ws(p + 1);
		while (true) {
			if (p >= this.b.length) {
				return TRUNCATED;
			}
			if (this.b[p] == close) {
				return p + 1;
			}
			p = skip(p, depth + 1);
			if (p < 0) {
				return p;
			}
			p = ws(p);
			if (p < this.b.length && (this.b[p] == ',' || this.b[p] == ':')) {
				p = ws(p + 1);
			}
		}
	}

}
