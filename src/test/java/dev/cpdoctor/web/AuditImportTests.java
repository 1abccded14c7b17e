package dev.cpdoctor.web;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.RunningApp;
import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.form.FormFixtures;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.AuditRollupRetention;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Audit log imports over HTTP: a gzipped log from last week becomes an offline cluster
 * whose Audit page and API answer from it, a second import of it counts nothing, a
 * restart keeps it past the retention, and bad bodies are refused with a reason.
 */
class AuditImportTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	@TempDir
	Path dataDir;

	private Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", this.dataDir.toString());
		properties.put("cpdoctor.clusters[0].name", "lab");
		properties.put("cpdoctor.clusters[0].audit.webhook-token", "t0ken");
		properties.put("cpdoctor.audit.max-import", "64MB");
		// the log is older than the retention: an import is kept all the same
		properties.put("cpdoctor.audit.retention", "1d");
		return properties;
	}

	@Test
	void aGzippedLogImportedTwiceCountsOnceAndStaysAfterARestart() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(41, 3_000, 5, T0, 30);
		byte[] gzip = FormFixtures.gzip(traffic.jsonLinesBytes(true));
		try (TestApp app = TestApp.start(properties())) {
			JsonNode report = imported(app, "bundle-7", gzip);
			assertThat(report.get("forms").asString()).contains("gzip");
			assertThat(report.get("requests").asLong()).isEqualTo(3_000);
			assertThat(report.get("duplicates").asLong()).isZero();
			assertThat(report.get("rejectedEvents").asLong()).isZero();
			assertThat(Instant.parse(report.get("from").asString())).isAfterOrEqualTo(T0);
			String open = report.get("open").asString();
			assertThat(open).startsWith("/audit?cluster=bundle-7&from=");
			assertThat(app.get(open).statusCode()).isEqualTo(200);
			assertThat(topRequests(app, report)).isEqualTo(3_000);
			JsonNode again = imported(app, "bundle-7", gzip);
			assertThat(again.get("requests").asLong()).isZero();
			assertThat(again.get("duplicates").asLong()).isEqualTo(again.get("events").asLong());
			assertThat(topRequests(app, report)).isEqualTo(3_000);
		}
		try (TestApp restarted = TestApp.start(properties())) {
			assertThat(restarted.bean(ClusterCatalog.class).find("bundle-7")).isPresent();
			restarted.bean(AuditRollupRetention.class).deleteBefore(Instant.now());
			JsonNode imports = JSON.readTree(
					restarted.get("/api/v1/clusters/bundle-7/audit/imports", "Accept", "application/json").body());
			assertThat(imports).hasSize(2);
			assertThat(topRequests(restarted, imports.get(1))).isEqualTo(3_000);
			HttpResponse<String> delete = RunningApp.HTTP.send(
					HttpRequest.newBuilder(restarted.uri("/api/v1/clusters/bundle-7/audit")).DELETE().build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(delete.statusCode()).isEqualTo(204);
			assertThat(topRequests(restarted, imports.get(1))).isZero();
		}
	}

	@Test
	void badImportsAreRefusedWithAReasonAndStoreNothing() throws Exception {
		try (TestApp app = TestApp.start(properties())) {
			byte[] log = AuditTraffic.random(43, 5, 1, T0, 1).jsonLinesBytes(true);
			HttpResponse<String> html = post(app, "lab-2", "<html>502 Bad Gateway</html>".getBytes());
			assertThat(html.statusCode()).isEqualTo(400);
			assertThat(html.body()).contains("No audit event");
			assertThat(post(app, "demo", log).statusCode()).isEqualTo(409);
			HttpResponse<String> configured = post(app, "lab",
					AuditTraffic.random(42, 10, 2, T0, 1).jsonLinesBytes(true));
			assertThat(configured.statusCode()).isEqualTo(409);
			assertThat(configured.body()).contains("lab-import");
			assertThat(post(app, "Prod%20EU", log).statusCode()).isEqualTo(400);
			// a gzip bomb: 256 MiB of zeros, about 256 KiB on the wire, past the 64 MB
			// bound
			HttpResponse<String> bomb = post(app, "bomb", FormFixtures.gzipOfZeros(256L << 20));
			assertThat(bomb.statusCode()).isEqualTo(413);
			assertThat(bomb.body()).contains("max-import");
			assertThat(app.bean(ClusterCatalog.class).find("lab-2")).isEmpty();
			assertThat(app.bean(ClusterCatalog.class).find("bomb")).isEmpty();
		}
	}

	private static JsonNode imported(RunningApp app, String cluster, byte[] body) throws Exception {
		HttpResponse<String> response = post(app, cluster, body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	private static HttpResponse<String> post(RunningApp app, String cluster, byte[] body) throws Exception {
		return app.post("/api/v1/clusters/" + cluster + "/audit/import", BodyPublishers.ofByteArray(body),
				"Content-Type", "application/octet-stream");
	}

	private static long topRequests(RunningApp app, JsonNode report) throws Exception {
		String path = "/api/v1/clusters/" + report.get("cluster").asString() + "/audit/top-user-agents?limit=100&from="
				+ report.get("from").asString() + "&to="
				+ Instant.parse(report.get("to").asString()).plus(Duration.ofMinutes(10));
		HttpResponse<String> top = app.get(path, "Accept", "application/json");
		if (top.statusCode() != 200) {
			return 0;
		}
		long requests = 0;
		for (JsonNode agent : JSON.readTree(top.body())) {
			requests += agent.get("requests").asLong();
		}
		return requests;
	}

}
