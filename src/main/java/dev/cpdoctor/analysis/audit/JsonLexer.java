package dev.cpdoctor.analysis.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import tools.jackson.core.StreamReadConstraints;

/**
 * The strict byte-level JSON lexer under {@link AuditLineScanner}: strings, keys,
 * objects, numbers and literals read straight from the bytes, allocating nothing but the
 * texts asked for. It accepts only what it fully understands (ASCII, well-formed
 * structure, escapes JSON allows) and answers {@link #FAIL} for anything else, so that
 * the caller can hand the input to the full JSON parser, which judges it.
 * <p>
 * One lexer serves one parse: {@link #reset} points it at the next piece of input.
 * {@link AuditLineScanner} extends it with the members of an audit Event.
 */
class JsonLexer {

	/** The answer for anything the lexer does not take. */
	static final int FAIL = -1;

	/**
	 * What the JSON parser refuses (its default read constraints), refused here too so
	 * that such input goes to it: lengths in bytes, never fewer than its characters.
	 */
	private static final int MAX_NAME = StreamReadConstraints.defaults().getMaxNameLength();

	private static final int MAX_STRING = StreamReadConstraints.defaults().getMaxStringLength();

	/** Nesting deeper than this in a skipped value is left to the JSON parser. */
	private static final int MAX_DEPTH = 64;

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private byte[] b;

	private int end;

	/**
	 * Line mode: a newline ends the input; else (an EventList item) it is white space.
	 */
	private boolean lines;

	/**
	 * Set by {@link #string}: the last string's content bounds and whether it held an
	 * escape.
	 */
	private int strStart;

	private int strEnd;

	private boolean escaped;

	/** Set by {@link #integer}: the last integer's value. */
	private int integer;

	/** Reads {@code b} up to {@code end} from now on. */
	void reset(byte[] b, int end, boolean lines) {
		this.b = b;
		this.end = end;
		this.lines = lines;
	}

	byte[] bytes() {
		return this.b;
	}

	/** Where the last string's content starts (after its opening quote). */
	int stringStart() {
		return this.strStart;
	}

	/** Where the last string's content ends (at its closing quote). */
	int stringEnd() {
		return this.strEnd;
	}

	/** Whether the last string held an escape (its bytes are then not its text). */
	boolean escaped() {
		return this.escaped;
	}

	/** The last string's bytes as text; only right when they are ASCII, unescaped. */
	String text() {
		return new String(this.b, this.strStart, this.strEnd - this.strStart, StandardCharsets.ISO_8859_1);
	}

	/** Whether the last string is {@code name} (compared from its start, by length). */
	boolean stringIs(byte[] name) {
		return this.strEnd - this.strStart == name.length && is(this.strStart, name);
	}

