package dev.cpdoctor.source.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.Yaml;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * The client's typed models written as YAML manifests: each object as the client
 * serialises it to the apiserver (its own Gson mapping: field names, Quantity as a
 * string), empty collections left out (the models start with empty labels,
 * finalizers...), then dumped by SnakeYAML, the client's YAML library, which quotes
 * whatever needs quoting, so no value can change a document's structure. A leading
 * comment goes first, one "# " line each.
 */
final class ModelYaml {

	private static final JSON CLIENT_JSON = new JSON();

	private ModelYaml() {
	}

	/**
	 * The comment lines (already printable, one line each), then the documents, each
	 * after '---'.
	 */
	static String render(List<String> comment, List<Map<String, Object>> documents) {
		StringBuilder out = new StringBuilder();
		for (String line : comment) {
			out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
		}
		out.append(dumpAll(documents));
		return out.toString();
	}

	/** The object as ordered maps, lists and plain values, empty collections dropped. */
	@SuppressWarnings("unchecked")
	static Map<String, Object> tree(KubernetesObject object) {
		return (Map<String, Object>) plain(CLIENT_JSON.getGson().toJsonTree(object));
	}

	/**
	 * Gson's tree as plain Java values: numbers as Integer or Long, empty maps and lists
	 * dropped.
	 */
	private static Object plain(JsonElement element) {
		if (element == null || element.isJsonNull()) {
			return null;
		}
		if (element instanceof JsonObject object) {
			Map<String, Object> map = new LinkedHashMap<>();
			object.entrySet().forEach((entry) -> {
				Object value = plain(entry.getValue());
				if (value != null && !isEmptyCollection(value)) {
					map.put(entry.getKey(), value);
				}
			});
			return map;
		}
		if (element instanceof JsonArray array) {
			List<Object> list = new ArrayList<>();
			array.forEach((item) -> list.add(plain(item)));
			return list;
		}
		JsonPrimitive primitive = element.getAsJsonPrimitive();
		if (primitive.isBoolean()) {
			return primitive.getAsBoolean();
		}
		if (primitive.isNumber()) {
			long value = primitive.getAsLong();
			return (value == (int) value) ? (Object) (int) value : (Object) value;
		}
		return primitive.getAsString();
	}

	private static boolean isEmptyCollection(Object value) {
		return (value instanceof Map<?, ?> map && map.isEmpty()) || (value instanceof List<?> list && list.isEmpty());
	}

	/**
	 * The documents in block style, '---' before each, no line wrapping (long names stay
	 * on one line).
	 */
	private static String dumpAll(List<Map<String, Object>> documents) {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setExplicitStart(true);
		options.setIndicatorIndent(0);
		options.setSplitLines(false);
		options.setWidth(Integer.MAX_VALUE);
		return Yaml.getSnakeYaml(Object.class, options, new LoaderOptions()).dumpAll(documents.iterator());
	}

}
