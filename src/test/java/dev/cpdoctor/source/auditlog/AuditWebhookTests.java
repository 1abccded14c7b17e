package dev.cpdoctor.source.auditlog;

import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic.Request;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.history.AuditRollupRetention;

import static dev.cpdoctor.source.auditlog.WebhookCalls.T0;
import static dev.cpdoctor.source.auditlog.WebhookCalls.TOKEN;
import static dev.cpdoctor.source.auditlog.WebhookCalls.WINDOW;
import static dev.cpdoctor.source.auditlog.WebhookCalls.eventLists;
import static dev.cpdoctor.source.auditlog.WebhookCalls.post;
import static dev.cpdoctor.source.auditlog.WebhookCalls.properties;
import static dev.cpdoctor.source.auditlog.WebhookCalls.topUserAgents;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The audit webhook receiver over HTTP, as the apiserver's webhook backend calls it. The
 * tests share one application, each posting to a cluster of its own (the restart test,
 * with two applications of its own, is AuditWebhookRestartTests).
 */
class AuditWebhookTests {

	/**
	 * Before every other test's events (the oldest, the fixture's, are of 2018): the
	 * retention test's cut reaches its own rollups only.
	 */
	private static final Instant T_RETENTION = Instant.parse("2016-11-22T10:00:00Z");

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path sharedDataDir;

	/** The application the tests share; each test's own cluster is named here. */
	private static TestApp app;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = properties(sharedDataDir, "lists", "refusals", "old-shape", "retention",
				"over-limit", "bad-events");
		// Its hourly run, a minute after start-up, keeps 30 days by default: it must not
		// cut this class's older events while the class runs.
		properties.put("cpdoctor.audit.retention", "36500d");
		app = TestApp.start(properties);
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	@Test
	void eventListsWithBothStagesAnswerTheJsonApiWithExactCountsAveragesAndP99() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(11, 6_000, 10, T0, 50);
		for (String list : eventLists(traffic.jsonLines(true))) {
			HttpResponse<String> response = post(app, "lists", list, "Authorization", "Bearer " + TOKEN, "Content-Type",
					"application/json");
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		}
		assertThat(topUserAgents(app, "lists")).isEqualTo(traffic.requestsPerUserAgent());
		HttpResponse<String> elsewhere = app.get(
				"/api/v1/clusters/lists/audit/top-user-agents?" + "from=2026-11-21T10:00:00Z&to=2026-11-21T11:00:00Z",
				"Accept", "application/json");
		assertThat(elsewhere.body()).isEqualTo("[]");
		assertThat(elsewhere.headers().firstValue("Warning"))
			.hasValueSatisfying((w) -> assertThat(w).contains("2026-11-22T10:00:00Z", "outside"));

		HttpResponse<String> latency = app.get("/api/v1/clusters/lists/audit/latency?bin=PT60M&top=100&" + WINDOW,
				"Accept", "application/json");
		assertThat(latency.statusCode()).isEqualTo(200);
		Map<String, Double> averages = traffic.averageLatency();
		JsonNode series = this.json.readTree(latency.body()).get("series");
		assertThat(series.size()).isEqualTo(averages.size());
		series.forEach((s) -> {
			double expected = averages.get(s.get("userAgent").asString());
			assertThat(s.get("points").get(0).get("avgMs").asDouble()).isCloseTo(expected, within(1e-9 * expected));
		});

		String top = traffic.requestsPerUserAgent()
			.entrySet()
			.stream()
			.max(Map.Entry.comparingByValue())
			.get()
			.getKey();
		HttpResponse<String> p99 = app.get("/api/v1/clusters/lists/audit/p99?userAgent="
				+ URLEncoder.encode(top, StandardCharsets.UTF_8) + "&" + WINDOW, "Accept", "application/json");
		assertThat(p99.statusCode()).isEqualTo(200);
		Map<String, Double> exact = traffic.p99(top);
		int checked = 0;
		for (JsonNode row : this.json.readTree(p99.body())) {
			if (!row.get("p99Ms").isNull()) {
				double expected = exact.get(row.get("verb").asString() + " " + row.get("resource").asString());
				assertThat(row.get("p99Ms").asDouble()).isCloseTo(expected, within(0.01 * expected));
				checked++;
			}
		}
		assertThat(checked).isEqualTo(exact.size());

