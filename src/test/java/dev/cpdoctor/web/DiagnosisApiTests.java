package dev.cpdoctor.web;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnosis JSON API over HTTP on the demo: its three stories give the three
 * verdicts.
 */
class DiagnosisApiTests extends AbstractEndToEndTests {

	@Autowired
	DemoData demo;

	@Test
	void timeoutsWalkCausesOneThreeTwoWithTheDemosFloodAndLeakLikely() throws Exception {
		JsonNode body = json("/api/v1/clusters/demo/diagnosis?symptom=timeouts");
		TimeWindow incident = this.demo.scenario().incidentWindow();
		assertThat(body.get("cluster").asString()).isEqualTo("demo");
		assertThat(body.get("symptom").asString()).isEqualTo("timeouts");
		assertThat(body.get("from").asString()).isEqualTo(incident.from().toString());
		assertThat(body.get("to").asString()).isEqualTo(incident.to().toString());
		assertThat(ids(body)).containsExactly(1, 3, 2);
		assertThat(verdicts(body)).containsExactly("UNLIKELY", "LIKELY", "LIKELY");
		JsonNode network = body.get("causes").get(0);
		// The demo's apiserver answers both probes: the network carried them.
		assertThat(network.get("evidence").get(0).get("text").asString()).isEqualTo("0 of 2 apiserver probes failed");
	}

	@Test
	void highLatencyNamesTheFloodingClientAndLinksTheThrottle() throws Exception {
		JsonNode body = json("/api/v1/clusters/demo/diagnosis?symptom=high-latency");
		assertThat(ids(body)).containsExactly(3, 2);
		assertThat(verdicts(body)).containsExactly("LIKELY", "LIKELY");
		JsonNode calls = body.get("causes").get(0);
		JsonNode flooder = null;
		for (JsonNode e : calls.get("evidence")) {
			if (e.get("text").asString().startsWith(DemoScenario.FLOODING_USER_AGENT + ":")) {
				flooder = e;
			}
		}
		assertThat(flooder).as(calls.toString()).isNotNull();
		assertThat(flooder.get("value").asDouble()).isGreaterThan(0.30);
		assertThat(flooder.get("link").asString())
			.startsWith("/api/v1/clusters/demo/audit/p99?userAgent=inventory-controller");
		JsonNode throttle = calls.get("remedies").get(0);
		assertThat(throttle.get("kind").asString()).isEqualTo("ADVICE");
		assertThat(throttle.get("summary").asString()).contains("inventory-controller")
			.contains("/api/v1/clusters/demo/remediations/flowschema?serviceAccount=<namespace>/<name>&verbs=list");
		JsonNode leak = body.get("causes").get(1);
		assertThat(leak.get("evidence").get(0).get("text").asString())
			.startsWith("ephemeralreports.reports.kyverno.io: ");
		assertThat(kinds(leak)).contains("COMMAND", "YAML");
		// the follow-up the evidence links to answers
		assertThat(get(flooder.get("link").asString()).statusCode()).isEqualTo(200);
	}

	@Test
	void webhookFailuresFindTheFailingKyvernoWebhookAndOfferItsDelete() throws Exception {
		JsonNode body = json("/api/v1/clusters/demo/diagnosis?symptom=webhook-failures");
		assertThat(ids(body)).containsExactly(4);
		assertThat(verdicts(body)).containsExactly("LIKELY");
		JsonNode remedy = body.get("causes").get(0).get("remedies").get(0);
		assertThat(remedy.get("kind").asString()).isEqualTo("COMMAND");
		assertThat(remedy.get("text").asString())
			.contains("kubectl delete mutatingwebhookconfiguration kyverno-resource-mutating-webhook-cfg\n")
			.doesNotContain("cert-manager");
		assertThat(remedy.get("warnings").size()).isPositive();
	}

