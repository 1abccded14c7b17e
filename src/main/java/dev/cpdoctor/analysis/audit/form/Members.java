package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Members read out of one JSON value held in a byte array (a unit no larger than the
 * document cap): a string at a path, a Logs Insights result's {@code @message}, a row's
 * columns. Broken JSON throws Jackson's exception; the callers count it.
 */
final class Members {

	static final JsonFactory JSON = new JsonFactory();

	private Members() {
	}

	/**
	 * The string at {@code path} (member names, one per level of nested objects), or null
	 * when absent or not a string.
	 */
	static String string(byte[] b, int start, int end, String... path) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), b, start, end - start)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			return string(parser, path, 0);
		}
	}

	private static String string(JsonParser parser, String[] path, int level) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			boolean wanted = path[level].equals(parser.currentName());
			JsonToken value = parser.nextToken();
			if (wanted && level == path.length - 1) {
				return (value == JsonToken.VALUE_STRING) ? parser.getString() : null;
			}
			if (wanted && value == JsonToken.START_OBJECT) {
				return string(parser, path, level + 1);
			}
			parser.skipChildren();
		}
		return null;
	}

	/** A Logs Insights result's {@code @message} value, or null when it has none. */
	static String insightsMessage(byte[] b, int start, int end) {
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), b, start, end - start)) {
			if (parser.nextToken() != JsonToken.START_ARRAY) {
				return null;
			}
			while (parser.nextToken() == JsonToken.START_OBJECT) {
				String field = null;
				String value = null;
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String name = parser.currentName();
					JsonToken token = parser.nextToken();
					if (token == JsonToken.VALUE_STRING && "field".equals(name)) {
						field = parser.getString();
					}
					else if (token == JsonToken.VALUE_STRING && "value".equals(name)) {
						value = parser.getString();
					}
					else {
						parser.skipChildren();
					}
				}
				if ("@message".equals(field)) {
					return value;
				}
			}
			return null;
		}
	}

	/**
	 * A row object's columns: strings as they are, numbers and booleans as their text,
	 * objects and arrays (dynamic columns) as JSON text; nulls left out.
	 */
	static Map<String, String> columns(byte[] b, int start, int end) {
		Map<String, String> columns = new LinkedHashMap<>();
		try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), b, start, end - start)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return columns;
			}
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String name = parser.currentName();
				JsonToken value = parser.nextToken();
				if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
					columns.put(name, json(parser));
				}
				else if (value != JsonToken.VALUE_NULL) {
					columns.put(name, parser.getText());
				}
			}
		}
		return columns;
	}

	/** The structure the parser is on, as JSON text. */
	private static String json(JsonParser parser) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (JsonGenerator generator = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			generator.copyCurrentStructure(parser);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