		// The pages answer from the same rollups: overview and Audit page with the
		// agent selected.
		HttpResponse<String> overview = app.get("/?cluster=lists&" + WINDOW);
		assertThat(overview.statusCode()).isEqualTo(200);
		assertThat(overview.body()).contains(top);
		HttpResponse<String> page = app
			.get("/audit?cluster=lists&" + WINDOW + "&ua=" + URLEncoder.encode(top, StandardCharsets.UTF_8));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"p99-table\"", "Data quality").doesNotContain("class=\"error\"");
	}

	@Test
	void withoutTheRightTokenNothingIsStoredAndEachRefusalSaysWhy() throws Exception {
		String batch = AuditTraffic.eventList(List
			.of(AuditTraffic.event(AuditTraffic.random(13, 1, 1, T0, 1).requests().get(0), "ResponseComplete")));
		HttpResponse<String> none = post(app, "refusals", batch);
		assertThat(none.statusCode()).isEqualTo(401);
		assertThat(none.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((v) -> assertThat(v).startsWith("Bearer"));
		assertThat(post(app, "refusals", batch, "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
		assertThat(post(app, "refusals", batch, "Authorization", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
		assertThat(post(app, "refusals", batch, "Authorization", "Basic " + TOKEN).statusCode()).isEqualTo(401);
		// A closed webhook and an unknown cluster answer alike: the token holder
		// learns nothing more.
		HttpResponse<String> closed = post(app, "filed-only", batch, "Authorization", "Bearer " + TOKEN);
		assertThat(closed.statusCode()).isEqualTo(401);
		assertThat(closed.body()).contains("webhook-token");
		HttpResponse<String> unknown = post(app, "nowhere", batch, "Authorization", "Bearer " + TOKEN);
		assertThat(unknown.statusCode()).isEqualTo(401);
		assertThat(unknown.body()).isEqualTo(closed.body().replace("filed-only", "nowhere"));
		assertThat(topUserAgents(app, "refusals")).isEmpty();
		assertThat(app.get("/api/v1/clusters/refusals/audit/top-user-agents?" + WINDOW, "Accept", "application/json")
			.headers()
			.firstValue("Warning")).hasValueSatisfying((w) -> assertThat(w).contains("No audit events", "stored yet"));
		assertThat(app.bean(AuditReceivers.class).ingest("refusals").orElseThrow().status().batches()).isZero();
		// The right token then works: the refusals were about the token, not the
		// batch.
		assertThat(post(app, "refusals", batch, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
		assertThat(topUserAgents(app, "refusals")).hasSize(1);
	}

	@Test
	void anOldShapeEventFromTheFixturesIsCountedOnce() throws Exception {
		// A 2018 event (no apiVersion, a top-level timestamp, no userAgent field) as one
		// JSON body.
		String fixture = Files.readString(Fixtures.path("audit/falco_trace_create_configmap.json"));
		assertThat(fixture).doesNotContain("\"userAgent\"");
		String received = fixture.replaceAll("(?s).*\"requestReceivedTimestamp\"\\s*:\\s*\"([^\"]*)\".*", "$1");
		HttpResponse<String> response = post(app, "old-shape", fixture, "Authorization", "Bearer " + TOKEN);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(this.json.readTree(response.body()).get("events").asLong()).isEqualTo(1);
		Instant at = Instant.parse(received).truncatedTo(ChronoUnit.MINUTES);
		HttpResponse<String> top = app.get(
				"/api/v1/clusters/old-shape/audit/top-user-agents?from=" + at + "&to=" + at.plusSeconds(60), "Accept",
				"application/json");
		assertThat(top.body()).isEqualTo("[{\"userAgent\":\"\",\"requests\":1}]");
	}

	@Test
	void retentionDeletesRollupsBeforeItsCutAndKeepsTheRest() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(16, 500, 3, T_RETENTION, 50);
		traffic.requests().removeIf(Request::longRunning);
		assertThat(post(app, "retention", traffic.jsonLines(false), "Authorization", "Bearer " + TOKEN).statusCode())
			.isEqualTo(200);
		Instant cut = T_RETENTION.plusSeconds(25 * 60);
		long before = traffic.requests().stream().filter((r) -> r.received().isBefore(cut)).count();
		assertThat(before).isPositive().isLessThan(traffic.requests().size());
		assertThat(app.bean(AuditRollupRetention.class).deleteBefore(cut)).isPositive();
		String window = "from=" + T_RETENTION + "&to=" + T_RETENTION.plusSeconds(3600);
		long kept = topUserAgents(app, "retention", window).values().stream().mapToLong(Long::longValue).sum();
		assertThat(kept).isEqualTo(traffic.requests().size() - before);
	}

	@Test
	void aBatchOverTheLimitIsRefusedWith413() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(14, 3_000, 5, T0, 5);
		String big = AuditTraffic.eventList(List.of(traffic.jsonLines(true).split("\n")));
		assertThat(big.length()).isGreaterThan(2 * 1024 * 1024);
		HttpResponse<String> response = post(app, "over-limit", big, "Authorization", "Bearer " + TOKEN);
		assertThat(response.statusCode()).isEqualTo(413);
		assertThat(response.body()).contains("max-batch");
		assertThat(topUserAgents(app, "over-limit")).isEmpty();
	}

	@Test
	void badEventsAreCountedByReasonShownOnTheAuditPageAndTheRestOfTheBatchIsKept() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(15, 20, 2, T0, 5);
		StringBuilder lines = new StringBuilder(traffic.jsonLines(false));
		String good = AuditTraffic.event(traffic.requests().get(0), "ResponseComplete");
		// truncated
		lines.append(good, 0, 100).append('\n');
		// wrong type
		lines.append("{\"auditID\":\"x-1\",\"stage\":\"ResponseComplete\",\"verb\":42,"
				+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\"}\n");
		// no timestamps
		lines.append("{\"auditID\":\"x-2\",\"stage\":\"ResponseComplete\",\"verb\":\"get\"}\n");
		// a 1 MB user agent
		lines.append(
				"{\"auditID\":\"x-3\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"userAgent\":\"<script>alert('ua')</script>"
						+ "x".repeat(1_000_000) + "\",\"requestReceivedTimestamp\":\"2026-11-22T10:01:00Z\","
						+ "\"stageTimestamp\":\"2026-11-22T10:01:00.5Z\"}\n");
		byte[] head = lines.toString().getBytes(StandardCharsets.UTF_8);
		byte[] invalidUtf8 = "{\"auditID\":\"x-4\",\"stage\":\"ResponseComplete\",\"userAgent\":\"\u00ff\"}\n"
			.getBytes(StandardCharsets.ISO_8859_1);
		byte[] body = new byte[head.length + invalidUtf8.length];
		System.arraycopy(head, 0, body, 0, head.length);
		System.arraycopy(invalidUtf8, 0, body, head.length, invalidUtf8.length);
		HttpResponse<String> response = app.post("/api/v1/clusters/bad-events/audit", BodyPublishers.ofByteArray(body),
				"Authorization", "Bearer " + TOKEN, "Content-Type", "application/x-ndjson");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode received = this.json.readTree(response.body());
		long goodLines = traffic.jsonLines(false).lines().count();
		// the long user agent is cut, kept
		assertThat(received.get("events").asLong()).isEqualTo(goodLines + 1);
		JsonNode problems = received.get("problems");
		assertThat(problems.get("truncated JSON").asLong()).isEqualTo(1);
		assertThat(problems.get("wrong type for verb").asLong()).isEqualTo(1);
		assertThat(problems.get("no usable requestReceivedTimestamp or timestamp").asLong()).isEqualTo(1);
		assertThat(problems.get("user agent longer than 1024 characters (cut)").asLong()).isEqualTo(1);
		assertThat(problems.get("invalid UTF-8").asLong()).isEqualTo(1);
		Map<String, Long> expected = new HashMap<>(traffic.requestsPerUserAgent());
		Map<String, Long> counted = topUserAgents(app, "bad-events");
		assertThat(counted).containsAllEntriesOf(expected).hasSize(expected.size() + 1);

		HttpResponse<String> page = app.get("/audit?cluster=bad-events&" + WINDOW);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("Data quality", "truncated JSON", "wrong type for verb", "invalid UTF-8")
			.doesNotContain("<script>alert");
	}

}
