package dev.cpdoctor.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.TestApp;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.apiserver.ApiserverSampler;
import dev.cpdoctor.source.apiserver.KubernetesFlowcontrolVersionsTests;
import dev.cpdoctor.source.apiserver.KubernetesMetricsScraperTests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.cpdoctor.YamlTrees.at;
import static dev.cpdoctor.YamlTrees.documents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole app generating remedies for real clusters: one stand-in apiserver per path
 * prefix, each answering API discovery as a range of Kubernetes releases does, or
 * failing.
 */
class RemediationDiscoveryTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String QUERY = RemediationApiTests.query("serviceAccount", "acme/inventory-controller",
			"verbs", "list", "resources", "pods");

	/**
	 * cluster (and kubeconfig context, and path prefix) -> what its apiserver answers.
	 */
	private static final List<String> CLUSTERS = List.of("v132", "v130", "v125", "broken", "slow", "noapf", "known");

	@TempDir
	static Path dir;

	static WireMockServer apiserver;

	static TestApp app;

	/**
	 * An application of its own for the class: its clusters are the stand-in apiserver's,
	 * with a 1 s timeout.
	 */
	@BeforeAll
	static void start() throws IOException {
		apiserver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		apiserver.start();
		for (String cluster : CLUSTERS) {
			String version = cluster.equals("known")
					? KubernetesMetricsScraperTests.VERSION_JSON.replace("\"minor\":\"30\"", "\"minor\":\"27\"")
						.replace("v1.30.0", "v1.27.16")
					: KubernetesMetricsScraperTests.VERSION_JSON;
			apiserver.stubFor(get(urlPathMatching("/" + cluster + "/version/?")).willReturn(
					aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(version)));
		}
		discovery("v132", 200, KubernetesFlowcontrolVersionsTests.apiGroup("1.32"), 0);
		discovery("v130", 200, KubernetesFlowcontrolVersionsTests.apiGroup("1.30"), 0);
		discovery("v125", 200, KubernetesFlowcontrolVersionsTests.apiGroup("1.25"), 0);
		discovery("broken", 500, "{\"kind\":\"Status\",\"message\":\"etcdserver: leader changed\"}", 0);
		discovery("slow", 200, KubernetesFlowcontrolVersionsTests.apiGroup("1.32"), 5_000);
		discovery("noapf", 404, "{\"kind\":\"Status\",\"code\":404}", 0);
		discovery("known", 503, "{\"kind\":\"Status\",\"message\":\"too many requests\"}", 0);
		apiserver.stubFor(get(urlEqualTo("/known/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain; version=0.0.4")
			.withBody(Files.readAllBytes(Fixtures.path("apiserver-metrics/apiserver-v1.27.prom")))));

		StringBuilder kubeconfig = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
		CLUSTERS.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  cluster:\n    server: http://127.0.0.1:")
			.append(apiserver.port())
			.append('/')
			.append(c)
			.append('\n'));
		kubeconfig.append("contexts:\n");
		CLUSTERS.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  context:\n    cluster: ")
			.append(c)
			.append("\n    user: admin\n"));
		kubeconfig.append("current-context: v132\nusers:\n- name: admin\n  user:\n    token: remedy-token\n");
		Path file = Files.writeString(dir.resolve("kubeconfig"), kubeconfig);

		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", dir.resolve("data").toString());
		properties.put("cpdoctor.kubeconfig.path", file.toString());
		properties.put("cpdoctor.apiserver.timeout", "1s");
		properties.put("cpdoctor.apiserver.initial-delay", "1h");
		for (int i = 0; i < CLUSTERS.size(); i++) {
			properties.put("cpdoctor.clusters[" + i + "].name", CLUSTERS.get(i));
			properties.put("cpdoctor.clusters[" + i + "].provider", "self-managed");
			properties.put("cpdoctor.clusters[" + i + "].context", CLUSTERS.get(i));
		}
		app = TestApp.start(properties);
	}

	private static void discovery(String cluster, int status, String body, int delayMillis) {
		apiserver.stubFor(get(urlPathMatching("/" + cluster + "/apis/flowcontrol.apiserver.k8s.io/?"))
			.willReturn(aResponse().withStatus(status)
				.withHeader("Content-Type", "application/json")
				.withBody(body)
				.withFixedDelay(delayMillis)));
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		apiserver.stop();
	}

	private static HttpResponse<String> remedy(String cluster, String query) throws Exception {
		return app.get("/api/v1/clusters/" + cluster + "/remediations/flowschema" + query, "Accept", "*/*");
	}

	private static int discoveryCalls(String cluster) {
		return apiserver
			.findAll(getRequestedFor(urlPathMatching("/" + cluster + "/apis/flowcontrol.apiserver.k8s.io/?")))
			.size();
	}

	@Test
	void theNewestServedVersionOfEachRelease() throws Exception {
		Map<String, String> expected = Map.of("v132", "v1", "v130", "v1", "v125", "v1beta2");
		for (Map.Entry<String, String> cluster : expected.entrySet()) {
			HttpResponse<String> response = remedy(cluster.getKey(), QUERY);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Type")).contains("text/yaml;charset=UTF-8");
			List<Map<String, Object>> documents = documents(response.body());
			String apiVersion = "flowcontrol.apiserver.k8s.io/" + cluster.getValue();
			assertThat(at(documents.get(0), "apiVersion")).as(cluster.getKey()).isEqualTo(apiVersion);
			assertThat(at(documents.get(1), "apiVersion")).as(cluster.getKey()).isEqualTo(apiVersion);
			String field = cluster.getValue().equals("v1beta2") ? "assuredConcurrencyShares"
					: "nominalConcurrencyShares";
			assertThat(at(documents.get(0), "spec", "limited", field)).as(cluster.getKey()).isEqualTo(1);
			assertThat(response.body()).contains("(API discovery); the newest is used");
		}
		assertThat(remedy("v130", QUERY).body()).contains("# Version:   flowcontrol.apiserver.k8s.io/v1"
				+ " (nominalConcurrencyShares): the apiserver serves v1, v1beta3 (API discovery)");
		assertThat(remedy("v125", QUERY).body()).contains("the apiserver serves v1beta2, v1beta1 (API discovery)");
	}

	@Test
	void discoveryIsOneCallWithOurUserAgentThenCached() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(remedy("v132", RemediationApiTests.query("user", "u" + i, "verbs", "list", "resources", "pods"))
				.statusCode()).isEqualTo(200);
		}
		assertThat(discoveryCalls("v132")).isEqualTo(1);
		apiserver.verify(getRequestedFor(urlPathMatching("/v132/apis/flowcontrol.apiserver.k8s.io/?"))
			.withHeader("User-Agent", matching("control-plane-doctor/.*"))
			.withHeader("Authorization", matching("Bearer remedy-token")));
	}

	@Test
	void aFailingDiscoveryFallsBackToV1AndSaysWhy() throws Exception {
		HttpResponse<String> response = remedy("broken", QUERY);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(at(documents(response.body()).get(0), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1");
		assertThat(response.body())
			.contains("no API discovery (GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 500)"
					+ " and the Kubernetes version is unknown");
		remedy("broken", QUERY);
		assertThat(discoveryCalls("broken")).as("a failure is kept briefly too").isEqualTo(1);
	}

	@Test
	void aSlowDiscoveryIsCutOffAtTheTimeout() throws Exception {
		long started = System.nanoTime();
		HttpResponse<String> response = remedy("slow", QUERY);
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(4_000));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body())
			.contains("no API discovery (GET /apis/flowcontrol.apiserver.k8s.io timed out after PT1S)");
		assertThat(at(documents(response.body()).get(1), "apiVersion")).isEqualTo("flowcontrol.apiserver.k8s.io/v1");
	}

	@Test
	void withoutDiscoveryTheLastScrapedVersionDecides() throws Exception {
		ApiserverSampler sampler = app.bean(ApiserverSampler.class);
		sampler.scrapeOnce(app.bean(ClusterCatalog.class).find("known").orElseThrow());
		assertThat(
				sampler.status(app.bean(ClusterCatalog.class).find("known").orElseThrow()).orElseThrow().gitVersion())
			.isEqualTo("v1.27.16");
		HttpResponse<String> response = remedy("known", QUERY);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(at(documents(response.body()).get(0), "apiVersion"))
			.isEqualTo("flowcontrol.apiserver.k8s.io/v1beta3");
		assertThat(response.body())
			.contains("no API discovery (GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 503);"
					+ " Kubernetes v1.27.16 (the last /metrics scrape) serves it as the newest");
	}

	@Test
	void aClusterNotServingTheGroupIs409UnlessAVersionIsAskedFor() throws Exception {
		HttpResponse<String> response = remedy("noapf", QUERY);
		assertThat(response.statusCode()).isEqualTo(409);
		JsonNode error = JSON.readTree(response.body());
		assertThat(error.get("message").asString()).contains("does not serve flowcontrol.apiserver.k8s.io")
			.contains("?apiVersion=");
		HttpResponse<String> asked = remedy("noapf", QUERY + "&apiVersion=v1");
		assertThat(asked.statusCode()).isEqualTo(200);
		assertThat(asked.body()).contains("asked for with ?apiVersion=v1");
	}

}
