package dev.cpdoctor.source.apiserver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.kubernetes.client.common.KubernetesObject;
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

import dev.cpdoctor.troubleshoot.remedy.ApfSubject;
import dev.cpdoctor.troubleshoot.remedy.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.remedy.FlowcontrolVersion;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

/**
 * Writes a {@link FlowSchemaRemedy} as YAML: a leading comment, then the
 * PriorityLevelConfiguration and the FlowSchema as two documents. Both objects are built
 * from the client's typed v1 models (client-java ships no beta flowcontrol models any
 * more) and serialised by its own JSON mapping (ModelYaml); for v1beta3 and v1beta2,
 * which have the same structure, the apiVersion is set accordingly and, for v1beta2,
 * spec.limited.nominalConcurrencyShares is renamed assuredConcurrencyShares. Values are
 * emitted by SnakeYAML (the client's YAML library), which quotes whatever needs quoting,
 * so no value can change the documents' structure.
 */
public final class FlowcontrolYaml {

	private FlowcontrolYaml() {
	}

	public static String render(FlowSchemaRemedy remedy) {
		return ModelYaml.render(remedy.comment(),
				List.of(tree(priorityLevel(remedy), remedy.version()), tree(flowSchema(remedy), remedy.version())));
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
			case SERVICE_ACCOUNT ->
				out.serviceAccount(new V1ServiceAccountSubject().namespace(subject.namespace()).name(subject.name()));
			case USER -> out.user(new V1UserSubject().name(subject.name()));
			case GROUP -> out.group(new V1GroupSubject().name(subject.name()));
		};
	}

	/**
	 * The object as the client serialises it to the apiserver (ModelYaml.tree), with the
	 * v1beta2 field name where it differs.
	 */
	static Map<String, Object> tree(KubernetesObject object, FlowcontrolVersion version) {
		Map<String, Object> tree = ModelYaml.tree(object);
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

}
