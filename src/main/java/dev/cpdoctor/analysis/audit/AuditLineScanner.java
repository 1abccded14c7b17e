package dev.cpdoctor.analysis.audit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

import tools.jackson.core.StreamReadConstraints;

/**
 * The fast path of {@link AuditEventParser} for one JSON line: reads the few fields the
 * analyses use straight from the bytes and skips the rest. It only takes lines it fully
 * understands: ASCII only, no escapes in the fields it keeps, strings for string fields,
 * well-formed structure. Anything else (a non-ASCII byte anywhere, an escape, a wrong
 * type, broken or truncated JSON) returns false and the line goes to the full JSON
 * parser, which judges and counts it; so both paths give the same events and the same
 * problem counts.
 */
final class AuditLineScanner {

	private static final byte[] AUDIT_ID = bytes("auditID");

	private static final byte[] STAGE = bytes("stage");

	private static final byte[] VERB = bytes("verb");

	private static final byte[] USER_AGENT = bytes("userAgent");

	private static final byte[] RECEIVED = bytes("requestReceivedTimestamp");

	private static final byte[] STAGE_TIMESTAMP = bytes("stageTimestamp");

	private static final byte[] TIMESTAMP = bytes("timestamp");

	private static final byte[] OBJECT_REF = bytes("objectRef");

	private static final byte[] RESPONSE_STATUS = bytes("responseStatus");

	private static final byte[] RESOURCE = bytes("resource");

	private static final byte[] API_GROUP = bytes("apiGroup");

	private static final byte[] SUBRESOURCE = bytes("subresource");

	private static final byte[] CODE = bytes("code");

	private static final int FAIL = -1;

	/**
	 * What the JSON parser refuses (its default read constraints), refused here too so
	 * that such a line goes to it: lengths in bytes, never fewer than its characters.
	 */
	private static final int MAX_NAME = StreamReadConstraints.defaults().getMaxNameLength();

	private static final int MAX_STRING = StreamReadConstraints.defaults().getMaxStringLength();

	private static final int MAX_NUMBER = StreamReadConstraints.defaults().getMaxNumberLength();

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private final byte[] b;

	private final int end;

	/**
	 * Line mode: a newline ends the event; else (an EventList item) it is white space.
	 */
	private final boolean lines;

	private final Names names;

	/**
	 * Set by {@link #string}: the last string's content bounds and whether it held an
	 * escape.
	 */
	private int strStart;

	private int strEnd;

	private boolean escaped;

	private AuditLineScanner(byte[] b, int end, boolean lines, Names names) {
		this.b = b;
		this.end = end;
		this.lines = lines;
		this.names = names;
	}

	/**
	 * Fills {@code f} from the object that is all of start..end and returns true, or
	 * returns false for the full parser.
	 */
	static boolean scan(byte[] b, int start, int end, AuditEventParser.Fields f, Names names) {
		AuditLineScanner scanner = new AuditLineScanner(b, end, false, names);
		int p = scanner.event(scanner.ws(start), f);
		f.scanned = p != FAIL && scanner.ws(p) == end;
		return f.scanned;
	}

	/**
	 * Fills {@code f} from the JSON line at {@code start} (which ends at a newline or at
	 * {@code limit}) and returns where the next line starts, or returns -1 for the full
	 * parser. Finding the line's end while reading it spares a pass over the bytes.
	 */
	static int scanLine(byte[] b, int start, int limit, AuditEventParser.Fields f, Names names) {
		AuditLineScanner scanner = new AuditLineScanner(b, limit, true, names);
		int p = scanner.event(scanner.ws(start), f);
		if (p == FAIL) {
			return FAIL;
		}
		p = scanner.ws(p);
		if (p < limit && b[p] != '\n') {
			return FAIL;
		}
		f.scanned = true;
		return (p == limit) ? p : p + 1;
	}

	/**
	 * Strings met again and again (user agents, verbs, resources, stages) made once per
	 * parse rather than once per event: less garbage, and their hash codes are computed
	 * once. A small direct-mapped table: a collision or a flood of distinct values only
	 * costs a new string.
	 */
	static final class Names {

		private static final int SLOTS = 4096;

		private static final int PROBES = 4;

		private static final int LONGEST = 512;

		private final byte[][] keys = new byte[SLOTS][];

		private final String[] values = new String[SLOTS];

		/**
		 * The last timestamps read, as bytes and instants: stages of one request repeat
		 * them.
		 */
		private final byte[][] timestampBytes = new byte[2][];

