package dev.cpdoctor.source.auditlog;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.form.FormFixtures;

import static dev.cpdoctor.source.auditlog.WebhookCalls.T0;
import static dev.cpdoctor.source.auditlog.WebhookCalls.TOKEN;
import static dev.cpdoctor.source.auditlog.WebhookCalls.properties;
import static dev.cpdoctor.source.auditlog.WebhookCalls.topUserAgents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The webhook takes the batch in any form, told from its content: a gzip body
 * (Content-Encoding: gzip), an EventList after a byte-order mark, a Firehose delivery; a
 * gzip bomb within the largest batch is refused with 413 and nothing stored; a gzip batch
 * sent again is recognised by the digest of the bytes received.
 */
class AuditWebhookFormsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	private static TestApp app;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = properties(dataDir, "gzip-body", "bom-body", "bomb", "firehose", "eks");
		properties.put("cpdoctor.audit.retention", "36500d");
		app = TestApp.start(properties);
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	private static HttpResponse<String> post(String cluster, byte[] body, String... headers) throws Exception {
		String[] all = new String[headers.length + 2];
		all[0] = "Authorization";
		all[1] = "Bearer " + TOKEN;
		System.arraycopy(headers, 0, all, 2, headers.length);
		return app.post("/api/v1/clusters/" + cluster + "/audit", BodyPublishers.ofByteArray(body), all);
	}

	private static AuditTraffic traffic(long seed, int requests) {
		AuditTraffic traffic = AuditTraffic.random(seed, requests, 4, T0, 30);
		traffic.requests().removeIf(AuditTraffic.Request::longRunning);
		return traffic;
	}

	private static String eventList(AuditTraffic traffic) {
		return AuditTraffic
			.eventList(traffic.requests().stream().map((r) -> AuditTraffic.event(r, "ResponseComplete")).toList());
	}

	@Test
	void aGzipBodyIsReadAndAResendOfItIsRecognisedByItsReceivedBytes() throws Exception {
		AuditTraffic traffic = traffic(51, 300);
		byte[] body = FormFixtures.gzip(eventList(traffic).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = post("gzip-body", body, "Content-Type", "application/json", "Content-Encoding",
				"gzip");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode received = JSON.readTree(response.body());
		assertThat(received.get("events").asLong()).isEqualTo(traffic.requests().size());
		assertThat(received.get("problems").isEmpty()).isTrue();
		assertThat(topUserAgents(app, "gzip-body")).isEqualTo(traffic.requestsPerUserAgent());

		HttpResponse<String> again = post("gzip-body", body, "Content-Encoding", "gzip");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(again.body()).get("events").asLong()).isZero();
		assertThat(topUserAgents(app, "gzip-body")).isEqualTo(traffic.requestsPerUserAgent());
	}

	@Test
	void anEventListAfterAByteOrderMarkKeepsAllItsEvents() throws Exception {
		AuditTraffic traffic = traffic(52, 30);
		List<String> events = traffic.requests()
			.stream()
			.limit(22)
			.map((r) -> AuditTraffic.event(r, "ResponseComplete"))
			.toList();
		byte[] list = AuditTraffic.eventList(events).getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[list.length + 3];
		body[0] = (byte) 0xEF;
		body[1] = (byte) 0xBB;
		body[2] = (byte) 0xBF;
		System.arraycopy(list, 0, body, 3, list.length);
		HttpResponse<String> response = post("bom-body", body, "Content-Type", "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).get("events").asLong()).isEqualTo(22);
		assertThat(topUserAgents(app, "bom-body").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(22);
	}

	@Test
	void aGzipBombIsRefusedWith413AndNothingIsStored() throws Exception {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] zeros = new byte[1024 * 1024];
		try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
			gzip.write("{\"kind\":\"EventList\",\"items\":[".getBytes(StandardCharsets.UTF_8));
			for (int i = 0; i < 512; i++) {
				gzip.write(zeros); // 512 MiB of zeros from about half a MB
			}
		}
		byte[] bomb = out.toByteArray();
		assertThat(bomb.length).as("within the largest batch, 2MB").isLessThan(2 * 1024 * 1024);
		HttpResponse<String> response = post("bomb", bomb, "Content-Encoding", "gzip");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
		assertThat(response.body()).contains("gzip", "max-batch");
		assertThat(topUserAgents(app, "bomb")).isEmpty();
		assertThat(app.bean(AuditReceivers.class).ingest("bomb").orElseThrow().status().batches()).isZero();
	}

	@Test
	void aFirehoseDeliveryOfGzipSubscriptionPayloadsIsTaken() throws Exception {
		byte[] body = AuditWebhookFormsTests.class.getResourceAsStream("/audit-forms/firehose-delivery.json")
			.readAllBytes();
		HttpResponse<String> response = post("firehose", body, "Content-Type", "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(JSON.readTree(response.body()).get("events").asLong()).isEqualTo(3);
		assertThat(topUserAgents(app, "firehose")).containsOnlyKeys(
				"kube-state-metrics/v2.13.0 (linux/amd64) kube-state-metrics/7f1e1a2",
				"kubectl/v1.31.2 (linux/amd64) kubernetes/5864a46", "karpenter/v1.0.6");
	}

	/**
	 * Firehose's HTTP endpoint delivery, as Firehose sends it: the token as its access
	 * key, gzip Content-Encoding, its request id echoed in the answer; a retry of the
	 * same request counts nothing again; a wrong key is 401 with an errorMessage.
	 */
	@Test
	void theFirehoseEndpointTakesEachDeliveryOnceAndAnswersAsFirehoseExpects() throws Exception {
		byte[] body = AuditWebhookFormsTests.class.getResourceAsStream("/audit-forms/firehose-delivery.json")
			.readAllBytes();
		String requestId = "ed4acda5-034f-9f42-bba1-f29aea6d7d8f";
		for (int attempt = 0; attempt < 2; attempt++) {
			HttpResponse<String> response = app.post("/api/v1/clusters/eks/audit/firehose",
					BodyPublishers.ofByteArray(FormFixtures.gzip(body)), "Content-Type", "application/json",
					"Content-Encoding", "gzip", "X-Amz-Firehose-Protocol-Version", "1.0", "X-Amz-Firehose-Request-Id",
					requestId, "X-Amz-Firehose-Access-Key", TOKEN);
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			JsonNode answer = JSON.readTree(response.body());
			assertThat(answer.get("requestId").asString()).isEqualTo(requestId);
			assertThat(answer.get("timestamp").asLong()).isPositive();
			assertThat(answer.has("errorMessage")).isFalse();
		}
		assertThat(app.bean(AuditReceivers.class).ingest("eks").orElseThrow().status().requests()).isEqualTo(3);
		assertThat(topUserAgents(app, "eks")).hasSize(3);
		HttpResponse<String> wrongKey = app.post("/api/v1/clusters/eks/audit/firehose",
				BodyPublishers.ofByteArray(body), "Content-Type", "application/json", "X-Amz-Firehose-Request-Id",
				requestId, "X-Amz-Firehose-Access-Key", "not-the-token");
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		assertThat(JSON.readTree(wrongKey.body()).get("errorMessage").asString()).contains("access key");
	}

}
