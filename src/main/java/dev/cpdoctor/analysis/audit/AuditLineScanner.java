package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The fast path of {@link AuditEventParser} for one JSON line: reads the few fields the
 * analyses use straight from the bytes and skips the rest. It only takes lines it fully
 * understands: ASCII only, no escapes in the fields it keeps, strings for string fields,
 * well-formed structure. Anything else (a non-ASCII byte anywhere, an escape, a wrong
 * type, broken or truncated JSON) returns false and the line goes to the full JSON
 * parser, which judges and counts it; so both paths give the same events and the same
 * problem counts.
 * <p>
 * The JSON lexing is its {@link JsonLexer}; this class only knows which members of an
 * Event are kept. It extends the lexer rather than holding one: the JIT then compiles the
 * walk of a line as the one class it was before the split (holding a lexer measured a few
 * per cent slower). One scanner serves one parse, line after line.
 */
final class AuditLineScanner extends JsonLexer {

	private static final byte[] AUDIT_ID = ascii("auditID");

	private static final byte[] STAGE = ascii("stage");

	private static final byte[] VERB = ascii("verb");

	private static final byte[] USER_AGENT = ascii("userAgent");

	private static final byte[] RECEIVED = ascii("requestReceivedTimestamp");

	private static final byte[] STAGE_TIMESTAMP = ascii("stageTimestamp");

	private static final byte[] TIMESTAMP = ascii("timestamp");

	private static final byte[] OBJECT_REF = ascii("objectRef");

	private static final byte[] RESPONSE_STATUS = ascii("responseStatus");

	private static final byte[] RESOURCE = ascii("resource");

	private static final byte[] API_GROUP = ascii("apiGroup");

	private static final byte[] SUBRESOURCE = ascii("subresource");

	private static final byte[] CODE = ascii("code");

	/** Which member of the Event a key names: one skipped, two objects, string fields. */
	private static final int SKIP = 0;

	private static final int OBJECT_REF_MEMBER = -1;

	private static final int RESPONSE_STATUS_MEMBER = -2;

	private static final int VERB_FIELD = 1;

	private static final int STAGE_FIELD = 2;

	private static final int AUDIT_ID_FIELD = 3;

	private static final int USER_AGENT_FIELD = 4;

	private static final int TIMESTAMP_FIELD = 5;

	private static final int STAGE_TIMESTAMP_FIELD = 6;

	private static final int RECEIVED_FIELD = 7;

	private final SeenValues seen;

	AuditLineScanner(SeenValues seen) {
		this.seen = seen;
	}

	/**
	 * Fills {@code f} from the object that is all of start..end and returns true, or
	 * returns false for the full parser.
	 */
	boolean scan(byte[] b, int start, int end, AuditFields f) {
		reset(b, end, false);
		int p = event(ws(start), f);
		f.scanned = p != FAIL && ws(p) == end;
		return f.scanned;
	}

	/**
	 * Fills {@code f} from the JSON line at {@code start} (which ends at a newline or at
	 * {@code limit}) and returns where the next line starts, or returns -1 for the full
	 * parser. Finding the line's end while reading it spares a pass over the bytes.
	 */
	int scanLine(byte[] b, int start, int limit, AuditFields f) {
		reset(b, limit, true);
		int p = event(ws(start), f);
		if (p == FAIL) {
			return FAIL;
		}
		p = ws(p);
		if (p < limit && b[p] != '\n') {
			return FAIL;
		}
		f.scanned = true;
		return (p == limit) ? p : p + 1;
	}