		private final Instant[] timestamps = new Instant[2];

		private int nextTimestamp;

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
		 * {@link Timestamps#fast(byte[], int, int)}, or the instant of the same bytes
		 * read just before.
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

	/**
	 * The top-level object: the fields the analyses use read, every other member skipped.
	 */
	private int event(int p, AuditEventParser.Fields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			int keyStart = this.strStart;
			int length = this.strEnd - keyStart;
			byte first = this.b[keyStart];
			int field = 0; // 0 skip, else which string field
			switch (length) {
				case 4 -> field = (first == 'v' && is(keyStart, VERB)) ? 1 : 0;
				case 5 -> field = (first == 's' && is(keyStart, STAGE)) ? 2 : 0;
				case 7 -> field = (first == 'a' && is(keyStart, AUDIT_ID)) ? 3 : 0;
				case 9 -> {
					if (first == 'u' && is(keyStart, USER_AGENT)) {
						field = 4;
					}
					else if (first == 'o' && is(keyStart, OBJECT_REF)) {
						field = -1;
					}
					else if (first == 't' && is(keyStart, TIMESTAMP)) {
						field = 5;
					}
				}
				case 14 -> {
					if (first == 's' && is(keyStart, STAGE_TIMESTAMP)) {
						field = 6;
					}
					else if (first == 'r' && is(keyStart, RESPONSE_STATUS)) {
						field = -2;
					}
				}
				case 24 -> field = (first == 'r' && is(keyStart, RECEIVED)) ? 7 : 0;
				default -> field = 0;
			}
			if (field == 0) {
				p = skipValue(p, 0);
			}
			else if (field == -1) {
				p = objectRef(p, f);
			}
			else if (field == -2) {
				p = responseStatus(p, f);
			}
			else {
				if (p >= this.end || this.b[p] != '"') {
					return FAIL; // null or a wrong type: the full parser decides
				}
				p = string(p);
				if (p == FAIL || this.escaped) {
					return FAIL;
				}
				switch (field) {
					case 1 -> f.verb = name();
					case 2 -> f.stage = name();
					case 3 -> f.auditId = text();
					case 4 -> f.userAgent = name();
					case 5 -> {
						f.timestampAt = instant();
						f.timestamp = (f.timestampAt == null) ? text() : null;
					}
					case 6 -> {
						f.stageAt = instant();
						f.stageTimestamp = (f.stageAt == null) ? text() : null;
					}
					default -> {
						f.receivedAt = instant();
						f.received = (f.receivedAt == null) ? text() : null;
					}
				}
			}
		}
		return closed(p);
	}

	/**
	 * A member's key at p and its colon; returns the value's position (key in
	 * strStart..strEnd).
	 */
	private int key(int p) {
		p = string(p);
		if (p == FAIL || this.escaped || this.strEnd - this.strStart > MAX_NAME) {
			return FAIL;
		}
		return colon(p);
	}

	private String name() {
		return this.names.get(this.b, this.strStart, this.strEnd);
	}

	/** The last string as an RFC 3339 timestamp read fast, null when it is not one. */
	private Instant instant() {
		return this.names.timestamp(this.b, this.strStart, this.strEnd);
	}

	private String text() {
		return new String(this.b, this.strStart, this.strEnd - this.strStart, StandardCharsets.ISO_8859_1);
	}

	private int objectRef(int p, AuditEventParser.Fields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			int keyStart = this.strStart;
			int length = this.strEnd - keyStart;
			int field = 0;
			if (length == 8 && this.b[keyStart] == 'r' && is(keyStart, RESOURCE)) {
				field = 1;
			}
			else if (length == 8 && this.b[keyStart] == 'a' && is(keyStart, API_GROUP)) {
				field = 2;
			}
			else if (length == 11 && is(keyStart, SUBRESOURCE)) {
				field = 3;
			}
			if (field == 0) {
				p = skipValue(p, 1);
			}
			else {
				if (p >= this.end || this.b[p] != '"') {
					return FAIL;
				}
				p = string(p);
				if (p == FAIL || this.escaped) {
					return FAIL;
				}
				String value = name();
				switch (field) {
					case 1 -> f.resource = value;
					case 2 -> f.apiGroup = value;
					default -> f.subresource = value;
				}
			}
		}
		return closed(p);
	}

