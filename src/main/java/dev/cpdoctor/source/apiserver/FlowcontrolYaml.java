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
import io.kubernetes.client.openapi.models.FlowcontrolV1Subject;
import io.kubernetes.client.openapi.models.V1FlowDistinguisherMethod;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaSpec;
import io.kubernetes.client.openapi.models.V1GroupSubject;
import io.kubernetes.client.openapi.models.V1LimitResponse;
import io.kubernetes.client.openapi.models.V1LimitedPriorityLevelConfiguration;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PolicyRulesWithSubjects;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfiguration;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationReference;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationSpec;
import io.kubernetes.client.openapi.models.V1ResourcePolicyRule;
import io.kubernetes.client.openapi.models.V1ServiceAccountSubject;
import io.kubernetes.client.openapi.models.V1UserSubject;
import io.kubernetes.client.util.Yaml;
import org.yaml.snakeyaml.DumperOptions;

import dev.cpdoctor.troubleshoot.ApfSubject;
import dev.cpdoctor.troubleshoot.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.FlowcontrolVersion;
import dev.cpdoctor.troubleshoot.ThrottleRequest;

/**
 * Writes a {@link FlowSchemaRemedy} as YAML: a leading comment, then the PriorityLevelConfiguration
 * and the FlowSchema as two documents. Both objects are built from the client's typed v1 models
 * (client-java ships no beta flowcontrol models any more) and serialised by its own JSON mapping;
 * for v1beta3 and v1beta2, which have the same structure, the apiVersion is set accordingly and, for
 * v1beta2, spec.limited.nominalConcurrencyShares is renamed assuredConcurrencyShares. Values are
 * emitted by SnakeYAML (the client's YAML library), which quotes whatever needs quoting, so no
 * value can change the documents' structure.
 */
public final class FlowcontrolYaml {

	public static final String CONTENT_TYPE = "text/yaml";

	private static final JSON CLIENT_JSON = new JSON();

	private FlowcontrolYaml() {
	}

	public static String render(FlowSchemaRemedy remedy) {
		StringBuilder out = new StringBuilder();
		for (String line : remedy.comment()) {
			out.append(line.isEmpty() ? "#" : "# " + line).append('\n');
		}
		List<Object> documents = List.of(tree(priorityLevel(remedy), remedy.version()),
				tree(flowSchema(remedy), remedy.version()));
		out.append(snakeYaml().dumpAll(documents.iterator()));
		return out.toString();
	}

	static V1PriorityLevelConfiguration priorityLevel(FlowSchemaRemedy remedy) {
		return new V1PriorityLevelConfiguration().apiVersion(remedy.version().apiVersion())
			.kind("PriorityLevelConfiguration")
			.metadata(new V1ObjectMeta().name(remedy.name()))
			.spec(new V1PriorityLevelConfigurationSpec().type("Limited")
				.limited(new V1LimitedPriorityLevelConfiguration().nominalConcurrencyShares(remedy.request().shares())
					.borrowingLimitPercent(remedy.borrowingLimitPercent())
					.limitResponse(new V1LimitResponse().type("Reject"))));
	}

	static V1FlowSchema flowSchema(FlowSchemaRemedy remedy) {
		ThrottleRequest request = remedy.request();
		return new V1FlowSchema().apiVersion(remedy.version().apiVersion())
			.kind("FlowSchema")
			.metadata(new V1ObjectMeta().name(remedy.name()))
			.spec(new V1FlowSchemaSpec()
				.priorityLevelConfiguration(new V1PriorityLevelConfigurationReference().name(remedy.name()))
				.matchingPrecedence(remedy.matchingPrecedence())
				.distinguisherMethod(new V1FlowDistinguisherMethod().type("ByUser"))
				.addRulesItem(new V1PolicyRulesWithSubjects().addSubjectsItem(subject(remedy.subject()))
					.addResourceRulesItem(new V1ResourcePolicyRule().verbs(new ArrayList<>(request.verbs()))
						.apiGroups(new ArrayList<>(request.apiGroups()))
						.resources(new ArrayList<>(request.resources()))
						.clusterScope(true)
						.namespaces(new ArrayList<>(List.of("*"))))));
	}

	private static FlowcontrolV1Subject subject(ApfSubject subject) {
		FlowcontrolV1Subject out = new FlowcontrolV1Subject().kind(subject.kind().apiName());
		return switch (subject.kind()) {
			case SERVICE_ACCOUNT -> out
				.serviceAccount(new V1ServiceAccountSubject().namespace(subject.namespace()).name(subject.name()));
			case USER -> out.user(new V1UserSubject().name(subject.name()));
			case GROUP -> out.group(new V1GroupSubject().name(subject.name()));
		};
	}

	/**
	 * The object as the client serialises it to the apiserver, as ordered maps and lists; empty
	 * collections (the models start with empty labels, finalizers, nonResourceRules...) left out,
	 * and the v1beta2 field name where it differs.
	 */
	static Map<String, Object> tree(KubernetesObject object, FlowcontrolVersion version) {
		@SuppressWarnings("unchecked")
		Map<String, Object> tree = (Map<String, Object>) plain(CLIENT_JSON.getGson().toJsonTree(object));
		if (tree.get("spec") instanceof Map<?, ?> spec && spec.get("limited") instanceof Map<?, ?> limited
				&& !version.concurrencySharesField().equals("nominalConcurrencyShares")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> fields = (Map<String, Object>) limited;
			Map<String, Object> renamed = new LinkedHashMap<>();
			fields.forEach((key, value) -> renamed
				.put(key.equals("nominalConcurrencyShares") ? version.concurrencySharesField() : key, value));
			fields.clear();
			fields.putAll(renamed);
		}
		return tree;
	}

	/** Gson's tree as plain Java values: numbers as Integer or Long, empty maps and lists dropped. */
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

	/** Block style, '---' before each document, no line wrapping (long names stay on one line). */
	private static org.yaml.snakeyaml.Yaml snakeYaml() {
		DumperOptions options = new DumperOptions();
		options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
		options.setExplicitStart(true);
		options.setIndicatorIndent(0);
		options.setSplitLines(false);
		options.setWidth(Integer.MAX_VALUE);
		return Yaml.getSnakeYaml(Object.class, options, new org.yaml.snakeyaml.LoaderOptions());
	}

}
