package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.support.Sha256;

/**
 * Reads audit.k8s.io Events as the apiserver writes them: JSON lines (log backend) or an
 * EventList (webhook backend). Only the fields the analyses use are kept; the rest is
 * skipped unread. An event that cannot be used (broken JSON, wrong types, no auditID, no
 * timestamp, invalid UTF-8) is counted by reason and skipped; the others of the batch are
 * kept.
 * <p>
 * Old shapes: events without apiVersion and with a top-level timestamp parse like v1; an
 * event without stageTimestamp is counted as a request but carries no latency.
 */
public final class AuditEventParser {

	/** A user agent longer than this is cut: it is text an attacker controls. */
	public static final int MAX_USER_AGENT = 1024;

	/** An auditID longer than this is replaced by its SHA-256 (64 hex characters). */
	static final int MAX_AUDIT_ID = 64;

	private static final Instant EARLIEST = Instant.EPOCH;

	private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

	private static String withoutNul(String text) {
		return (text != null) ? text.replace('\u0000', '\uFFFD') : null;
	}

	private static final JsonFactory JSON = new JsonFactory();

	private final boolean fastPath;

	public AuditEventParser() {
		this(true);
	}

	/**
	 * Without the fast path every line goes through the JSON parser: tests compare the
	 * two.
	 */
	AuditEventParser(boolean fastPath) {
		this.fastPath = fastPath;
	}

	/**
	 * A webhook body: an EventList (what the apiserver's webhook backend sends) or JSON
	 * lines of Events.
	 */
	public AuditInputReport parseBody(byte[] body, Consumer<AuditEvent> sink) {
		if (isEventList(body)) {
			return parseEventList(body, sink);
		}
		return parseLines(body, 0, body.length, sink);
	}

	/**
	 * JSON lines in place in a buffer, from {@code offset} for {@code length} bytes: each
	 * line through the fast scanner, or the JSON parser where the scanner is not sure.
	 */
	public AuditInputReport parseLines(byte[] buffer, int offset, int length, Consumer<AuditEvent> sink) {
		AuditInputReport report = new AuditInputReport();
		Fields fields = new Fields();
		AuditLineScanner.Names names = new AuditLineScanner.Names();
		int end = offset + length;
		int start = offset;
		while (start < end) {
			if (this.fastPath) {
				fields.clear();
				int next = AuditLineScanner.scanLine(buffer, start, end, fields, names);
				if (next >= 0) {
					emit(fields, report, sink);
					start = next;
					continue;
				}
			}
			int newline = start;
			while (newline < end && buffer[newline] != '\n') {
				newline++;
			}
			parseLine(buffer, start, newline, fields, names, false, report, sink);
			start = newline + 1;
		}
		return report;
	}

