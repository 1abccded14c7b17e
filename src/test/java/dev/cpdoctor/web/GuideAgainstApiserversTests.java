package dev.cpdoctor.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.YamlTrees;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.apiserver.ApiserverSampler;

import static dev.cpdoctor.web.DiagnosisReader.cause;
import static dev.cpdoctor.web.DiagnosisReader.evidence;
import static dev.cpdoctor.web.DiagnosisReader.kinds;
import static dev.cpdoctor.web.DiagnosisReader.remedy;
import static dev.cpdoctor.web.DiagnosisReader.section;
import static dev.cpdoctor.web.DiagnosisReader.texts;
import static dev.cpdoctor.web.DiagnosisReader.verdicts;
import static dev.cpdoctor.web.GuideClusters.AKS_FLOODER;
import static dev.cpdoctor.web.GuideClusters.CLUSTERS;
import static dev.cpdoctor.web.GuideClusters.FLOODER;
import static dev.cpdoctor.web.GuideClusters.GUARD;
import static dev.cpdoctor.web.GuideClusters.KYVERNO_CONFIGURATION;
import static dev.cpdoctor.web.GuideClusters.KYVERNO_WEBHOOK;
import static dev.cpdoctor.web.GuideClusters.LEAKED;
import static dev.cpdoctor.web.GuideClusters.LEAKED_COUNT;
import static dev.cpdoctor.web.GuideClusters.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guide end to end for real-shaped clusters: the whole app, its configured clusters'
 * kubeconfig pointing at stand-in apiservers ({@link StubApiservers}) that answer with
 * the Kubernetes client's own models, /metrics from the recorded v1.30 scrape, audit
 * events through the audit webhook and an audit log file. One cluster per scenario
 * ({@link GuideClusters}), so the caches of one never answer for another. An application
 * of its own, started once for the class: those clusters are its start-up configuration.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class GuideAgainstApiserversTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static StubApiservers apiservers;

	static Path dir;

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@DynamicPropertySource
	static void clusters(DynamicPropertyRegistry registry) throws IOException {
		dir = Files.createDirectories(Path.of("target", "guide-tests", UUID.randomUUID().toString()));
		apiservers = new StubApiservers();
		GuideClusters.stub(apiservers);
		Path auditLog = Files.writeString(dir.resolve("aks-audit.log"),
				AuditRequest.jsonLines(GuideClusters.aksAudit()));
		GuideClusters.register(registry, apiservers.kubeconfig(dir, CLUSTERS), auditLog);
	}

	@BeforeAll
	static void feed(@Autowired ApiserverSampler sampler, @Autowired ClusterCatalog catalog,
			@Value("${local.server.port}") int port) throws Exception {
		for (String name : CLUSTERS) {
			sampler.scrapeOnce(catalog.find(name).orElseThrow());
		}
		HttpClient http = HttpClient.newHttpClient();
		for (Map.Entry<String, List<AuditRequest>> cluster : GuideClusters.webhookAudit().entrySet()) {
			HttpResponse<String> stored = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/clusters/" + cluster.getKey() + "/audit"))
				.header("Authorization", "Bearer " + token(cluster.getKey()))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(AuditRequest.eventList(cluster.getValue())))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
			assertThat(JSON.readTree(stored.body()).get("events").asLong()).isEqualTo(cluster.getValue().size());
		}
		// The log file of the AKS cluster is followed by the tailer: wait until it has
		// been counted.
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			HttpResponse<String> top = http.send(HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/clusters/aks/audit/top-user-agents"))
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
			if (top.statusCode() == 200 && top.body().contains("report-exporter")) {
				break;
			}
			assertThat(System.nanoTime()).as("the audit log file is read within 30 s: " + top.body())
				.isLessThan(deadline);
			Thread.sleep(200);
		}
	}

	@AfterAll
	static void stop() {
		if (apiservers != null) {
			apiservers.close();
		}
	}

	// ---------------------------------------------------------------- 1 healthy

	@Test
	void aHealthyClusterHasEveryCauseUnlikelyAndNoRemedyNamingACulprit() throws Exception {
		JsonNode timeouts = diagnosis("healthy", "timeouts");
		assertThat(verdicts(timeouts)).containsExactly("1=UNLIKELY", "3=UNLIKELY", "2=UNLIKELY");
		JsonNode webhooks = diagnosis("healthy", "webhook-failures");
		assertThat(verdicts(webhooks)).containsExactly("4=UNLIKELY");

		assertThat(texts(cause(timeouts, 1))).contains("0 of 2 apiserver probes failed");
		// The audit data was read: the ordinary clients are named, none stands out.
		assertThat(texts(cause(timeouts, 3)))
			.anyMatch((t) -> t.startsWith("argocd-application-controller/v2.11.0: 150" + " LIST/PUT requests"))
			.anyMatch((t) -> t.startsWith("kube-controller-manager/v1.30.0"))
			.contains("API Priority and Fairness rejected no request in the window");
		// The recording's biggest resource is events, 115 objects.
		assertThat(texts(cause(timeouts, 2)))
			.contains("No resource over 10,000 objects; the biggest is events with 115");
		assertThat(texts(cause(webhooks, 4))).contains("2 webhooks, none failing closed with a risk sign");

		for (JsonNode cause : List.of(cause(timeouts, 3), cause(timeouts, 2), cause(webhooks, 4))) {
			assertThat(kinds(cause)).as(cause.toString()).containsOnly("ADVICE");
		}
		assertThat(timeouts.toString()).doesNotContain("argocd-application-controller/v2.11.0 with API Priority")
			.doesNotContain("kubectl delete");
	}

	// ---------------------------------------------------------------- 2 webhook

	@Test
	void aFailClosedWebhookWithoutEndpointsAndItsFailedCallsAreLikelyWithItsDelete() throws Exception {
		JsonNode body = diagnosis("webhook", "webhook-failures");
		assertThat(verdicts(body)).containsExactly("4=LIKELY");
		JsonNode cause = cause(body, 4);
		assertThat(texts(cause))
			.anyMatch((t) -> t.startsWith("mutating webhook " + KYVERNO_WEBHOOK + " of " + KYVERNO_CONFIGURATION + ": ")
					&& t.contains("no ready endpoints") && t.contains("kube-system"))
			.anyMatch(
					(t) -> t.startsWith("17x kyverno ReplicaSet/kyverno-admission-controller-6d8f9c7b5d FailedCreate: ")
							&& t.contains("failed calling webhook \"" + KYVERNO_WEBHOOK + "\""))
			.noneMatch((t) -> t.contains("cert-manager") || t.contains("gatekeeper") || t.contains("BackOff"));
		JsonNode delete = cause.get("remedies").get(0);
		assertThat(delete.get("kind").asString()).isEqualTo("COMMAND");
		assertThat(delete.get("text").asString()).isEqualTo("kubectl get mutatingwebhookconfiguration "
				+ KYVERNO_CONFIGURATION + " -o yaml > " + KYVERNO_CONFIGURATION
				+ ".backup.yaml\nkubectl delete mutatingwebhookconfiguration " + KYVERNO_CONFIGURATION + "\n");
		assertThat(body.toString()).doesNotContain("kubectl delete mutatingwebhookconfiguration cert-manager-webhook")
			.doesNotContain("kubectl delete validatingwebhookconfiguration");
	}

	// ---------------------------------------------------------------- 3 leak

	@Test
	void aLeakedCustomResourceIsLikelyWithThePagedDeleteOfThatResource() throws Exception {
		JsonNode body = diagnosis("leak", "high-latency");
		assertThat(verdicts(body)).containsExactly("3=UNKNOWN", "2=LIKELY");
		JsonNode leak = cause(body, 2);
		JsonNode evidence = leak.get("evidence").get(0);
		assertThat(evidence.get("text").asString()).startsWith(LEAKED + ": 48,213 objects, over 10,000");
		assertThat(evidence.get("value").asLong()).isEqualTo(LEAKED_COUNT);
		JsonNode paged = remedy(leak, "Delete the ");
		assertThat(paged.get("kind").asString()).isEqualTo("COMMAND");
		assertThat(paged.get("text").asString())
			.contains("/apis/reports.kyverno.io/v1/namespaces/your-namespace/ephemeralreports?limit=1000");
		assertThat(remedy(leak, "Count the ").get("text").asString()).startsWith("kubectl get " + LEAKED + " -A");
		// no audit source configured for this cluster: cause 3 says so rather than
		// guessing
		assertThat(texts(cause(body, 3))).anyMatch((t) -> t.startsWith("Audit data unknown: "));
	}

	// ---------------------------------------------------------------- 4 flood

	@Test
	void aListFloodIsLikelyAndItsThrottleIsWrittenInTheOnlyServedVersion() throws Exception {
		JsonNode body = diagnosis("flood", "high-latency");
		assertThat(verdicts(body)).containsExactly("3=LIKELY", "2=UNLIKELY");
		JsonNode calls = cause(body, 3);
		// 600 of the 810 LIST/PUT requests of the top clients (600 + 150 + 60; the
		// kubelet only GETs).
		JsonNode flooder = evidence(calls, FLOODER + ": ");
		assertThat(flooder.get("text").asString()).startsWith(FLOODER + ": 600 LIST/PUT requests, ");
		assertThat(flooder.get("value").asDouble()).isGreaterThan(0.30);
		JsonNode throttle = calls.get("remedies").get(0);
		assertThat(throttle.get("kind").asString()).isEqualTo("YAML");
		assertThat(throttle.get("summary").asString()).contains("flowcontrol.apiserver.k8s.io/v1beta3");
		List<Map<String, Object>> documents = YamlTrees.documents(throttle.get("text").asString());
		assertThat(documents).hasSize(2);
		for (Map<String, Object> document : documents) {
			assertThat(YamlTrees.at(document, "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1beta3");
		}
		assertThat(YamlTrees.at(documents.get(0), "kind")).isEqualTo("PriorityLevelConfiguration");
		assertThat(YamlTrees.at(documents.get(0), "spec", "limited", "nominalConcurrencyShares")).isEqualTo(1);
		assertThat(YamlTrees.at(documents.get(1), "spec", "rules")).asString()
			.contains("inventory-controller")
			.contains("acme")
			.contains("pods")
			.contains("list");
		assertThat(throttle.get("text").asString()).doesNotContain("assuredConcurrencyShares")
			.doesNotContain("flowcontrol.apiserver.k8s.io/v1\n");
		// no guard on a self-managed cluster: the AKS evidence belongs to AKS clusters
		// only
		assertThat(body.toString()).doesNotContain(GUARD);
	}

	@Test
	void onAksTheGuardFlowSchemaIsNamedBesideTheFlood() throws Exception {
		JsonNode body = diagnosis("aks", "high-latency");
		assertThat(verdicts(body)).containsExactly("3=LIKELY", "2=UNLIKELY");
		JsonNode calls = cause(body, 3);
		assertThat(calls.get("evidence").get(0).get("text").asString())
			.isEqualTo("AKS is already throttling: FlowSchema " + GUARD
					+ " exists (matchingPrecedence 300, priority level " + GUARD
					+ ", flowcontrol.apiserver.k8s.io/v1): AKS found the apiserver overwhelmed by LIST calls");
		assertThat(evidence(calls, AKS_FLOODER + ": ").get("text").asString())
			.startsWith(AKS_FLOODER + ": 600 LIST/PUT requests, ");
		assertThat(remedy(calls, "See which requests AKS throttles").get("text").asString())
			.isEqualTo("kubectl get flowschema " + GUARD + " -o yaml\nkubectl get prioritylevelconfiguration " + GUARD
					+ " -o yaml");
		JsonNode throttle = remedy(calls, "Throttle ");
		assertThat(throttle.get("kind").asString()).isEqualTo("YAML");
		List<Map<String, Object>> documents = YamlTrees.documents(throttle.get("text").asString());
		assertThat(YamlTrees.at(documents.get(0), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1");
		assertThat(YamlTrees.at(documents.get(1), "spec", "rules")).asString()
			.contains("report-exporter")
			.contains("monitoring")
			.contains("secrets");
	}

	// ---------------------------------------------------------------- 5 struggling

	@Test
	void probesThatTimeOutMakeTheNetworkLikelyAndThePageStillRenders() throws Exception {
		JsonNode body = diagnosis("slow", "timeouts");
		assertThat(verdicts(body)).containsExactly("1=LIKELY", "3=UNLIKELY", "2=UNLIKELY");
		assertThat(texts(cause(body, 1))).contains("2 of 2 apiserver probes failed",
				"/readyz: GET /readyz?verbose timed out after PT2S", "/livez: GET /livez?verbose timed out after PT2S");

		HttpResponse<String> page = get("/troubleshoot/timeouts?cluster=slow", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		String network = section(page.body(), "id=\"cause-1\"");
		assertThat(network).contains("data-verdict=\"LIKELY\"").contains("GET /readyz?verbose timed out after PT2S");
		assertThat(section(page.body(), "id=\"cause-2\"")).contains("data-verdict=\"UNLIKELY\"");
	}

	@Test
	void aFailingEtcdCheckIsShownInTheNetworkEvidenceAndOnThePage() throws Exception {
		JsonNode body = diagnosis("etcdfail", "timeouts");
		// The apiserver answered: the network carried the probes, whatever they said.
		assertThat(verdicts(body)).containsExactly("1=UNLIKELY", "3=UNLIKELY", "2=UNLIKELY");
		assertThat(texts(cause(body, 1))).contains("0 of 2 apiserver probes failed",
				"/readyz answered, not passing: readyz check failed: etcd",
				"/livez answered, not passing: livez check failed: etcd");

		HttpResponse<String> page = get("/troubleshoot/timeouts?cluster=etcdfail", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(section(page.body(), "id=\"cause-1\"")).contains("readyz check failed: etcd");
	}

	// ---------------------------------------------------------------- 6 failing sources

	@Test
	void failingSourcesMakeTheirCauseUnknownWithTheReasonAndLeaveTheOthers() throws Exception {
		JsonNode webhooks = diagnosis("broken", "webhook-failures");
		assertThat(verdicts(webhooks)).containsExactly("4=UNKNOWN");
		assertThat(texts(cause(webhooks, 4))).containsExactly(
				"Webhook configurations unknown: LIST validatingwebhookconfigurations answered HTTP 403 (forbidden: the"
						+ " identity lacks RBAC for it)",
				"Failed webhook calls unknown: LIST Warning events answered HTTP 500");
		// the same cluster's other causes read other sources: unaffected
		JsonNode timeouts = diagnosis("broken", "timeouts");
		assertThat(verdicts(timeouts)).containsExactly("1=UNLIKELY", "3=UNLIKELY", "2=UNLIKELY");
		assertThat(texts(cause(timeouts, 2)))
			.contains("No resource over 10,000 objects; the biggest is events with 115");
	}

	// ---------------------------------------------------------------- a good client

	@Test
	void everyListIsPaginatedAndASecondDiagnosisWithinTheCacheLifetimeListsNothing() throws Exception {
		for (String cluster : List.of("webhook", "aks")) {
			String symptom = cluster.equals("webhook") ? "webhook-failures" : "high-latency";
			diagnosis(cluster, symptom);
			int lists = apiservers.lists(cluster).size();
			assertThat(lists).as(cluster).isPositive();
			diagnosis(cluster, symptom);
			assertThat(apiservers.lists(cluster)).as(cluster + ": the second diagnosis is answered from the caches")
				.hasSize(lists);
		}
		diagnosis("healthy", "timeouts");
		diagnosis("healthy", "webhook-failures");
		List<LoggedRequest> lists = new ArrayList<>();
		CLUSTERS.forEach((c) -> lists.addAll(apiservers.lists(c)));
		assertThat(lists).as("LISTs of webhook configurations, endpointslices, events and flowschemas")
			.hasSizeGreaterThan(10);
		assertThat(lists).allSatisfy(
				(r) -> assertThat(r.queryParameter("limit").isPresent()).as(r.getUrl() + " carries limit=").isTrue());
		assertThat(lists).noneSatisfy((r) -> assertThat(r.getUrl()).contains("resourceVersion=0"));
		assertThat(apiservers.requests()).allSatisfy((r) -> {
			assertThat(r.getHeader("User-Agent")).as(r.getUrl()).startsWith("control-plane-doctor/");
			assertThat(r.getHeader("Authorization")).as(r.getUrl()).isEqualTo("Bearer " + StubApiservers.TOKEN);
		});
	}

	// ---------------------------------------------------------------- helpers

	private JsonNode diagnosis(String cluster, String symptom) throws Exception {
		HttpResponse<String> response = get("/api/v1/clusters/" + cluster + "/diagnosis?symptom=" + symptom,
				"application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private HttpResponse<String> get(String path, String accept) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Accept", accept)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
