package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

/**
 * Reads audit.k8s.io Events as the apiserver writes them: JSON lines (log backend) or an EventList
 * (webhook backend). Only the fields the analyses use are kept; the rest is skipped unread. An
 * event that cannot be used (broken JSON, wrong types, no auditID, no timestamp, invalid UTF-8) is
 * counted by reason and skipped; the others of the batch are kept.
 * <p>
 * Old shapes: events without apiVersion and with a top-level timestamp parse like v1; an event
 * without stageTimestamp is counted as a request but carries no latency.
 */
public final class AuditEventParser {

	/** A user agent longer than this is cut: it is text an attacker controls. */
	public static final int MAX_USER_AGENT = 1024;

	private static final JsonFactory JSON = new JsonFactory();

	/** A webhook body: an EventList (what the apiserver's webhook backend sends) or JSON lines of Events. */
	public AuditInputReport parseBody(byte[] body, Consumer<AuditEvent> sink) {
		if (isEventList(body)) {
			return parseEventList(body, sink);
		}
		try {
			return parseLines(new ByteArrayInputStream(body), sink);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex); // a byte array does not fail to read
		}
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
		ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
		byte[] buffer = new byte[64 * 1024];
		int read;
		while ((read = in.read(buffer)) >= 0) {
			int start = 0;
			for (int i = 0; i < read; i++) {
				if (buffer[i] == '\n') {
					line.write(buffer, start, i - start);
					parseLine(line.toByteArray(), report, sink);
					line.reset();
					start = i + 1;
				}
			}
			line.write(buffer, start, read - start);
		}
		if (line.size() > 0) {
			parseLine(line.toByteArray(), report, sink);
		}
		return report;
	}

	private void parseLine(byte[] line, AuditInputReport report, Consumer<AuditEvent> sink) {
		if (isBlank(line)) {
			return;
		}
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), line)) {
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

	/** An EventList, {"kind":"EventList","items":[...]}: a broken tail keeps the items before it. */
	public AuditInputReport parseEventList(byte[] body, Consumer<AuditEvent> sink) {
		AuditInputReport report = new AuditInputReport();
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				report.problem("not an EventList");
				return report;
			}
			boolean items = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if ("items".equals(name) && value == JsonToken.START_ARRAY) {
					items = true;
					while (parser.nextToken() != JsonToken.END_ARRAY) {
						if (parser.currentToken() == JsonToken.START_OBJECT) {
							event(parser, report, sink);
						}
						else {
							parser.skipChildren();
							report.problem("item is not an object");
						}
					}
				}
				else {
					parser.skipChildren();
				}
			}
			if (!items) {
				report.problem("no items array");
			}
		}
		catch (JacksonException ex) {
			report.problem(reason(ex));
		}
		return report;
	}

	/** Reads one Event object, the parser on its START_OBJECT; leaves it on the matching END_OBJECT. */
	private void event(JsonParser parser, AuditInputReport report, Consumer<AuditEvent> sink) {
		String auditId = null;
		String stage = null;
		String verb = null;
		String userAgent = null;
		String resource = null;
		String apiGroup = null;
		String subresource = null;
		int code = 0;
		String received = null;
		String stageTimestamp = null;
		String timestamp = null;
		String wrongType = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "auditID" -> auditId = string(parser, value);
				case "stage" -> stage = string(parser, value);
				case "verb" -> verb = string(parser, value);
				case "userAgent" -> userAgent = string(parser, value);
				case "requestReceivedTimestamp" -> received = string(parser, value);
				case "stageTimestamp" -> stageTimestamp = string(parser, value);
				case "timestamp" -> timestamp = string(parser, value);
				case "objectRef" -> {
					if (value == JsonToken.START_OBJECT) {
						while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
							String field = parser.currentName();
							JsonToken v = parser.nextToken();
							switch (field) {
								case "resource" -> resource = string(parser, v);
								case "apiGroup" -> apiGroup = string(parser, v);
								case "subresource" -> subresource = string(parser, v);
								default -> parser.skipChildren();
							}
						}
					}
					else if (value != JsonToken.VALUE_NULL) {
						parser.skipChildren();
						wrongType = "objectRef";
					}
				}
				case "responseStatus" -> {
					if (value == JsonToken.START_OBJECT) {
						while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
							String field = parser.currentName();
							JsonToken v = parser.nextToken();
							if ("code".equals(field) && v == JsonToken.VALUE_NUMBER_INT) {
								code = parser.getIntValue();
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
				wrongType = name;
			}
		}
		if (wrongType != null) {
			report.problem("wrong type for " + wrongType);
			return;
		}
		if (auditId == null || auditId.isEmpty()) {
			report.problem("no auditID");
			return;
		}
		Instant receivedAt = instant((received != null) ? received : timestamp);
		if (receivedAt == null) {
			report.problem("no usable requestReceivedTimestamp or timestamp");
			return;
		}
		Stage parsedStage = stage(stage);
		if (parsedStage == null) {
			report.problem("unknown stage " + (stage == null ? "(none)" : stage.length() > 40 ? stage.substring(0, 40) : stage));
			return;
		}
		Instant stageAt = instant(stageTimestamp);
		if (stageAt == null) {
			// Counted as a request, without latency: an old shape or a cut event.
			report.problem("no stageTimestamp (counted, no latency)");
			stageAt = receivedAt;
			if (parsedStage == Stage.RESPONSE_COMPLETE) {
				parsedStage = Stage.RESPONSE_STARTED;
			}
		}
		if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
			report.problem("user agent longer than " + MAX_USER_AGENT + " characters (cut)");
			userAgent = userAgent.substring(0, MAX_USER_AGENT);
		}
		report.kept();
		sink.accept(new AuditEvent(auditId, parsedStage, verb, userAgent, resource, apiGroup, subresource, code, receivedAt,
				stageAt));
	}

	private static boolean isStringField(String name) {
		return switch (name) {
			case "auditID", "stage", "verb", "userAgent", "requestReceivedTimestamp", "stageTimestamp", "timestamp" -> true;
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

	private static Instant instant(String text) {
		if (text == null) {
			return null;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	private static String reason(JacksonException ex) {
		String message = String.valueOf(ex.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
		if (message.contains("utf-8") || message.contains("utf8") || message.contains("invalid utf")) {
			return "invalid UTF-8";
		}
		if (message.contains("end-of-input") || message.contains("unexpected end")) {
			return "truncated JSON";
		}
		return "broken JSON";
	}

	private static boolean isBlank(byte[] line) {
		for (byte b : line) {
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
