package dev.cpdoctor.source;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.BufferedCallRecorder;
import dev.cpdoctor.source.apiserver.ApiserverConfiguration;
import dev.cpdoctor.source.apiserver.KubernetesMetricsScraperTests;
import dev.cpdoctor.source.demo.DemoConfiguration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network evidence as the application wires it: demo values for the demo,
 * configuration for AKS.
 */
class NetworkEvidenceWiringTests {

	private static final String ID = "/subscriptions/0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f21/resourceGroups/rg-prod"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	@TempDir
	Path dataDir;

	/** The stores, the demo, the apiserver and the routes between them; no server. */
	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(SourcesConfiguration.class, ApiserverConfiguration.class, DemoConfiguration.class);

	@Test
	void theDemoGetsItsValuesAndAnAksClusterItsCommands() {
		this.runner
			.withPropertyValues("cpdoctor.clusters[0].name=prod-weu", "cpdoctor.clusters[0].provider=aks",
					"cpdoctor.clusters[0].azure.resource-id=" + ID, "cpdoctor.kubeconfig.offer-current-context=false")
			.run((app) -> {
				NetworkEvidenceSource evidence = app.getBean(NetworkEvidenceSource.class);
				ClusterCatalog catalog = app.getBean(ClusterCatalog.class);
				Cluster demo = catalog.find(ClusterCatalog.DEMO_NAME).orElseThrow();
				assertThat(evidence.probes(demo).bothPassed()).isTrue();
				Cluster aks = catalog.find("prod-weu").orElseThrow();
				assertThat(evidence.connectivityCheck(aks).success()).isEqualTo(ConnectivityCommands.AKS_SUCCESS);
				assertThat(evidence.connectivityCheck(aks).commands().get(0)).contains("--cluster-name='prod-weu'");
				assertThat(evidence.probes(aks).readyz().outcome()).as("no context configured")
					.isEqualTo(Outcome.NOT_CALLED);
				assertThat(evidence.callHistory(aks, TimeWindow.ending(Instant.now(), Duration.ofHours(1))))
					.isInstanceOf(SourceResult.Failed.class);
			});
	}

	/**
	 * A configured cluster as the application wires it: its scrape and probes go through
	 * the one recording client, the recorder writes them, and cause 1 reads them back (a
	 * probe timing out past the 1 s timeout is one failed call of a clean history:
	 * POSSIBLE, from the probes). An application of its own: the first scrape 100 ms
	 * after start-up and a 1 s apiserver timeout are its configuration, and the diagnosis
	 * and health it reads are the running application's, over HTTP.
	 */
	@Test
	void aClustersOwnCallsAreRecordedWrittenAndReadByCauseOne() throws Exception {
		WireMockServer apiserver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		apiserver.start();
		try {
			apiserver.stubFor(get(urlPathMatching("/version/?")).willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(KubernetesMetricsScraperTests.VERSION_JSON)));
			apiserver
				.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(403).withBody("forbidden")));
			apiserver.stubFor(get(urlPathEqualTo("/readyz"))
				.willReturn(aResponse().withStatus(200).withFixedDelay(4_000).withBody("readyz check passed")));
			apiserver.stubFor(get(urlPathEqualTo("/livez"))
				.willReturn(aResponse().withStatus(200).withBody("livez check passed")));
			Path kubeconfig = KubernetesMetricsScraperTests.kubeconfig(this.dataDir, apiserver.port());
			try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.resolve("data").toString(),
					"cpdoctor.kubeconfig.path", kubeconfig.toString(), "cpdoctor.clusters[0].name", "lab",
					"cpdoctor.clusters[0].context", "lab-admin", "cpdoctor.apiserver.initial-delay", "100ms",
					"cpdoctor.apiserver.timeout", "1s"))) {
				String first = app.get("/api/v1/clusters/lab/diagnosis?symptom=timeouts", "Accept", "application/json")
					.body();
				assertThat(first).contains("\"verdict\":\"POSSIBLE\"");
				app.bean(BufferedCallRecorder.class).flush();
				Cluster lab = app.bean(ClusterCatalog.class).find("lab").orElseThrow();
				SourceResult<CallHistory> read = app.bean(NetworkEvidenceSource.class)
					.callHistory(lab, TimeWindow.ending(Instant.now().plusSeconds(1), Duration.ofHours(1)));
				CallHistory history = ((SourceResult.Ok<CallHistory>) read).value();
				assertThat(history.failures()).containsEntry("timeout", 1);
				assertThat(history.lastNetworkFailure().kind()).isEqualTo("readyz");
				String second = app.get("/api/v1/clusters/lab/diagnosis?symptom=timeouts", "Accept", "application/json")
					.body();
				assertThat(second).containsPattern("Failed calls by kind: [^\"]*timeout 1");
				assertThat(app.bean(BufferedCallRecorder.class).counts().dropped()).isZero();
				var health = JsonMapper.builder()
					.build()
					.readTree(app.get("/actuator/health", "Accept", "application/json").body())
					.get("components")
					.get("ownCalls");
				assertThat(health.get("status").asString()).isEqualTo("UP");
				assertThat(health.get("details").get("written").asLong()).isPositive();
				assertThat(health.get("details").get("dropped").asLong()).isZero();
			}
		}
		finally {
			apiserver.stop();
		}
	}

}
