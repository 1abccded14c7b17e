package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;

/**
 * The fast path of {@link AuditEventParser} for one JSON line: reads the few fields the analyses
 * use straight from the bytes and skips the rest. It only takes lines it fully understands: ASCII
 * only, no escapes in the fields it keeps, strings for string fields, well-formed structure.
 * Anything else (a non-ASCII byte anywhere, an escape, a wrong type, broken or truncated JSON)
 * returns false and the line goes to the full JSON parser, which judges and counts it; so both
 * paths give the same events and the same problem counts.
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

	private final byte[] b;

	private final int end;

	/** Set by {@link #string}: the last string's content bounds. */
	private int strStart;

	private int strEnd;

	private AuditLineScanner(byte[] b, int end) {
		this.b = b;
		this.end = end;
	}

	/** Fills {@code f} from the line and returns true, or returns false for the full parser. */
	static boolean scan(byte[] b, int start, int end, AuditEventParser.Fields f) {
		return new AuditLineScanner(b, end).event(start, f);
	}

	private boolean event(int start, AuditEventParser.Fields f) {
		int p = object(ws(start), (keyStart, keyEnd, at) -> {
			if (is(keyStart, keyEnd, OBJECT_REF)) {
				return objectRef(at, f);
			}
			if (is(keyStart, keyEnd, RESPONSE_STATUS)) {
				return responseStatus(at, f);
			}
			if (!(is(keyStart, keyEnd, AUDIT_ID) || is(keyStart, keyEnd, STAGE) || is(keyStart, keyEnd, VERB)
					|| is(keyStart, keyEnd, USER_AGENT) || is(keyStart, keyEnd, RECEIVED)
					|| is(keyStart, keyEnd, STAGE_TIMESTAMP) || is(keyStart, keyEnd, TIMESTAMP))) {
				return skipValue(at, 0);
			}
			if (at >= this.end || this.b[at] != '"') {
				return FAIL; // null or a wrong type: the full parser decides
			}
			int after = string(at);
			if (after == FAIL || hasEscape()) {
				return FAIL;
			}
			String value = new String(this.b, this.strStart, this.strEnd - this.strStart, StandardCharsets.ISO_8859_1);
			switch (this.b[keyStart]) {
				case 'a' -> f.auditId = value;
				case 'v' -> f.verb = value;
				case 'u' -> f.userAgent = value;
				case 'r' -> f.received = value;
				case 't' -> f.timestamp = value;
				default -> {
					if (keyEnd - keyStart == STAGE.length) {
						f.stage = value;
					}
					else {
						f.stageTimestamp = value;
					}
				}
			}
			return after;
		});
		return p != FAIL && ws(p) == this.end;
	}

	/** Reads one member's value at p (its key in strStart..strEnd is given); returns the position after it. */
	private interface MemberValue {

		int read(int keyStart, int keyEnd, int p);

	}

	/** Walks a nested object at p member by member; returns the position after its closing brace. */
	private int object(int p, MemberValue member) {
		if (p >= this.end || this.b[p] != '{') {
			return FAIL;
		}
		p = ws(p + 1);
		if (p < this.end && this.b[p] == '}') {
			return p + 1;
		}
		while (true) {
			p = string(p);
			if (p == FAIL) {
				return FAIL;
			}
			int keyStart = this.strStart;
			int keyEnd = this.strEnd;
			p = colon(p);
			if (p == FAIL || hasEscape(keyStart, keyEnd)) {
				return FAIL;
			}
			p = next(member.read(keyStart, keyEnd, p), (byte) '}');
			if (p == FAIL || p < 0) {
				return (p == FAIL) ? FAIL : -p - 2;
			}
		}
	}

	private int objectRef(int p, AuditEventParser.Fields f) {
		return object(p, (keyStart, keyEnd, at) -> {
			boolean resource = is(keyStart, keyEnd, RESOURCE);
			boolean group = is(keyStart, keyEnd, API_GROUP);
			if (!resource && !group && !is(keyStart, keyEnd, SUBRESOURCE)) {
				return skipValue(at, 1);
			}
			if (at >= this.end || this.b[at] != '"') {
				return FAIL;
			}
			int after = string(at);
			if (after == FAIL || hasEscape()) {
				return FAIL;
			}
			String value = new String(this.b, this.strStart, this.strEnd - this.strStart, StandardCharsets.ISO_8859_1);
			if (resource) {
				f.resource = value;
			}
			else if (group) {
				f.apiGroup = value;
			}
			else {
				f.subresource = value;
			}
			return after;
		});
	}

	private int responseStatus(int p, AuditEventParser.Fields f) {
		return object(p, (keyStart, keyEnd, at) -> {
			if (!is(keyStart, keyEnd, CODE)) {
				return skipValue(at, 1);
			}
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
		});
	}

	/**
	 * After a member or element: a comma gives the next one's position (>= 0); the closing
	 * {@code close} gives -(position after it) - 2; anything else FAIL.
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

	/** Reads a string at p (its opening quote); returns the position after its closing quote. */
	private int string(int p) {
		if (p >= this.end || this.b[p] != '"') {
			return FAIL;
		}
		int i = p + 1;
		this.strStart = i;
		while (i < this.end) {
			byte c = this.b[i];
			if (c == '"') {
				this.strEnd = i;
				return i + 1;
			}
			if (c == '\\') {
				i += 2;
				continue;
			}
			if (c < 0x20) {
				return FAIL; // a control character or a non-ASCII byte (negative): the full parser checks it
			}
			i++;
		}
		return FAIL;
	}

	private boolean hasEscape() {
		return hasEscape(this.strStart, this.strEnd);
	}

	private boolean hasEscape(int from, int to) {
		for (int i = from; i < to; i++) {
			if (this.b[i] == '\\') {
				return true;
			}
		}
		return false;
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
						if (p == FAIL) {
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
			if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
				return p;
			}
			p++;
		}
		return p;
	}

	private boolean is(int start, int end, byte[] name) {
		if (end - start != name.length) {
			return false;
		}
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
