package dev.cpdoctor.source.loganalytics;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.source.azuremonitor.AksEtcdUsageMetricTests;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A configured AKS cluster whose audit pages and API answer from its Log Analytics
 * workspace. The cluster and its stand-in workspace are the applications' start-up
 * configuration, so the tests start applications of their own: two, as a test that counts
 * the workspace's queries needs them not already answered from the cache of another
 * test's pages.
 */
class LogAnalyticsClusterTests {

	private static final String WORKSPACE = "11111111-2222-3333-4444-555555555555";

	private static final String RESOURCE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	/** The workspace, Resource Manager and Azure Monitor of every application here. */
	private static WireMockServer workspace;

	@BeforeAll
	static void startTheWorkspace() {
		workspace = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		workspace.start();
	}

	@AfterAll
	static void stopTheWorkspace() {
		workspace.stop();
	}

	/** What a test stubs or counts is its own: the workspace starts afresh for each. */
	@BeforeEach
	void answerTheTopUserAgents() {
		workspace.resetAll();
		workspace.stubFor(post(urlEqualTo("/v1/workspaces/" + WORKSPACE + "/query")).willReturn(aResponse()
			.withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody(
					"""
							{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],
							 "rows":[["inventory-controller/v2.3.0 (linux/amd64)",20426],["<script>alert('ua')</script>",12]]}]}""")));
	}

