package dev.cpdoctor.source.loganalytics;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RetryOptions;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real azure-monitor-query SDK over HTTP against a local server speaking the Log
 * Analytics query API.
 */
class LogAnalyticsAuditAnalyticsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String WORKSPACE = "11111111-2222-3333-4444-555555555555";

	private static final String QUERY_PATH = "/v1/workspaces/" + WORKSPACE + "/query";

	private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-22T07:00:00Z"),
			Instant.parse("2026-11-22T08:00:00Z"));

	private static final Cluster AKS = new Cluster("prod-weu", Provider.AKS, KubeAccess.none(), null, "configuration");

	private WireMockServer workspace;

	private LogAnalyticsAuditAnalytics source;

	@BeforeEach
	void start() {
		this.workspace = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.workspace.start();
		this.source = new LogAnalyticsAuditAnalytics(client(), WORKSPACE, TableMode.AKS_AUDIT, null, Form.CORRECTED,
				Duration.ofSeconds(30));
	}

	@AfterEach
	void stop() {
		this.workspace.stop();
	}

	@Test
	void topUserAgentsThroughTheSdkWithTheKqlAndTheToken() {
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],
						 "rows":[["inventory-controller/v2.3.0",20426],["<img src=x onerror=alert(1)>",1763]]}]}""");
		SourceResult<List<UserAgentRequests>> result = this.source.topUserAgents(AKS, WINDOW, 10);
		assertThat(result)
			.isEqualTo(SourceResult.ok(List.of(new UserAgentRequests("inventory-controller/v2.3.0", 20_426),
					new UserAgentRequests("<img src=x onerror=alert(1)>", 1_763))));
		this.workspace
			.verify(postRequestedFor(urlEqualTo(QUERY_PATH)).withHeader("Authorization", equalTo("Bearer test-token"))
				.withHeader("Prefer", containing("wait=30"))
				.withRequestBody(matchingJsonPath("$.query", containing("summarize by AuditId, UserAgent")))
				.withRequestBody(matchingJsonPath("$.timespan", containing("2026-11-22T07:00"))));
	}

	@Test
	void latencyRowsBecomeSeriesWithEveryBinAndTheRestFlagged() {
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"others","type":"bool"},
						 {"name":"at","type":"datetime"},{"name":"avgMs","type":"real"},{"name":"requests","type":"long"}],
						 "rows":[["other",false,"2026-11-22T07:00:00Z",120.5,10],["other",false,"2026-11-22T07:10:00Z",300.0,4],
						         ["",true,"2026-11-22T07:05:00Z",null,3]]}]}""");
		List<UserAgentLatency> series = ((SourceResult.Ok<List<UserAgentLatency>>) this.source.latency(AKS, WINDOW,
				Duration.ofMinutes(5), 8))
			.value();
		assertThat(series).hasSize(2);
		UserAgentLatency named = series.get(0);
		assertThat(named.userAgent()).isEqualTo("other");
		assertThat(named.others()).isFalse();
		assertThat(named.points()).hasSize(12);
		assertThat(named.points().get(0).avgMs()).isEqualTo(120.5);
		assertThat(named.points().get(1).avgMs()).isNull();
		assertThat(named.points().get(2).requests()).isEqualTo(4);
		assertThat(series.get(1).others()).isTrue();
		assertThat(series.get(1).points().get(1).requests()).isEqualTo(3);
	}

	@Test
	void p99RowsWithAnUnknownP99ForWatchOnlyGroups() {
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"Verb","type":"string"},{"name":"Resource","type":"string"},
						 {"name":"p99Ms","type":"real"},{"name":"requests","type":"long"}],
						 "rows":[["list","pods",13050.0,18412],["watch","pods",null,7]]}]}""");
		SourceResult<List<VerbResourceLatency>> result = this.source.p99ByVerbAndResource(AKS, WINDOW,
				"x\" | take 1 //");
		assertThat(result).isEqualTo(SourceResult.ok(List.of(new VerbResourceLatency("list", "pods", 13_050.0, 18_412),
				new VerbResourceLatency("watch", "pods", null, 7))));
		this.workspace.verify(postRequestedFor(urlEqualTo(QUERY_PATH))
			.withRequestBody(matchingJsonPath("$.query", containing("base64_decode_tostring(\""))));
	}

	@Test
	void recordedPartialErrorShowsThePartialDataWithAWarning() throws Exception {
		serveRecorded("loganalytics/partial_error_200.json");
		SourceResult<List<UserAgentRequests>> result = this.source.topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Ok.class,
				(ok) -> assertThat(ok.warnings()).singleElement().asString().contains("There were some errors"));
	}

	@Test
	void recordedSemanticErrorIsAFailureWithTheKqlErrorMessage() throws Exception {
		serveRecorded("loganalytics/bad_query_400_semantic_error.json");
		SourceResult<List<UserAgentRequests>> result = this.source.topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("the query was refused")
					.contains("Failed to resolve table or column expression named 'AppInsights'"));
	}

	@Test
	void recordedServerTimeoutIsAFailureSayingSo() throws Exception {
		serveRecorded("loganalytics/server_timeout_504_prefer_wait.json");
		SourceResult<List<UserAgentRequests>> result = this.source.topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("server timeout").contains("narrow the window"));
	}

	@Test
	void throttlingIsRetriedAfterTheRetryAfterTheServiceAsks() {
		this.workspace.stubFor(post(urlEqualTo(QUERY_PATH)).inScenario("throttle")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(429)
				.withHeader("Retry-After", "1")
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"code\":\"ThrottledError\",\"message\":\"Too many requests\"}}"))
			.willSetStateTo("calm"));
		this.workspace.stubFor(post(urlEqualTo(QUERY_PATH)).inScenario("throttle")
			.whenScenarioStateIs("calm")
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(
						"""
								{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],
								 "rows":[["kubelet",3]]}]}""")));
		long started = System.nanoTime();
		SourceResult<List<UserAgentRequests>> result = this.source.topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isEqualTo(SourceResult.ok(List.of(new UserAgentRequests("kubelet", 3))));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("waited the Retry-After")
			.isGreaterThanOrEqualTo(Duration.ofMillis(950));
		this.workspace.verify(2, postRequestedFor(urlEqualTo(QUERY_PATH)));
	}

	@Test
	void autoModeDetectsAzureDiagnosticsOnceAndQueriesItsTable() {
		LogAnalyticsAuditAnalytics auto = autoSource();
		stubDetection("[[\"kube-audit\"],[\"kube-audit-admin\"]]");
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],
						 "rows":[["kubelet/v1.30.4",10]]}]}""");
		assertThat(auto.topUserAgents(AKS, WINDOW, 10))
			.isEqualTo(SourceResult.ok(List.of(new UserAgentRequests("kubelet/v1.30.4", 10))));
		assertThat(auto.topUserAgents(AKS, WINDOW, 5)).isInstanceOf(SourceResult.Ok.class);
		this.workspace.verify(1, postRequestedFor(urlEqualTo(QUERY_PATH)).withRequestBody(containing("union isfuzzy")));
		this.workspace.verify(2,
				postRequestedFor(urlEqualTo(QUERY_PATH)).withRequestBody(containing("parse_json(log_s)")));
	}

	@Test
	void bothFormsShareOneDetectionAndTheQueryTextNamesTheDetectedTable() {
		LogAnalyticsAuditAnalytics corrected = autoSource();
		LogAnalyticsAuditAnalytics documented = corrected.inForm(Form.DOCUMENTED);
		stubDetection("[[\"kube-audit\"]]");
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],
						 "rows":[["kubelet/v1.30.4",10]]}]}""");
		assertThat(documented.topUserAgents(AKS, WINDOW, 10)).isInstanceOf(SourceResult.Ok.class);
		assertThat(corrected.topUserAgents(AKS, WINDOW, 10)).isInstanceOf(SourceResult.Ok.class);
		this.workspace.verify(1, postRequestedFor(urlEqualTo(QUERY_PATH)).withRequestBody(containing("union isfuzzy")));
		assertThat(corrected.topUserAgents(WINDOW, 10, false)).contains("parse_json(log_s)")
			.contains("summarize by AuditId");
		assertThat(corrected.topUserAgents(WINDOW, 10, true)).contains("parse_json(log_s)")
			.doesNotContain("summarize by AuditId");
	}

	@Test
	void onlyKubeAuditAdminIsRefusedWithTheReason() {
		stubDetection("[[\"aks-audit-admin\"]]");
		SourceResult<List<UserAgentRequests>> result = autoSource().topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("Only kube-audit-admin")
					.contains("drops get and list"));
	}

	@Test
	void noAuditDataInEitherTableIsAWarningNotAGuess() {
		stubDetection("[]");
		stubTable(
				"""
						{"tables":[{"name":"PrimaryResult","columns":[{"name":"UserAgent","type":"string"},{"name":"requests","type":"long"}],"rows":[]}]}""");
		SourceResult<List<UserAgentRequests>> result = autoSource().topUserAgents(AKS, WINDOW, 10);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Ok.class,
				(ok) -> assertThat(ok.warnings()).singleElement()
					.asString()
					.contains("No audit events of this cluster"));
	}

	private LogAnalyticsAuditAnalytics autoSource() {
		return new LogAnalyticsAuditAnalytics(client(), WORKSPACE, null, null, Form.CORRECTED, Duration.ofSeconds(30));
	}

	/**
	 * The real SDK client; tests never reach the network: no credential chain, a fixed
	 * bearer token over HTTP.
	 */
	private LogsQueryClient client() {
		HttpPipelinePolicy token = (context, next) -> {
			context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer test-token");
			return next.process();
		};
		return new LogsQueryClientBuilder().endpoint("http://127.0.0.1:" + this.workspace.port() + "/v1")
			.httpClient(new JdkHttpClientBuilder().build())
			.addPolicy(token)
			.retryOptions(new RetryOptions(new FixedDelayOptions(1, Duration.ofMillis(10))))
			.buildClient();
	}

	private void stubDetection(String rows) {
		this.workspace.stubFor(post(urlEqualTo(QUERY_PATH)).atPriority(1)
			.withRequestBody(containing("union isfuzzy"))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(
						"{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[{\"name\":\"Kind\",\"type\":\"string\"}],\"rows\":"
								+ rows + "}]}")));
	}

	private void stubTable(String body) {
		this.workspace.stubFor(post(urlEqualTo(QUERY_PATH)).atPriority(5)
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
	}

	/**
	 * Serves a recorded exchange of ../shared/fixtures as it was recorded: status,
	 * content type, body.
	 */
	private void serveRecorded(String fixture) throws Exception {
		JsonNode recording = JSON.readTree(Files.readString(Fixtures.path(fixture)));
		JsonNode entry = recording.has("Entries") ? recording.get("Entries").get(0) : recording;
		this.workspace
			.stubFor(post(urlEqualTo(QUERY_PATH)).willReturn(aResponse().withStatus(entry.get("StatusCode").asInt())
				.withHeader("Content-Type", "application/json; charset=utf-8")
				.withBody(JSON.writeValueAsString(entry.get("ResponseBody")))));
	}

}
