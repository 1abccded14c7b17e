package dev.cpdoctor.source.apiserver;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfiguration;
import io.kubernetes.client.util.Yaml;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.cpdoctor.troubleshoot.remedy.ApfSubject;
import dev.cpdoctor.troubleshoot.remedy.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.remedy.FlowcontrolVersion;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

import static dev.cpdoctor.YamlTrees.at;
import static dev.cpdoctor.YamlTrees.documents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated manifests, parsed back as the apiserver's YAML reader would see them, per
 * apiVersion.
 */
class FlowcontrolYamlTests {

	private static final ThrottleRequest INVENTORY = new ThrottleRequest(
			ApfSubject.serviceAccount("acme/inventory-controller"), List.of("list", "watch"), List.of("", "apps"),
			List.of("pods", "deployments/scale"), 3);

	@SuppressWarnings("unchecked")
	static Map<String, Object> mapAt(Object tree, Object... path) {
		return (Map<String, Object>) at(tree, path);
	}

	@SuppressWarnings("unchecked")
	static List<Object> listAt(Object tree, Object... path) {
		return (List<Object>) at(tree, path);
	}

	private static String render(ThrottleRequest request, FlowcontrolVersion version) {
		return FlowcontrolYaml.render(new FlowSchemaRemedy("lab", request, version, "the apiserver serves it"));
	}

	@ParameterizedTest
	@EnumSource(FlowcontrolVersion.class)
	void aPriorityLevelAndAFlowSchemaReferencingIt(FlowcontrolVersion version) {
		String yaml = render(INVENTORY, version);
		List<Map<String, Object>> documents = documents(yaml);
		assertThat(documents).hasSize(2);
		Map<String, Object> level = documents.get(0);
		Map<String, Object> schema = documents.get(1);
		String name = new FlowSchemaRemedy("lab", INVENTORY, version, "x").name();

		String apiVersion = "flowcontrol.apiserver.k8s.io/" + version.version();
		assertThat(level).containsEntry("apiVersion", apiVersion).containsEntry("kind", "PriorityLevelConfiguration");
		assertThat(at(level, "metadata")).isEqualTo(Map.of("name", name));
		assertThat(at(level, "spec", "type")).isEqualTo("Limited");
		Map<String, Object> limited = mapAt(level, "spec", "limited");
		String sharesField = (version == FlowcontrolVersion.V1BETA2) ? "assuredConcurrencyShares"
				: "nominalConcurrencyShares";
		assertThat(limited).containsEntry(sharesField, 3);
		assertThat(limited).doesNotContainKey(
				(version == FlowcontrolVersion.V1BETA2) ? "nominalConcurrencyShares" : "assuredConcurrencyShares");
		assertThat(at(limited, "limitResponse")).isEqualTo(Map.of("type", "Reject"));
		if (version == FlowcontrolVersion.V1BETA2) {
			assertThat(limited).as("1.23-1.25 do not know the field").doesNotContainKey("borrowingLimitPercent");
		}
		else {
			assertThat(limited).containsEntry("borrowingLimitPercent", 0);
		}

		assertThat(schema).containsEntry("apiVersion", apiVersion).containsEntry("kind", "FlowSchema");
		assertThat(at(schema, "metadata")).isEqualTo(Map.of("name", name));
		assertThat(at(schema, "spec", "priorityLevelConfiguration", "name")).as("references the level")
			.isEqualTo(at(level, "metadata", "name"));
		assertThat(at(schema, "spec", "matchingPrecedence")).isEqualTo(850);
		assertThat(at(schema, "spec", "distinguisherMethod")).isEqualTo(Map.of("type", "ByUser"));
		List<Object> rules = listAt(schema, "spec", "rules");
		assertThat(rules).hasSize(1);
		assertThat(at(rules, 0, "subjects")).isEqualTo(List.of(Map.of("kind", "ServiceAccount", "serviceAccount",
				Map.of("namespace", "acme", "name", "inventory-controller"))));
		assertThat(at(rules, 0, "resourceRules"))
			.isEqualTo(List.of(Map.of("verbs", List.of("list", "watch"), "apiGroups", List.of("", "apps"), "resources",
					List.of("pods", "deployments/scale"), "clusterScope", true, "namespaces", List.of("*"))));
		assertThat(mapAt(rules, 0)).as("no empty nonResourceRules").containsOnlyKeys("subjects", "resourceRules");

		assertThat(yaml).startsWith("# API Priority and Fairness throttle for cluster lab");
		assertThat(yaml).contains("# Version:   " + apiVersion + " (" + sharesField + "): the apiserver serves it\n");
	}

