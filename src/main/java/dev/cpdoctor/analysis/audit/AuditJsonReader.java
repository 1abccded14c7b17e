package dev.cpdoctor.analysis.audit;

import java.util.Locale;
import java.util.function.Consumer;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The general path of {@link AuditEventParser}: reads one Event through Jackson's
 * streaming JSON parser, which takes any valid JSON (escapes, any UTF-8, nulls) and names
 * what is wrong with the rest. It reads the same fields as the {@link AuditLineScanner},
 * which leaves it every line it is not sure of.
 */
final class AuditJsonReader {

	private static final JsonFactory JSON = new JsonFactory();

	private AuditJsonReader() {
	}

	/** Whether the first top-level object has an items array or kind EventList. */
	static boolean isEventList(byte[] body, int from) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), body, from, body.length - from)) {
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

	/**
	 * The one Event that is all of start..end to the sink, or its problem counted.
	 */
	static void read(byte[] buffer, int start, int end, AuditInputReport report, Consumer<AuditEvent> sink) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), buffer, start, end - start)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				report.problem("not a JSON object", buffer, start, end);
				return;
			}
			AuditEventCheck.emit(event(parser), buffer, start, end, report, sink);
			if (parser.nextToken() != null) {
				report.problem("text after the event", buffer, start, end);
			}
		}
		catch (JacksonException ex) {
			report.problem(reason(ex), buffer, start, end);
		}
	}

	/**
	 * Reads one Event object, the parser on its START_OBJECT; leaves it on the matching
	 * END_OBJECT.
	 */
	private static AuditFields event(JsonParser parser) {
		AuditFields f = new AuditFields();
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
				case "objectRef" -> objectRef(parser, value, f);
				case "responseStatus" -> responseStatus(parser, value, f);
				default -> parser.skipChildren();
			}
			if (isStringField(name) && value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
				f.wrongType = name;
			}
		}
		return f;
	}

	private static void objectRef(JsonParser parser, JsonToken value, AuditFields f) {
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

	private static void responseStatus(JsonParser parser, JsonToken value, AuditFields f) {
		if (value != JsonToken.START_OBJECT) {
			parser.skipChildren();
			return;
		}
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

}