	/** Whether the bytes at start (at least the name's length of them) are the name. */
	boolean is(int start, byte[] name) {
		for (int i = 0; i < name.length; i++) {
			if (this.b[start + i] != name[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * A member's key at p and its colon; returns the value's position (the key is the
	 * last string), or FAIL for an escaped or overlong key.
	 */
	int key(int p) {
		p = string(p);
		if (p == FAIL || this.escaped || this.strEnd - this.strStart > MAX_NAME) {
			return FAIL;
		}
		return colon(p);
	}

	/**
	 * At an object's opening brace: its first member's position (>= 0); for an empty
	 * object, as {@link #next} at its close, -(position after it) - 2; else FAIL. A walk
	 * is {@code for (p = open(p); p >= 0; p = next(p, '}'))} and then {@link #closed}.
	 */
	int open(int p) {
		if (p >= this.end || this.b[p] != '{') {
			return FAIL;
		}
		p = ws(p + 1);
		return (p < this.end && this.b[p] == '}') ? -(p + 1) - 2 : p;
	}

	/** Where a walk that ended at {@code p} stands: after the closing brace, or FAIL. */
	static int closed(int p) {
		return (p == FAIL) ? FAIL : -p - 2;
	}

	/**
	 * After a member or element: a comma gives the next one's position (>= 0); the
	 * closing {@code close} gives -(position after it) - 2; anything else FAIL.
	 */
	int next(int p, byte close) {
		if (p == FAIL) {
			return FAIL;
		}
		p = ws(p);
		if (p >= this.end) {
			return FAIL;
		}
		if (this.b[p] == ',') {
			return ws(p + 1);
		}
		if (this.b[p] == close) {
			return -(p + 1) - 2;
		}
		return FAIL;
	}

	/**
	 * Reads a string at p (its opening quote); returns the position after its closing
	 * quote and sets {@link #escaped}. Eight bytes at a time until a quote, a backslash,
	 * a control character or a non-ASCII byte; the last two are FAIL.
	 */
	int string(int p) {
		if (p >= this.end || this.b[p] != '"') {
			return FAIL;
		}
		int i = p + 1;
		this.strStart = i;
		this.escaped = false;
		while (true) {
			while (i + 8 <= this.end) {
				long special = special((long) LONGS.get(this.b, i));
				if (special != 0) {
					i += Long.numberOfTrailingZeros(special) >>> 3;
					break;
				}
				i += 8;
			}
			if (i >= this.end) {
				return FAIL;
			}
			byte c = this.b[i];
			if (c == '"') {
				this.strEnd = i;
				return (i - this.strStart > MAX_STRING) ? FAIL : i + 1;
			}
			if (c == '\\') {
				int after = escape(i);
				if (after == FAIL) {
					return FAIL;
				}
				this.escaped = true;
				i = after;
				continue;
			}
			if (c < 0x20) {
				return FAIL; // a control character or a non-ASCII byte (negative)
			}
			i++;
		}
	}

	/**
	 * The position after the escape at i (its backslash), or FAIL unless it is one JSON
	 * allows: a backslash and one of {@code " \ / b f n r t}, or a backslash, {@code u}
	 * and four hex digits. Never steps over a newline: in line mode it ends the line.
	 */
	private int escape(int i) {
		if (i + 1 >= this.end) {
			return FAIL;
		}
		switch (this.b[i + 1]) {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
				return i + 2;
			}
			case 'u' -> {
				if (i + 6 > this.end) {
					return FAIL;
				}
				for (int k = i + 2; k < i + 6; k++) {
					byte h = this.b[k];
					if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) {
						return FAIL;
					}
				}
				return i + 6;
			}
			default -> {
				return FAIL;
			}
		}
	}

	/**
	 * The high bit of each byte of {@code x} that is a quote, a backslash, below 0x20 or
	 * above 0x7F. Bytes after the first one found may be flagged wrongly (borrows); the
	 * first one is right.
	 */
	private static long special(long x) {
		long quote = x ^ 0x2222222222222222L;
		long backslash = x ^ 0x5C5C5C5C5C5C5C5CL;
		long quotes = (quote - 0x0101010101010101L) & ~quote;
		long backslashes = (backslash - 0x0101010101010101L) & ~backslash;
		long controls = (x - 0x2020202020202020L) & ~x;
		return (quotes | backslashes | controls | x) & 0x8080808080808080L;
	}

	private int colon(int p) {
		p = ws(p);
		if (p >= this.end || this.b[p] != ':') {
			return FAIL;
		}
		return ws(p + 1);
	}

	/**
	 * Skips any JSON value at p; returns the position after it. Objects and arrays are
	 * walked here, not in a method of their own: one call less per nested value.
	 */
	int skipValue(int p, int depth) {
		if (p >= this.end || depth > MAX_DEPTH) {
			return FAIL;
		}
		byte c = this.b[p];
		switch (c) {
			case '"':
				return string(p);
			case '{':
			case '[': {
				byte close = (c == '{') ? (byte) '}' : (byte) ']';
				p = ws(p + 1);
				if (p < this.end && this.b[p] == close) {
					return p + 1;
				}
				while (true) {
					if (c == '{') {
						p = string(p);
						if (p == FAIL || this.strEnd - this.strStart > MAX_NAME) {
							return FAIL;
						}
						p = colon(p);
						if (p == FAIL) {
							return FAIL;
						}
					}
					p = next(skipValue(p, depth + 1), close);
					if (p == FAIL || p < 0) {
						return (p == FAIL) ? FAIL : -p - 2;
					}
				}
			}
			case 't':
				return JsonScalars.literal(this.b, p, this.end, "true");
			case 'f':
				return JsonScalars.literal(this.b, p, this.end, "false");
			case 'n':
				return JsonScalars.literal(this.b, p, this.end, "null");
			default:
				return JsonScalars.number(this.b, p, this.end);
		}
	}

	/**
	 * Reads an integer of at most {@code maxDigits} digits at p, no sign, no leading
	 * zero, no fraction, no exponent; returns the position after it, or FAIL for any
	 * other JSON number (or none). Its value is then {@link #integerValue}.
	 */
	int integer(int p, int maxDigits) {
		if (p + 1 < this.end && this.b[p] == '0' && this.b[p + 1] >= '0' && this.b[p + 1] <= '9') {
			return FAIL; // a leading zero is not JSON: the full parser says so
		}
		int value = 0;
		int digits = 0;
		while (p < this.end && this.b[p] >= '0' && this.b[p] <= '9' && digits < maxDigits) {
			value = value * 10 + (this.b[p] - '0');
			p++;
			digits++;
		}
		if (digits == 0 || (p < this.end && (this.b[p] == '.' || this.b[p] == 'e' || this.b[p] == 'E'
				|| (this.b[p] >= '0' && this.b[p] <= '9')))) {
			return FAIL;
		}
		this.integer = value;
		return p;
	}

	int integerValue() {
		return this.integer;
	}

	/** The first position from p that is not white space (a newline is in line mode). */
	int ws(int p) {
		while (p < this.end) {
			byte c = this.b[p];
			if (c != ' ' && c != '\t' && c != '\r' && (c != '\n' || this.lines)) {
				return p;
			}
			p++;
		}
		return p;
	}

}
