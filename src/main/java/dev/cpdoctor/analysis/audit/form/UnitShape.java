package dev.cpdoctor.analysis.audit.form;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * What one JSON value (a document, a line, a wrapper's item) is, from its members' names
 * and a few of their values: an audit Event, a wrapper of more values, or one of the
 * records the clouds wrap an event in.
 *
 * @param kind what it is
 * @param strings the values of the few string members that tell forms apart
 */
record UnitShape(Kind kind, Map<String, String> strings) {

	/** What a value is. */
	enum Kind {

		/** An audit.k8s.io Event. */
		EVENT,

		/** An object holding an array of more values (EventList, exports, payloads). */
		WRAPPER,

		/** A CloudWatch Logs event: the Event as the JSON string {@code message}. */
		CLOUDWATCH_EVENT,

		/** A Firehose record: {@code data} in base64. */
		FIREHOSE_RECORD,

		/** A Logs Insights result: an array of field and value. */
		INSIGHTS_ROW,

		/** An Azure diagnostic record: the Event as the JSON string properties.log. */
		AZURE_RECORD,

		/** A Log Analytics AzureDiagnostics row: the Event as the JSON string log_s. */
		DIAGNOSTICS_ROW,

		/** A Log Analytics AKSAudit row: the Event's fields as columns. */
		AKS_AUDIT_ROW,

		/** An EventList without items. */
		EMPTY_EVENT_LIST,

		/** Nothing known. */
		OTHER,

		/** Not JSON (the event parser names why). */
		BROKEN

	}

	/** Members whose array makes an object a wrapper of more values. */
	static final Set<String> WRAPPERS = Set.of("items", "events", "results", "logEvents", "records");

	private static final Set<String> TOLD = Set.of("kind", "category", "Category", "messageType", "data");

	private static final JsonFactory JSON = new JsonFactory();

	/** The shape of the JSON value that is all of start..end. */
	static UnitShape of(byte[] b, int start, int end) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), b, start, end - start)) {
			JsonToken first = parser.nextToken();
			if (first == JsonToken.START_ARRAY) {
				return new UnitShape(insightsRow(parser) ? Kind.INSIGHTS_ROW : Kind.OTHER, Map.of());
			}
			if (first != JsonToken.START_OBJECT) {
				return new UnitShape((first == null) ? Kind.BROKEN : Kind.OTHER, Map.of());
			}
			Set<String> keys = new HashSet<>();
			Map<String, String> strings = new HashMap<>();
			boolean wrapper = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				keys.add(name);
				if (value == JsonToken.VALUE_STRING && TOLD.contains(name)) {
					strings.put(name, parser.getString());
				}
				else if (value == JsonToken.START_OBJECT && "properties".equals(name) && hasLog(parser)) {
					keys.add("properties.log");
				}
				else {
					wrapper |= value == JsonToken.START_ARRAY && WRAPPERS.contains(name);
					parser.skipChildren();
				}
			}
			return new UnitShape(wrapper ? Kind.WRAPPER : kind(keys, strings), strings);
		}
		catch (JacksonException ex) {
			return new UnitShape(Kind.BROKEN, Map.of());
		}
	}

	private static Kind kind(Set<String> keys, Map<String, String> strings) {
		if (keys.contains("auditID") || "Event".equals(strings.get("kind"))
				|| keys.contains("stage") && keys.contains("requestURI")) {
			return Kind.EVENT;
		}
		if (keys.contains("message") && (keys.contains("timestamp") || keys.contains("ingestionTime")
				|| keys.contains("eventId") || keys.contains("id") || keys.contains("logStreamName"))) {
			return Kind.CLOUDWATCH_EVENT;
		}
		if (strings.containsKey("data")) {
			return Kind.FIREHOSE_RECORD;
		}
		if (keys.contains("properties.log") || keys.contains("category") && keys.contains("resourceId")) {
			return Kind.AZURE_RECORD;
		}
		if (keys.contains("log_s")) {
			return Kind.DIAGNOSTICS_ROW;
		}
		if (keys.contains("AuditId")) {
			return Kind.AKS_AUDIT_ROW;
		}
		return "EventList".equals(strings.get("kind")) ? Kind.EMPTY_EVENT_LIST : Kind.OTHER;
	}

	/** Whether the object the parser is on has a member "log"; leaves it at its end. */
	private static boolean hasLog(JsonParser parser) {
		boolean log = false;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			log |= "log".equals(parser.currentName());
			parser.nextToken();
			parser.skipChildren();
		}
		return log;
	}

	/** Whether the array the parser is in starts with an object with a member "field". */
	private static boolean insightsRow(JsonParser parser) {
		if (parser.nextToken() != JsonToken.START_OBJECT) {
			return false;
		}
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			if ("field".equals(parser.currentName())) {
				return true;
			}
			parser.nextToken();
			parser.skipChildren();
		}
		return false;
	}

}
