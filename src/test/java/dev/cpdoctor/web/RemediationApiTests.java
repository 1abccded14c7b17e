package dev.cpdoctor.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.troubleshoot.remedy.PagedDeleteTests;

import static dev.cpdoctor.YamlTrees.at;
import static dev.cpdoctor.YamlTrees.documents;
import static org.assertj.core.api.Assertions.assertThat;

/** The APF remedy endpoint on the demo cluster (no apiserver), over HTTP. */
class RemediationApiTests extends AbstractEndToEndTests {

	static final String PATH = "/api/v1/clusters/demo/remediations/flowschema";

	/** The query string of these name/value pairs, each value URL-encoded. */
	static String query(String... pairs) {
		StringBuilder out = new StringBuilder();
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			out.append((i == 0) ? '?' : '&')
				.append(pairs[i])
				.append('=')
				.append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
		}
		return out.toString();
	}

	@Test
	void theDemosFloodingServiceAccountThrottledInV1WithTheReason() throws Exception {
		HttpResponse<String> response = get(
				PATH + query("serviceAccount", "acme/inventory-controller", "verbs", "list", "resources", "pods"),
				"*/*");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).contains("text/yaml;charset=UTF-8");
		String yaml = response.body();
		assertThat(yaml).startsWith("# API Priority and Fairness throttle for cluster demo")
			.contains(
					"# Version:   flowcontrol.apiserver.k8s.io/v1 (nominalConcurrencyShares): no API discovery (the cluster"
							+ " has no apiserver access); Kubernetes v1.30.4 (the demo scenario) serves it as the newest\n");
		List<Map<String, Object>> documents = documents(yaml);
		assertThat(documents).hasSize(2);
		assertThat(at(documents.get(0), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1");
		assertThat(at(documents.get(0), "kind")).isEqualTo("PriorityLevelConfiguration");
		assertThat(at(documents.get(0), "spec", "limited", "nominalConcurrencyShares")).isEqualTo(1);
		assertThat(at(documents.get(1), "kind")).isEqualTo("FlowSchema");
		assertThat(at(documents.get(1), "spec", "priorityLevelConfiguration", "name"))
			.isEqualTo(at(documents.get(0), "metadata", "name"))
			.asString()
			.matches("cpdoctor-throttle-sa-acme-inventory-controller-[0-9a-f]{8}");
		assertThat(at(documents.get(1), "spec", "rules", 0, "subjects", 0, "serviceAccount"))
			.isEqualTo(Map.of("namespace", "acme", "name", "inventory-controller"));
		assertThat(at(documents.get(1), "spec", "rules", 0, "resourceRules", 0, "verbs")).isEqualTo(List.of("list"));
		assertThat(at(documents.get(1), "spec", "rules", 0, "resourceRules", 0, "resources"))
			.isEqualTo(List.of("pods"));
		assertThat(
				get(PATH + query("serviceAccount", "acme/inventory-controller", "verbs", "list", "resources", "pods"),
						"*/*")
					.body())
			.as("deterministic")
			.isEqualTo(yaml);
	}

	@Test
	void anAskedForVersionAndShares() throws Exception {
		HttpResponse<String> response = get(PATH + query("group", "system:serviceaccounts:ci", "verbs", "list,watch",
				"resources", "pods,configmaps", "apiGroups", "", "shares", "5", "apiVersion", "v1beta2"), "text/yaml");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		List<Map<String, Object>> documents = documents(response.body());
		assertThat(at(documents.get(0), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1beta2");
		assertThat(at(documents.get(0), "spec", "limited", "assuredConcurrencyShares")).isEqualTo(5);
		assertThat(at(documents.get(1), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1beta2");
		assertThat(at(documents.get(1), "spec", "rules", 0, "subjects", 0))
			.isEqualTo(Map.of("kind", "Group", "group", Map.of("name", "system:serviceaccounts:ci")));
		assertThat(response.body()).contains("(assuredConcurrencyShares): asked for with ?apiVersion=v1beta2\n");
		assertThat(get(PATH + query("user", "alice", "verbs", "list", "resources", "pods", "apiVersion",
				"flowcontrol.apiserver.k8s.io/v1beta3"), "*/*")
			.body()).contains("apiVersion: flowcontrol.apiserver.k8s.io/v1beta3");
	}

	@Test
	void anUnknownClusterIs404AsInTheRestOfTheApi() throws Exception {
		HttpResponse<String> response = get("/api/v1/clusters/nope/remediations/flowschema"
				+ query("user", "alice", "verbs", "list", "resources", "pods"), "*/*");
		assertThat(response.statusCode()).isEqualTo(404);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("status").asInt()).isEqualTo(404);
		assertThat(error.get("message").asString()).isEqualTo("Unknown cluster 'nope'");
	}

	@Test
	void badAndHostileParametersAre400NamingTheParameter() throws Exception {
		String[][] cases = { { "verbs", "list", "resources", "pods" }, // no subject
				{ "user", "alice", "group", "devs", "verbs", "list", "resources", "pods" },
				{ "serviceAccount", "acme", "verbs", "list", "resources", "pods" },
				{ "serviceAccount", "acme/x\nkind: Secret", "verbs", "list", "resources", "pods" },
				{ "serviceAccount", "acme/\"x\": {}", "verbs", "list", "resources", "pods" },
				{ "user", "alice\n---\napiVersion: v1\nkind: Secret", "verbs", "list", "resources", "pods" },
				{ "user", "alice # comment", "verbs", "list", "resources", "pods" },
				{ "user", "<script>alert(1)</script>", "verbs", "list", "resources", "pods" },
				{ "user", "alice\u2028kind: Secret", "verbs", "list", "resources", "pods" },
				{ "group", "{admins}", "verbs", "list", "resources", "pods" },
				{ "group", "'devs'", "verbs", "list", "resources", "pods" },
				{ "user", "*", "verbs", "list", "resources", "pods" }, { "user", "alice", "resources", "pods" },
				{ "user", "alice", "verbs", "list\n- delete", "resources", "pods" },
				{ "user", "alice", "verbs", "lst", "resources", "pods" },
				{ "user", "alice", "verbs", "list", "resources", "pods: {}" },
				{ "user", "alice", "verbs", "list", "resources", "pods\n#" },
				{ "user", "alice", "verbs", "list", "resources", "Pods" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "apiGroups", "apps\"" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "shares", "0" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "shares", "1000" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "shares", "1\n" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "apiVersion", "v1beta1" },
				{ "user", "alice", "verbs", "list", "resources", "pods", "apiVersion", "v1\n" } };
		String[] expected = { "serviceAccount, user, group", "serviceAccount, user, group", "serviceAccount",
				"serviceAccount", "serviceAccount", "user", "user", "user", "user", "group", "group", "user", "verbs",
				"verbs", "verbs", "resources", "resources", "resources", "apiGroups", "shares", "shares", "shares",
				"apiVersion", "apiVersion" };
		for (int i = 0; i < cases.length; i++) {
			HttpResponse<String> response = get(PATH + query(cases[i]), "*/*");
			assertThat(response.statusCode()).as(String.join(" ", cases[i])).isEqualTo(400);
			JsonNode error = JSON.readTree(response.body());
			assertThat(error.get("status").asInt()).isEqualTo(400);
			assertThat(error.get("message").asString()).as(String.join(" ", cases[i]))
				.startsWith("'" + expected[i] + "': ");
		}
	}

	@Test
	void namesThatLookLikeYamlComeBackAsTheSameStrings() throws Exception {
		for (String name : List.of("null", "~", "true", "no", "123", "0x1F", "1e3", "---", "...", "a:#b", "#x", ":x",
				"x:", "https://issuer.example/#sub", "-", "=", "@admins", "2026-11-22")) {
			HttpResponse<String> response = get(PATH + query("user", name, "verbs", "*", "resources", "*"), "*/*");
			assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(200);
			List<Map<String, Object>> documents = documents(response.body());
			assertThat(documents).as(name).hasSize(2);
			assertThat(at(documents.get(1), "spec", "rules", 0, "subjects", 0))
				.isEqualTo(Map.of("kind", "User", "user", Map.of("name", name)));
			assertThat(response.body().substring(0, response.body().indexOf("\n---\n")).lines())
				.allMatch((line) -> line.matches("#( [ -~]*)?"));
		}
	}

	@Test
	void aClientAcceptingOnlyYamlStillGetsTheReason() throws Exception {
		HttpResponse<String> bad = get(PATH + query("user", "alice\n", "verbs", "list", "resources", "pods"),
				"text/yaml");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(bad.body()).get("message").asString()).startsWith("'user': ");
		HttpResponse<String> unknown = get("/api/v1/clusters/nope/remediations/flowschema"
				+ query("user", "alice", "verbs", "list", "resources", "pods"), "text/yaml");
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(JSON.readTree(unknown.body()).get("message").asString()).isEqualTo("Unknown cluster 'nope'");
		assertThat(get(PATH + query("user", "alice", "verbs", "list", "resources", "pods"), "application/json")
			.statusCode()).as("only YAML is offered").isEqualTo(406);
	}

	static final String PAGED = "/api/v1/clusters/demo/remediations/paged-delete";

	@Test
	void thePagedDeleteIsAShellLoopThatRunsAgainstKubectl(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
		HttpResponse<String> response = get(PAGED + query("resource", "ephemeralreports.reports.kyverno.io",
				"namespace", "team-a", "labelSelector", "app.kubernetes.io/managed-by=kyverno", "pageSize", "500"),
				"text/plain");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).isEqualTo("text/plain;charset=UTF-8");
		String script = response.body();
		assertThat(script).startsWith("# Stop the client that creates them first, or the loop races it.\n")
			.contains("kubectl delete --raw '/apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=500"
					+ "&labelSelector=app.kubernetes.io%2Fmanaged-by%3Dkyverno' >/dev/null || break");
		String out = PagedDeleteTests.run(dir, "2", "ok", script);
		assertThat(out).isEqualTo("deleted page 1\ndeleted page 2\nnone left after 2 pages\n");
		assertThat(Files.readAllLines(dir.resolve("calls"))).first()
			.isEqualTo("get --raw /apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1"
					+ "&labelSelector=app.kubernetes.io%2Fmanaged-by%3Dkyverno");
		assertThat(get(PAGED + query("resource", "events", "namespace", "team-a"), "*/*").body())
			.contains("'/api/v1/namespaces/team-a/events?limit=1000'");
		assertThat(get(PAGED + query("resource", "widgets.acme.io", "version", "v1beta1"), "*/*").body())
			.contains("'/apis/acme.io/v1beta1/widgets?limit=1000'");
	}

	@Test
	void hostilePagedDeleteParametersAre400NamingTheParameter() throws Exception {
		String[][] cases = { { "resource", "events", "namespace", "a'b" },
				{ "resource", "events", "namespace", "$(reboot)" },
				{ "resource", "events", "namespace", "team-a\nrm -rf /" },
				{ "resource", "events", "namespace", "<b>x</b>" },
				{ "resource", "events", "namespace", "Events | where 1==1" }, { "resource", "events" },
				{ "resource", "events$(id)", "namespace", "team-a" },
				{ "resource", "jobs.batch'", "namespace", "team-a" },
				{ "resource", "jobs.batch\n", "namespace", "team-a" },
				{ "resource", "<script>", "namespace", "team-a" }, { "namespace", "team-a" },
				{ "resource", "widgets.acme.io", "namespace", "team-a" },
				{ "resource", "widgets.acme.io", "version", "v1\"", "namespace", "team-a" },
				{ "resource", "events", "namespace", "team-a", "labelSelector", "app=$(reboot)" },
				{ "resource", "events", "namespace", "team-a", "labelSelector", "app=x\nreboot" },
				{ "resource", "events", "namespace", "team-a", "pageSize", "0" },
				{ "resource", "events", "namespace", "team-a", "pageSize", "1e3" },
				{ "resource", "events", "namespace", "team-a", "pageSize", "99999999999" } };
		String[] expected = { "namespace", "namespace", "namespace", "namespace", "namespace", "namespace", "resource",
				"resource", "resource", "resource", "resource", "version", "version", "labelSelector", "labelSelector",
				"pageSize", "pageSize", "pageSize" };
		for (int i = 0; i < cases.length; i++) {
			HttpResponse<String> response = get(PAGED + query(cases[i]), "text/plain");
			assertThat(response.statusCode()).as(String.join(" ", cases[i])).isEqualTo(400);
			JsonNode error = JSON.readTree(response.body());
			assertThat(error.get("message").asString()).as(String.join(" ", cases[i]))
				.startsWith("'" + expected[i] + "': ")
				.doesNotContain("reboot")
				.doesNotContain("<b>")
				.doesNotContain("$(");
		}
		assertThat(
				get("/api/v1/clusters/nope/remediations/paged-delete" + query("resource", "events", "namespace", "a"),
						"text/plain")
					.statusCode())
			.isEqualTo(404);
	}

	HttpResponse<String> get(String path, String accept) throws IOException, InterruptedException {
		return get(path, "Accept", accept);
	}

}