	/** Whether the first top-level object has an items array or kind EventList. */
	static boolean isEventList(byte[] body) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return false;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("items".equals(name) && value == JsonToken.START_ARRAY) {
					return true;
				}
				if ("kind".equals(name) && value == JsonToken.VALUE_STRING) {
					return "EventList".equals(parser.getString());
				}
				parser.skipChildren();
			}
			return false;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	/** JSON lines: one Event per line. */
	public AuditInputReport parseLines(InputStream in, Consumer<AuditEvent> sink) throws IOException {
		AuditInputReport report = new AuditInputReport();
		AuditLineScanner.Names names = new AuditLineScanner.Names();
		ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
		byte[] buffer = new byte[64 * 1024];
		int read;
		while ((read = in.read(buffer)) >= 0) {
			int start = 0;
			for (int i = 0; i < read; i++) {
				if (buffer[i] == '\n') {
					line.write(buffer, start, i - start);
					byte[] bytes = line.toByteArray();
					parseLine(bytes, 0, bytes.length, new Fields(), names, this.fastPath, report, sink);
					line.reset();
					start = i + 1;
				}
			}
			line.write(buffer, start, read - start);
		}
		if (line.size() > 0) {
			byte[] bytes = line.toByteArray();
			parseLine(bytes, 0, bytes.length, new Fields(), names, this.fastPath, report, sink);
		}
		return report;
	}

	/**
	 * One event in start..end: through the fast scanner when {@code scan} (false when the
	 * scanner already failed on it), else or when the scanner is not sure through the
	 * JSON parser.
	 */
	private void parseLine(byte[] buffer, int start, int end, Fields fields, AuditLineScanner.Names names, boolean scan,
			AuditInputReport report, Consumer<AuditEvent> sink) {
		if (isBlank(buffer, start, end)) {
			return;
		}
		fields.clear();
		if (scan && AuditLineScanner.scan(buffer, start, end, fields, names)) {
			emit(fields, report, sink);
			return;
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), buffer, start, end - start)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				report.problem("not a JSON object");
				return;
			}
			event(parser, report, sink);
			if (parser.nextToken() != null) {
				report.problem("text after the event");
			}
		}
		catch (JacksonException ex) {
			report.problem(reason(ex));
		}
	}

	/**
	 * An EventList, {"kind":"EventList","items":[...]}: a broken tail keeps the items
	 * before it.
	 */
	public AuditInputReport parseEventList(byte[] body, Consumer<AuditEvent> sink) {
		AuditInputReport report = new AuditInputReport();
		Fields fields = new Fields();
		AuditLineScanner.Names names = new AuditLineScanner.Names();
		// Items are found by a byte-level walk that tolerates anything inside strings,
		// then each is
		// parsed alone: one bad item (invalid UTF-8, an overflowing number) costs that
		// item only.
		ItemWalk walk = new ItemWalk(body);
		int p = walk.ws(0);
		if (p >= body.length || body[p] != '{') {
			report.problem("not an EventList");
			return report;
		}
		p = walk.ws(p + 1);
		boolean items = false;
		while (p < body.length && body[p] != '}') {
			int keyEnd = walk.skip(p, 0);
			if (keyEnd < 0 || body[p] != '"') {
				report.problem(walk.reason(keyEnd));
				return report;
			}
			boolean isItems = keyEnd - p == 7
					&& new String(body, p + 1, 5, StandardCharsets.ISO_8859_1).equals("items");
			p = walk.ws(keyEnd);
			if (p >= body.length || body[p] != ':') {
				report.problem(walk.reason(p >= body.length ? ItemWalk.TRUNCATED : ItemWalk.BROKEN));
				return report;
			}
			p = walk.ws(p + 1);
			if (isItems && p < body.length && body[p] == '[') {
				items = true;
				p = walk.ws(p + 1);
				while (p < body.length && body[p] != ']') {
					int itemEnd = walk.skip(p, 0);
					if (itemEnd < 0) {
						report.problem(walk.reason(itemEnd));
						return report;
					}
					if (body[p] == '{') {
						parseLine(body, p, itemEnd, fields, names, this.fastPath, report, sink);
					}
					else {
						report.problem("item is not an object");
					}
					p = walk.separator(itemEnd, (byte) ']');
					if (p < 0) {
						report.problem(walk.reason(p));
						return report;
					}
				}
				if (p >= body.length) {
					report.problem("truncated JSON");
					return report;
				}
				p = walk.separator(p + 1, (byte) '}');
			}
			else {
				int valueEnd = walk.skip(p, 0);
				p = (valueEnd < 0) ? valueEnd : walk.separator(valueEnd, (byte) '}');
			}
			if (p < 0) {
				report.problem(walk.reason(p));
				return report;
			}
		}
		if (p >= body.length) {
			report.problem("truncated JSON");
		}
		if (!items) {
			report.problem("no items array");
		}
		return report;
	}

	/** Finds where JSON values end, whatever bytes their strings hold. */
	private static final class ItemWalk {

		static final int TRUNCATED = -1;

		static final int BROKEN = -2;

		private final byte[] b;

		ItemWalk(byte[] b) {
			this.b = b;
		}

		String reason(int code) {
			return (code == TRUNCATED) ? "truncated JSON" : "broken JSON";
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

		int ws(int p) {
			while (p < this.b.length
					&& (this.b[p] == ' ' || this.b[p] == '\t' || this.b[p] == '\r' || this.b[p] == '\n')) {
				p++;
			}
			return p;
		}

		/** The position after the value at p, or TRUNCATED / BROKEN. */
		int skip(int p, int depth) {
			if (p >= this.b.length) {
				return TRUNCATED;
			}
			if (depth > 512) {
				return BROKEN;
			}
			byte c = this.b[p];
			if (c == '"') {
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
			if (c == '{' || c == '[') {
				byte close = (c == '{') ? (byte) '}' : (byte) ']';
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

	}

	/** The fields of one Event the analyses use, as read, before checks. */
	static final class Fields {

		String auditId;

		String stage;

		String verb;

		String userAgent;

		String resource;

		String apiGroup;

		String subresource;

		int code;

		String received;

		String stageTimestamp;

		String timestamp;

		/**
		 * The timestamps as the line scanner read them; the texts above are then null.
		 */
		Instant receivedAt;

		Instant stageAt;

		Instant timestampAt;

		/**
		 * Filled by the line scanner, whose kept fields are plain ASCII: no NUL, no other
		 * control character, no escape (it takes escapes only in the values it skips).
		 */
		boolean scanned;

		String wrongType;

		void clear() {
			this.auditId = null;
			this.stage = null;
			this.verb = null;
			this.userAgent = null;
			this.resource = null;
			this.apiGroup = null;
			this.subresource = null;
			this.code = 0;
			this.received = null;
			this.stageTimestamp = null;
			this.timestamp = null;
			this.receivedAt = null;
			this.stageAt = null;
			this.timestampAt = null;
			this.scanned = false;
			this.wrongType = null;
		}

	}

	/**
	 * Reads one Event object, the parser on its START_OBJECT; leaves it on the matching
	 * END_OBJECT.
	 */
	private void event(JsonParser parser, AuditInputReport report, Consumer<AuditEvent> sink) {
		Fields f = new Fields();
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "auditID" -> f.auditId = string(parser, value);
				case "stage" -> f.stage = string(parser, value);
				case "verb" -> f.verb = string(parser, value);
				case "userAgent" -> f.userAgent = string(parser, value);
				case "requestReceivedTimestamp" -> f.received = string(parser, value);
				case "stageTimestamp" -> f.stageTimestamp = string(parser, value);
				case "timestamp" -> f.timestamp = string(parser, value);
				case "objectRef" -> {
					if (value == JsonToken.START_OBJECT) {
						while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
							String field = parser.currentName();
							JsonToken v = parser.nextToken();
							switch (field) {
								case "resource" -> f.resource = string(parser, v);
								case "apiGroup" -> f.apiGroup = string(parser, v);
								case "subresource" -> f.subresource = string(parser, v);
								default -> parser.skipChildren();
							}
						}
					}
					else if (value != JsonToken.VALUE_NULL) {
						parser.skipChildren();
						f.wrongType = "objectRef";
					}
				}
				case "responseStatus" -> {
					if (value == JsonToken.START_OBJECT) {
						while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
							String field = parser.currentName();
							JsonToken v = parser.nextToken();
							if ("code".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
								if (parser.getNumberType() == JsonParser.NumberType.INT) {
									f.code = parser.getIntValue();
								}
								else {
									f.wrongType = "responseStatus.code";
								}
							}
							else {
								parser.skipChildren();
							}
						}
					}
					else {
						parser.skipChildren();
					}
				}
				default -> parser.skipChildren();
			}
			if (isStringField(name) && value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
				f.wrongType = name;
			}
		}
		emit(f, report, sink);
	}

	/**
	 * Checks one event's fields: a usable event goes to the sink, anything else is
	 * counted by reason.
	 */
	static void emit(Fields f, AuditInputReport report, Consumer<AuditEvent> sink) {
		AuditEvent event;
		try {
			event = check(f, report);
		}
		catch (RuntimeException ex) {
			// A fault of ours on one odd event must cost that event, never the batch or
			// the file.
			report.problem("event not readable (" + ex.getClass().getSimpleName() + ")");
			return;
		}
		if (event != null) {
			report.kept();
			sink.accept(event);
		}
	}

	/** The event, or null with the reason counted. */
	private static AuditEvent check(Fields f, AuditInputReport report) {
		if (f.wrongType != null) {
			report.problem("wrong type for " + f.wrongType);
			return null;
		}
		if (f.auditId == null || f.auditId.isEmpty()) {
			report.problem("no auditID");
			return null;
		}
		Instant receivedAt = (f.receivedAt != null || f.received != null) ? instant(f.receivedAt, f.received)
				: instant(f.timestampAt, f.timestamp);
		if (receivedAt == null) {
			report.problem("no usable requestReceivedTimestamp or timestamp");
			return null;
		}
		Stage parsedStage = stage(f.stage);
		if (parsedStage == null) {
			String stage = f.stage;
			report.problem("unknown stage "
					+ (stage == null ? "(none)" : stage.length() > 40 ? stage.substring(0, 40) : stage));
			return null;
		}
		Instant stageAt = instant(f.stageAt, f.stageTimestamp);
		if (stageAt == null) {
			// Counted as a request, without latency: an old shape or a cut event.
			report.problem("no stageTimestamp (counted, no latency)");
			stageAt = receivedAt;
			if (parsedStage == Stage.RESPONSE_COMPLETE) {
				parsedStage = Stage.RESPONSE_STARTED;
			}
		}
		if (receivedAt.isBefore(EARLIEST) || !receivedAt.isBefore(LATEST) || stageAt.isBefore(EARLIEST)
				|| !stageAt.isBefore(LATEST)) {
			report.problem("timestamp outside 1970..9999");
			return null;
		}
		String auditId = f.auditId;
		if (auditId.length() > MAX_AUDIT_ID) {
			// Clients may send any Audit-ID header; a digest keeps stages of one request
			// together.
			report.problem("auditID longer than " + MAX_AUDIT_ID + " characters (hashed)");
			auditId = Sha256.hex(auditId.getBytes(StandardCharsets.UTF_8));
		}
		String[] texts = { auditId, f.userAgent, f.verb, f.resource, f.apiGroup, f.subresource };
		if (!f.scanned) {
			// PostgreSQL text cannot hold NUL, nor UTF-8 an escaped lone surrogate (read
			// back as '?'
			// a request would no longer match its own key): both are a client's doing.
			repair(texts, AuditEventParser::withoutNul, "NUL character (replaced)", report);
			repair(texts, AuditEventParser::withoutLoneSurrogates, "lone UTF-16 surrogate (replaced)", report);
		}
		auditId = texts[0];
		String userAgent = texts[1];
		if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
			report.problem("user agent longer than " + MAX_USER_AGENT + " characters (cut)");
			userAgent = cut(userAgent, MAX_USER_AGENT);
		}
		return new AuditEvent(auditId, parsedStage, texts[2], userAgent, texts[3], texts[4], texts[5], f.code,
				receivedAt, stageAt);
	}

	/** The first {@code max} characters at most, never half of a surrogate pair. */
	public static String cut(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
		return text.substring(0, end);
	}

	/**
	 * Applies {@code fix} to the texts; when it changed any, counts {@code problem} once.
	 */
	private static void repair(String[] texts, UnaryOperator<String> fix, String problem, AuditInputReport report) {
		boolean changed = false;
		for (int i = 0; i < texts.length; i++) {
			String fixed = fix.apply(texts[i]);
			changed |= fixed != null && !fixed.equals(texts[i]);
			texts[i] = fixed;
		}
		if (changed) {
			report.problem(problem);
		}
	}

	private static String withoutLoneSurrogates(String text) {
		if (text == null) {
			return null;
		}
		StringBuilder out = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			boolean paired = Character.isHighSurrogate(c)
					? i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))
					: !Character.isLowSurrogate(c) || (i > 0 && Character.isHighSurrogate(text.charAt(i - 1)));
			if (!paired && out == null) {
				out = new StringBuilder(text.length()).append(text, 0, i);
			}
			if (out != null) {
				out.append(paired ? c : '\uFFFD');
			}
		}
		return (out != null) ? out.toString() : text;
	}

	private static Instant instant(Instant parsed, String text) {
		return (parsed != null) ? parsed : Timestamps.parse(text);
	}

	private static boolean isStringField(String name) {
		return switch (name) {
			case "auditID", "stage", "verb", "userAgent", "requestReceivedTimestamp", "stageTimestamp", "timestamp" ->
				true;
			default -> false;
		};
	}

	private static String string(JsonParser parser, JsonToken value) {
		if (value == JsonToken.VALUE_STRING) {
			return parser.getString();
		}
		parser.skipChildren();
		return null;
	}

	private static Stage stage(String stage) {
		if (stage == null) {
			return null;
		}
		return switch (stage) {
			case "RequestReceived" -> Stage.REQUEST_RECEIVED;
			case "ResponseStarted" -> Stage.RESPONSE_STARTED;
			case "ResponseComplete" -> Stage.RESPONSE_COMPLETE;
			case "Panic" -> Stage.PANIC;
			default -> null;
		};
	}

	private static String reason(JacksonException ex) {
		String message = String.valueOf(ex.getOriginalMessage()).toLowerCase(Locale.ROOT);
		if (message.contains("utf-8") || message.contains("utf8") || message.contains("invalid utf")) {
			return "invalid UTF-8";
		}
		if (message.contains("end-of-input") || message.contains("unexpected end")) {
			return "truncated JSON";
		}
		return "broken JSON";
	}

	private static boolean isBlank(byte[] line, int start, int end) {
		for (int i = start; i < end; i++) {
			byte b = line[i];
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