	private static Map<String, Object> properties(Path dataDir) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", dataDir.toString());
		properties.put("cpdoctor.clusters[0].name", "prod-weu");
		properties.put("cpdoctor.clusters[0].provider", "aks");
		properties.put("cpdoctor.clusters[0].log-analytics.workspace-id", WORKSPACE);
		properties.put("cpdoctor.clusters[0].log-analytics.table-mode", "aks-audit");
		properties.put("cpdoctor.clusters[0].log-analytics.endpoint", "http://127.0.0.1:" + workspace.port() + "/v1");
		properties.put("cpdoctor.clusters[0].azure.resource-id", RESOURCE_ID);
		properties.put("cpdoctor.azure.credential", "none");
		properties.put("cpdoctor.azure.metrics-endpoint", "http://127.0.0.1:" + workspace.port());
		properties.put("cpdoctor.azure.management-endpoint", "http://127.0.0.1:" + workspace.port());
		return properties;
	}

	/** One application for the tests of a nested class, on the stand-in workspace. */
	@TestInstance(Lifecycle.PER_CLASS)
	abstract class OneApplication {

		TestApp app;

		@BeforeAll
		void start(@TempDir Path dataDir) {
			this.app = TestApp.start(properties(dataDir));
		}

		@AfterAll
		void stop() {
			if (this.app != null) {
				this.app.close();
			}
		}

	}

	/**
	 * The pages and the guide of the cluster: they count only what no other test here
	 * asks (Resource Manager, the documented form's queries).
	 */
	@Nested
	class PagesAndGuide extends OneApplication {

		@Test
		void withoutAnApiserverSampleTheGaugeShowsTheAksPlatformMetric() throws Exception {
			workspace.stubFor(WireMock.get(WireMock.urlPathMatching("(?i).*/providers/microsoft.insights/metrics"))
				.willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(AksEtcdUsageMetricTests.metricsBody())));
			TestApp app = this.app;
			String etcd = app.get("/etcd?cluster=prod-weu&from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z").body();
			assertThat(etcd).contains("id=\"etcd-gauge\"")
				.contains("<span>43.5 %</span>")
				.contains("<span>3.48 GiB</span>")
				.contains("From the platform metric")
				.contains("No etcd sample of cluster &#39;prod-weu&#39;");
			String overview = app.get("/?cluster=prod-weu&from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z").body();
			assertThat(overview).contains("etcd_database_usage_percentage (AKS platform metric)");
		}

		/**
		 * The wiring end to end: cause 3 of the AKS cluster reads its tier from Resource
		 * Manager, once for all viewers.
		 */
		@Test
		void theGuideAssertsTheFreeTierReadFromResourceManager() throws Exception {
			String managedCluster;
			try (var in = getClass().getResourceAsStream("/dev/cpdoctor/source/azure/managed-cluster-free.json")) {
				managedCluster = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			workspace.stubFor(WireMock.get(urlEqualTo(RESOURCE_ID + "?api-version=2024-09-01"))
				.willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(managedCluster)));
			TestApp app = this.app;
			String page = app
				.get("/troubleshoot/high-latency?cluster=prod-weu&from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z")
				.body();
			assertThat(page).contains("AKS SKU tier Free (Azure Resource Manager): no uptime SLA")
				.contains("This cluster is on the Free tier (no uptime SLA, a smaller apiserver)")
				.contains("az aks update --resource-group &#39;rg&#39; --name &#39;prod-weu&#39; --tier standard");
			String api = app.get("/api/v1/clusters/prod-weu/diagnosis?symptom=timeouts", "Accept", "application/json")
				.body();
			assertThat(api).contains("AKS SKU tier Free (Azure Resource Manager)");
			workspace.verify(1, WireMock.getRequestedFor(urlEqualTo(RESOURCE_ID + "?api-version=2024-09-01")));
		}

		@Test
		void theDocumentedFormIsASwitchInTheUrlAndShowKqlShowsWhatWasSent() throws Exception {
			TestApp app = this.app;
			String corrected = app.get("/audit?cluster=prod-weu&from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z")
				.body();
			assertThat(corrected).contains("id=\"form-switch\"")
				.contains("(shown: corrected;")
				.contains("id=\"show-kql\"")
				.contains("summarize by AuditId, UserAgent")
				.contains(
						"href=\"/audit?cluster=prod-weu&amp;from=2026-11-22T07%3A00%3A00Z&amp;to=2026-11-22T08%3A00%3A00Z&amp;form=documented\"");
			workspace.resetRequests();
			String documented = app
				.get("/audit?cluster=prod-weu&from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z&form=documented")
				.body();
			assertThat(documented).contains("(shown: as documented;")
				.contains(
						"href=\"/etcd?cluster=prod-weu&amp;from=2026-11-22T07%3A00%3A00Z&amp;to=2026-11-22T08%3A00%3A00Z&amp;form=documented\"");
			// What the page says it sent is what the workspace received: the documented
			// top-10 query.
			workspace.verify(postRequestedFor(urlEqualTo("/v1/workspaces/" + WORKSPACE + "/query"))
				.withRequestBody(containing("summarize requests = count() by UserAgent\\n| top 10 by requests desc")));
			assertThat(documented).doesNotContain("summarize by AuditId, UserAgent");
			assertThat(app.get("/audit?cluster=prod-weu&form=sideways").statusCode()).isEqualTo(400);
		}

	}

	/**
	 * What the workspace answers when asked: windows the other tests do not ask for.
	 */
	@Nested
	class CountedQueries extends OneApplication {

		@Test
		void fiftyConcurrentViewersOfOnePermalinkCauseOneWorkspaceQuery() throws Exception {
			workspace.stubFor(post(urlEqualTo("/v1/workspaces/" + WORKSPACE + "/query")).atPriority(1)
				.willReturn(aResponse().withStatus(200)
					.withFixedDelay(1_000)
					.withHeader("Content-Type", "application/json")
					.withBody(
							"{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"UserAgent\",\"type\":\"string\"},"
									+ "{\"name\":\"requests\",\"type\":\"long\"}],\"rows\":[[\"kubelet\",7]]}]}")));
			String permalink = "/api/v1/clusters/prod-weu/audit/top-user-agents?from=2026-11-22T07:00:00Z&to=2026-11-22T08:00:00Z";
			TestApp app = this.app;
			ExecutorService viewers = Executors.newFixedThreadPool(50);
			CountDownLatch go = new CountDownLatch(1);
			List<Future<HttpResponse<String>>> answers = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				answers.add(viewers.submit(() -> {
					go.await();
					return app.get(permalink, "Accept", "application/json");
				}));
			}
			go.countDown();
			for (var answer : answers) {
				assertThat(answer.get().body()).isEqualTo("[{\"userAgent\":\"kubelet\",\"requests\":7}]");
			}
			viewers.shutdown();
			workspace.verify(1, postRequestedFor(urlEqualTo("/v1/workspaces/" + WORKSPACE + "/query")));
		}

		@Test
		void auditPageAndApiAnswerFromTheWorkspace() throws Exception {
			TestApp app = this.app;
			String api = app
				.get("/api/v1/clusters/prod-weu/audit/top-user-agents?limit=10", "Accept", "application/json")
				.body();
			assertThat(api).contains("\"userAgent\":\"inventory-controller/v2.3.0 (linux/amd64)\"")
				.contains("\"requests\":20426");
			String page = app.get("/audit?cluster=prod-weu&last=1h").body();
			assertThat(page).contains("inventory-controller/v2.3.0 (linux/amd64)")
				.contains("&lt;script&gt;alert(&#39;ua&#39;)&lt;/script&gt;")
				.doesNotContain("<script>alert(");
			workspace.verify(postRequestedFor(urlEqualTo("/v1/workspaces/" + WORKSPACE + "/query"))
				.withHeader("Authorization", absent())
				.withRequestBody(containing("_ResourceId =~"))
				.withRequestBody(containing("managedClusters/prod-weu")));
		}

	}

}
