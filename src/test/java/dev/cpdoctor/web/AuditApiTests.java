package dev.cpdoctor.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit JSON API on the demo, against the demo's own rollup. */
class AuditApiTests extends AbstractEndToEndTests {

	@Autowired
	DemoData demo;

	@Test
	void topUserAgentsOfTheDefaultWindow() throws Exception {
		TimeWindow window = this.demo.scenario().incidentWindow();
		List<UserAgentRequests> expected = rollup().topUserAgents(window, 10);
		HttpResponse<String> response = get("/api/v1/clusters/demo/audit/top-user-agents");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode rows = JSON.readTree(response.body());
		assertThat(rows.size()).isEqualTo(10);
		for (int i = 0; i < expected.size(); i++) {
			assertThat(rows.get(i).get("userAgent").asString()).isEqualTo(expected.get(i).userAgent());
			assertThat(rows.get(i).get("requests").asLong()).isEqualTo(expected.get(i).requests());
		}
		assertThat(JSON.readTree(get("/api/v1/clusters/demo/audit/top-user-agents?limit=3").body()).size())
			.isEqualTo(3);
	}

	@Test
	void latencySeriesInTheRequestedBins() throws Exception {
		TimeWindow window = this.demo.scenario().incidentWindow();
		List<UserAgentLatency> expected = rollup().latencySeries(window, Duration.ofMinutes(15), 8);
		JsonNode body = JSON.readTree(
				get("/api/v1/clusters/demo/audit/latency?from=" + window.from() + "&to=" + window.to() + "&bin=PT15M")
					.body());
		assertThat(body.get("bin").asString()).isEqualTo("PT15M");
		JsonNode series = body.get("series");
		assertThat(series.size()).isEqualTo(expected.size()).isEqualTo(9);
		JsonNode flood = null;
		for (JsonNode s : series) {
			if (s.get("userAgent").asString().equals(DemoScenario.FLOODING_USER_AGENT)) {
				flood = s;
			}
		}
		UserAgentLatency expectedFlood = expected.stream()
			.filter((s) -> s.userAgent().equals(DemoScenario.FLOODING_USER_AGENT))
			.findFirst()
			.orElseThrow();
		assertThat(flood).isNotNull();
		assertThat(flood.get("points").size()).isEqualTo(48);
		assertThat(flood.get("points").get(47).get("avgMs").asDouble())
			.isEqualTo(expectedFlood.points().get(47).avgMs());
		assertThat(flood.get("points").get(47).get("at").asString())
			.isEqualTo(window.from().plus(Duration.ofMinutes(15 * 47)).toString());
		assertThat(series.get(series.size() - 1).get("others").asBoolean()).isTrue();
	}

	@Test
	void p99ByVerbAndResourceForAHostileUserAgentToo() throws Exception {
		JsonNode flood = JSON.readTree(get("/api/v1/clusters/demo/audit/p99?userAgent="
				+ URLEncoder.encode(DemoScenario.FLOODING_USER_AGENT, StandardCharsets.UTF_8))
			.body());
		assertThat(flood.get(0).get("verb").asString()).isEqualTo("list");
		assertThat(flood.get(0).get("resource").asString()).isEqualTo("pods");
		assertThat(flood.get(0).get("p99Ms").asDouble()).isGreaterThan(1_000);
		HttpResponse<String> scanner = get("/api/v1/clusters/demo/audit/p99?userAgent="
				+ URLEncoder.encode(DemoScenario.SCANNER_USER_AGENT, StandardCharsets.UTF_8));
		assertThat(scanner.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(scanner.body()).size()).isEqualTo(2);
	}

	@Test
	void badParametersAndWindowsOutsideTheData() throws Exception {
		assertThat(get("/api/v1/clusters/nope/audit/top-user-agents").statusCode()).isEqualTo(404);
		assertThat(get("/api/v1/clusters/demo/audit/top-user-agents?limit=0").statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/clusters/demo/audit/latency?bin=5m").statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/clusters/demo/audit/latency?bin=PT1S").statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/clusters/demo/audit/latency?bin=PT90S").statusCode()).isEqualTo(400);
		assertThat(get("/api/v1/clusters/demo/audit/p99").statusCode()).isEqualTo(400);
		HttpResponse<String> outside = get(
				"/api/v1/clusters/demo/audit/top-user-agents?from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
		assertThat(outside.statusCode()).isEqualTo(200);
		assertThat(outside.body()).isEqualTo("[]");
		assertThat(outside.headers().firstValue("Warning").orElseThrow()).startsWith("199 cpdoctor \"")
			.contains("this window lies outside it");
	}

	@Test
	void warningHeadersCannotBeBrokenByTheirText() {
		assertThat(AuditApiController.warning("a \"quoted\"\r\nline \\ end"))
			.isEqualTo("199 cpdoctor \"a \\\"quoted\\\"  line \\\\ end\"");
	}

	private AuditRollup rollup() throws Exception {
		return this.demo.auditRollup().get();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return get(path, "Accept", "application/json");
	}

}