	private int responseStatus(int p, AuditEventParser.Fields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			p = (this.strEnd - this.strStart == 4 && is(this.strStart, CODE)) ? code(p, f) : skipValue(p, 1);
		}
		return closed(p);
	}

	private int code(int at, AuditEventParser.Fields f) {
		if (at + 1 < this.end && this.b[at] == '0' && this.b[at + 1] >= '0' && this.b[at + 1] <= '9') {
			return FAIL; // a leading zero is not JSON: the full parser says so
		}
		int code = 0;
		int digits = 0;
		while (at < this.end && this.b[at] >= '0' && this.b[at] <= '9' && digits < 4) {
			code = code * 10 + (this.b[at] - '0');
			at++;
			digits++;
		}
		if (digits == 0 || (at < this.end && (this.b[at] == '.' || this.b[at] == 'e' || this.b[at] == 'E'
				|| (this.b[at] >= '0' && this.b[at] <= '9')))) {
			return FAIL;
		}
		f.code = code;
		return at;
	}

	/**
	 * At an object's opening brace: its first member's position (>= 0); for an empty
	 * object, as {@link #next} at its close, -(position after it) - 2; else FAIL. A walk
	 * is {@code for (p = open(p); p >= 0; p = next(p, '}'))} and then {@link #closed}.
	 */
	private int open(int p) {
		if (p >= this.end || this.b[p] != '{') {
			return FAIL;
		}
		p = ws(p + 1);
		return (p < this.end && this.b[p] == '}') ? -(p + 1) - 2 : p;
	}

	/** Where a walk that ended at {@code p} stands: after the closing brace, or FAIL. */
	private static int closed(int p) {
		return (p == FAIL) ? FAIL : -p - 2;
	}

	/**
	 * After a member or element: a comma gives the next one's position (>= 0); the
	 * closing {@code close} gives -(position after it) - 2; anything else FAIL.
	 */
	private int next(int p, byte close) {
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
	 * a control character or a non-ASCII byte; the last two send the line to the full
	 * parser.
	 */
	private int string(int p) {
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
				return FAIL; // a control character or a non-ASCII byte (negative): the
								// full parser checks it
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

	/** Skips any JSON value at p; returns the position after it. */
	private int skipValue(int p, int depth) {
		if (p >= this.end || depth > 64) {
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
				return literal(p, "true");
			case 'f':
				return literal(p, "false");
			case 'n':
				return literal(p, "null");
			default:
				return number(p);
		}
	}

	private int literal(int p, String word) {
		if (p + word.length() > this.end) {
			return FAIL;
		}
		for (int i = 0; i < word.length(); i++) {
			if (this.b[p + i] != word.charAt(i)) {
				return FAIL;
			}
		}
		return p + word.length();
	}

	/** A JSON number by the grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
	private int number(int p) {
		int start = p;
		int after = numberEnd(p);
		return (after != FAIL && after - start > MAX_NUMBER) ? FAIL : after;
	}

	private int numberEnd(int p) {
		if (p < this.end && this.b[p] == '-') {
			p++;
		}
		if (p >= this.end) {
			return FAIL;
		}
		if (this.b[p] == '0') {
			p++;
		}
		else if (this.b[p] >= '1' && this.b[p] <= '9') {
			p = digits(p);
		}
		else {
			return FAIL;
		}
		if (p < this.end && this.b[p] == '.') {
			int after = digits(p + 1);
			if (after == p + 1) {
				return FAIL;
			}
			p = after;
		}
		if (p < this.end && (this.b[p] == 'e' || this.b[p] == 'E')) {
			p++;
			if (p < this.end && (this.b[p] == '+' || this.b[p] == '-')) {
				p++;
			}
			int after = digits(p);
			if (after == p) {
				return FAIL;
			}
			p = after;
		}
		return p;
	}

	private int digits(int p) {
		while (p < this.end && this.b[p] >= '0' && this.b[p] <= '9') {
			p++;
		}
		return p;
	}

	private int ws(int p) {
		while (p < this.end) {
			byte c = this.b[p];
			if (c != ' ' && c != '\t' && c != '\r' && (c != '\n' || this.lines)) {
				return p;
			}
			p++;
		}
		return p;
	}

	/** Whether the key at start (of the name's length) is the name. */
	private boolean is(int start, byte[] name) {
		for (int i = 0; i < name.length; i++) {
			if (this.b[start + i] != name[i]) {
				return false;
			}
		}
		return true;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