	/**
	 * The top-level object: the fields the analyses use read, every other member skipped.
	 * One method, the string fields read in place: the JIT compiles the walk as one.
	 */
	private int event(int p, AuditFields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			int member = member(stringStart(), stringEnd() - stringStart());
			if (member == SKIP) {
				p = skipValue(p, 0);
				continue;
			}
			if (member == OBJECT_REF_MEMBER) {
				p = objectRef(p, f);
				continue;
			}
			if (member == RESPONSE_STATUS_MEMBER) {
				p = responseStatus(p, f);
				continue;
			}
			p = string(p); // null or a wrong type: the full parser decides
			if (p == FAIL || escaped()) {
				return FAIL;
			}
			switch (member) {
				case VERB_FIELD -> f.verb = seen();
				case STAGE_FIELD -> f.stage = seen();
				case AUDIT_ID_FIELD -> f.auditId = text();
				case USER_AGENT_FIELD -> f.userAgent = seen();
				case TIMESTAMP_FIELD -> {
					f.timestampAt = instant();
					f.timestamp = (f.timestampAt == null) ? text() : null;
				}
				case STAGE_TIMESTAMP_FIELD -> {
					f.stageAt = instant();
					f.stageTimestamp = (f.stageAt == null) ? text() : null;
				}
				default -> {
					f.receivedAt = instant();
					f.received = (f.receivedAt == null) ? text() : null;
				}
			}
		}
		return closed(p);
	}

	/** Which member the key at keyStart of that length is: by length, then by bytes. */
	private int member(int keyStart, int length) {
		byte first = bytes()[keyStart];
		return switch (length) {
			case 4 -> (first == 'v' && is(keyStart, VERB)) ? VERB_FIELD : SKIP;
			case 5 -> (first == 's' && is(keyStart, STAGE)) ? STAGE_FIELD : SKIP;
			case 7 -> (first == 'a' && is(keyStart, AUDIT_ID)) ? AUDIT_ID_FIELD : SKIP;
			case 9 -> {
				if (first == 'u' && is(keyStart, USER_AGENT)) {
					yield USER_AGENT_FIELD;
				}
				if (first == 'o' && is(keyStart, OBJECT_REF)) {
					yield OBJECT_REF_MEMBER;
				}
				yield (first == 't' && is(keyStart, TIMESTAMP)) ? TIMESTAMP_FIELD : SKIP;
			}
			case 14 -> {
				if (first == 's' && is(keyStart, STAGE_TIMESTAMP)) {
					yield STAGE_TIMESTAMP_FIELD;
				}
				yield (first == 'r' && is(keyStart, RESPONSE_STATUS)) ? RESPONSE_STATUS_MEMBER : SKIP;
			}
			case 24 -> (first == 'r' && is(keyStart, RECEIVED)) ? RECEIVED_FIELD : SKIP;
			default -> SKIP;
		};
	}

	/** The last string, the same String as when its bytes were met before. */
	private String seen() {
		return this.seen.get(bytes(), stringStart(), stringEnd());
	}

	/** The last string as an RFC 3339 timestamp read fast, null when it is not one. */
	private Instant instant() {
		return this.seen.timestamp(bytes(), stringStart(), stringEnd());
	}

	private int objectRef(int p, AuditFields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			int keyStart = stringStart();
			int length = stringEnd() - keyStart;
			byte first = bytes()[keyStart];
			int field = 0;
			if (length == 8 && first == 'r' && is(keyStart, RESOURCE)) {
				field = 1;
			}
			else if (length == 8 && first == 'a' && is(keyStart, API_GROUP)) {
				field = 2;
			}
			else if (length == 11 && is(keyStart, SUBRESOURCE)) {
				field = 3;
			}
			if (field == 0) {
				p = skipValue(p, 1);
				continue;
			}
			p = string(p);
			if (p == FAIL || escaped()) {
				return FAIL;
			}
			String value = seen();
			switch (field) {
				case 1 -> f.resource = value;
				case 2 -> f.apiGroup = value;
				default -> f.subresource = value;
			}
		}
		return closed(p);
	}

	private int responseStatus(int p, AuditFields f) {
		for (p = open(p); p >= 0; p = next(p, (byte) '}')) {
			p = key(p);
			if (p == FAIL) {
				return FAIL;
			}
			p = stringIs(CODE) ? code(p, f) : skipValue(p, 1);
		}
		return closed(p);
	}

	/** An HTTP status code: at most four digits, an integer; anything else is FAIL. */
	private int code(int p, AuditFields f) {
		int after = integer(p, 4);
		if (after != FAIL) {
			f.code = integerValue();
		}
		return after;
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