	@Test
	void anExplicitWindowIsUsedAsGiven() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String from = incident.to().minusSeconds(3600).toString();
		JsonNode body = json(
				"/api/v1/clusters/demo/diagnosis?symptom=high-latency&from=" + from + "&to=" + incident.to());
		assertThat(body.get("from").asString()).isEqualTo(from);
		assertThat(verdicts(body)).containsExactly("LIKELY", "LIKELY");
	}

	@Test
	void badRequestsSayWhy() throws Exception {
		HttpResponse<String> symptom = get("/api/v1/clusters/demo/diagnosis?symptom=%3Cb%3Eslow");
		assertThat(symptom.statusCode()).isEqualTo(400);
		assertThat(symptom.body()).contains("'symptom' must be one of timeouts, high-latency, webhook-failures");
		HttpResponse<String> missing = get("/api/v1/clusters/demo/diagnosis");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(missing.body()).contains("'symptom' must be one of");
		HttpResponse<String> cluster = get("/api/v1/clusters/nowhere/diagnosis?symptom=timeouts");
		assertThat(cluster.statusCode()).isEqualTo(404);
		assertThat(cluster.body()).contains("Unknown cluster 'nowhere'");
		HttpResponse<String> window = get("/api/v1/clusters/demo/diagnosis?symptom=timeouts&from=2026-11-20T10:00:00Z");
		assertThat(window.statusCode()).isEqualTo(400);
		assertThat(window.body()).contains("Give both 'from' and 'to'");
	}

	@Test
	void theNamespaceParameterWritesTheLeakRemediesForIt() throws Exception {
		JsonNode chosen = json("/api/v1/clusters/demo/diagnosis?symptom=timeouts&namespace=team-a");
		assertThat(chosen.get("namespace").asString()).isEqualTo("team-a");
		String leak = chosen.get("causes").get(2).get("remedies").toString();
		assertThat(leak).contains("/apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1000")
			.contains("namespace: team-a")
			.doesNotContain("your-namespace");
		JsonNode none = json("/api/v1/clusters/demo/diagnosis?symptom=timeouts");
		assertThat(none.get("namespace").isNull()).isTrue();
		// none chosen: the demo's direct etcd scan names the namespace holding the leak,
		// and the evidence says so
		assertThat(none.get("causes").get(2).get("remedies").toString())
			.contains("/namespaces/" + DemoScenario.LEAKING_NAMESPACE + "/ephemeralreports?limit=1000")
			.doesNotContain("No namespace chosen: your-namespace is a placeholder");
		assertThat(none.get("causes").get(2).get("evidence").toString())
			.contains("The remedies act on namespace " + DemoScenario.LEAKING_NAMESPACE + ": no namespace was chosen");
	}

	@Test
	void aBadNamespaceIs400NamingIt() throws Exception {
		for (String hostile : List.of("a'b", "$(reboot)", "acme\n", "acme\nrm -rf /", "<b>x</b>", "x\"; drop",
				"Events | where 1==1", "Acme", "a_b", "a.b", "a".repeat(64))) {
			HttpResponse<String> response = get("/api/v1/clusters/demo/diagnosis?symptom=timeouts&namespace="
					+ URLEncoder.encode(hostile, StandardCharsets.UTF_8));
			assertThat(response.statusCode()).as(hostile).isEqualTo(400);
			JsonNode error = JSON.readTree(response.body());
			assertThat(error.get("message").asString()).as(hostile)
				.startsWith("'namespace': a namespace is a DNS-1123 label")
				.doesNotContain(hostile);
		}
	}

	private HttpResponse<String> get(String path) throws Exception {
		return get(path, "Accept", "application/json");
	}

	private static List<Integer> ids(JsonNode body) {
		List<Integer> ids = new ArrayList<>();
		body.get("causes").forEach((c) -> ids.add(c.get("id").asInt()));
		return ids;
	}

	private static List<String> verdicts(JsonNode body) {
		List<String> verdicts = new ArrayList<>();
		body.get("causes").forEach((c) -> verdicts.add(c.get("verdict").asString()));
		return verdicts;
	}

	private static List<String> kinds(JsonNode cause) {
		List<String> kinds = new ArrayList<>();
		cause.get("remedies").forEach((r) -> kinds.add(r.get("kind").asString()));
		return kinds;
	}

}