	@Test
	void theClientReadsTheV1ManifestBackIntoItsOwnModels() throws Exception {
		List<Object> objects = Yaml.loadAll(render(INVENTORY, FlowcontrolVersion.V1));
		assertThat(objects).hasSize(2);
		V1PriorityLevelConfiguration level = (V1PriorityLevelConfiguration) objects.get(0);
		V1FlowSchema schema = (V1FlowSchema) objects.get(1);
		assertThat(level.getSpec().getLimited().getNominalConcurrencyShares()).isEqualTo(3);
		assertThat(schema.getSpec().getPriorityLevelConfiguration().getName()).isEqualTo(level.getMetadata().getName());
		assertThat(schema.getSpec().getRules().get(0).getSubjects().get(0).getServiceAccount().getName())
			.isEqualTo("inventory-controller");
	}

	@Test
	void usersAndGroupsAreSubjectsOfTheirKind() {
		for (ApfSubject subject : List.of(ApfSubject.user("alice@example.com"),
				ApfSubject.group("system:authenticated"))) {
			ThrottleRequest request = new ThrottleRequest(subject, List.of("*"), List.of("*"), List.of("*"), 1);
			Map<String, Object> schema = documents(render(request, FlowcontrolVersion.V1)).get(1);
			String field = (subject.kind() == ApfSubject.Kind.USER) ? "user" : "group";
			assertThat(at(schema, "spec", "rules", 0, "subjects"))
				.isEqualTo(List.of(Map.of("kind", subject.kind().apiName(), field, Map.of("name", subject.name()))));
			assertThat(at(schema, "spec", "rules", 0, "resourceRules", 0, "verbs")).isEqualTo(List.of("*"));
		}
	}

	/**
	 * Every character the subject alphabet allows, in the places YAML 1.1 gives meaning
	 * to (comments, mapping indicators, nulls, booleans, numbers, merge keys, document
	 * markers): each comes back as the same string in the same field, and the documents
	 * keep their shape.
	 */
	@Test
	void valuesThatLookLikeYamlStayStrings() {
		List<String> names = List.of("~", "null", "Null", "true", "yes", "No", "on", "OFF", "y", "123", "0x1F", "012",
				"1e3", "1_000", ".inf", "-.inf", ".nan", "=", "-", "--", "---", "...", "#", "#x", "x#y", "a:#b", ":x",
				"x:", "a:b", "::", "@x", "+1", "~x", "2026-11-22", "12:30:00", "a.b.c", "/etc/passwd", "@");
		for (String name : names) {
			for (ApfSubject subject : List.of(ApfSubject.user(name), ApfSubject.group(name))) {
				String yaml = render(new ThrottleRequest(subject, List.of("list"), List.of(""), List.of("pods"), 1),
						FlowcontrolVersion.V1);
				List<Map<String, Object>> documents = documents(yaml);
				assertThat(documents).as(name).hasSize(2);
				String field = (subject.kind() == ApfSubject.Kind.USER) ? "user" : "group";
				Object parsed = at(documents.get(1), "spec", "rules", 0, "subjects", 0, field, "name");
				assertThat(parsed).as(name).isInstanceOf(String.class).isEqualTo(name);
				assertThat(mapAt(documents.get(1), "spec", "rules", 0, "subjects", 0)).as(name)
					.containsOnlyKeys("kind", field);
				assertThat(at(documents.get(0), "spec", "limited", "nominalConcurrencyShares")).as(name).isEqualTo(1);
				assertThat(commentLines(yaml)).as(name).allMatch((line) -> line.matches("#( [ -~]*)?"));
			}
		}
	}

	@Test
	void theCommentIsOnlyComment() {
		String yaml = FlowcontrolYaml.render(new FlowSchemaRemedy("lab", INVENTORY, FlowcontrolVersion.V1,
				"HTTP 500\n---\napiVersion: v1\nkind: Secret\u2028metadata: {name: x}"));
		assertThat(documents(yaml)).hasSize(2);
		List<String> head = commentLines(yaml);
		assertThat(head).isNotEmpty().allMatch((line) -> line.matches("#( [ -~]*)?"));
		assertThat(yaml.substring(0, yaml.indexOf("\n---\n"))).doesNotContain("\u2028").doesNotContain("\r");
	}

	/** The lines before the first document. */
	private static List<String> commentLines(String yaml) {
		return yaml.substring(0, yaml.indexOf("---\n")).lines().toList();
	}

}
