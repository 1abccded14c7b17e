package dev.cpdoctor.source.auditlog;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.AuditTraffic.Request;

import static dev.cpdoctor.source.auditlog.WebhookCalls.T0;
import static dev.cpdoctor.source.auditlog.WebhookCalls.TOKEN;
import static dev.cpdoctor.source.auditlog.WebhookCalls.post;
import static dev.cpdoctor.source.auditlog.WebhookCalls.properties;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data-quality panel of webhook clusters, page and JSON: events counted per reason
 * with the first offending input escaped, and a batch that held no usable event answered
 * 200 yet shown. An application of its own (webhook clusters are configured at start-up);
 * each test posts to a cluster of its own.
 */
class AuditWebhookPageTests {

	private final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	static Path dataDir;

	private static TestApp app;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = properties(dataDir, "unusable", "escaped", "per-event", "no-agent");
		properties.put("cpdoctor.audit.retention", "36500d");
		app = TestApp.start(properties);
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	private HttpResponse<String> deliver(String cluster, byte[] body) throws Exception {
		HttpResponse<String> response = app.post("/api/v1/clusters/" + cluster + "/audit",
				BodyPublishers.ofByteArray(body), "Authorization", "Bearer " + TOKEN, "Content-Type",
				"application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response;
	}

	private JsonNode quality(String cluster) throws Exception {
		HttpResponse<String> response = app.get("/api/v1/clusters/" + cluster + "/audit/data-quality", "Accept",
				"application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return this.json.readTree(response.body());
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String good(String auditId) {
		return AuditTraffic.event(new Request(auditId, "kubectl", "get", "pods", "", 200, T0, 3.0), "ResponseComplete");
	}

	@Test
	void aBatchWithNoUsableEventIsAnswered200AndThePanelSaysSoWithItsSample() throws Exception {
		String refused = "{\"auditID\":\"\",\"stage\":\"ResponseComplete\",\"verb\":\"get\"}";
		HttpResponse<String> response = deliver("unusable", utf8(AuditTraffic.eventList(List.of(refused, refused))));
		JsonNode answer = this.json.readTree(response.body());
		assertThat(answer.get("events").asLong()).isZero();
		assertThat(answer.get("problems").get("no auditID").asLong()).isEqualTo(2);

		JsonNode quality = quality("unusable");
		assertThat(quality.get("kept").asLong()).isZero();
		assertThat(quality.get("refused").asLong()).isEqualTo(2);
		assertThat(quality.get("biggest").get("reason").asString()).isEqualTo("no auditID");
		assertThat(quality.get("reasons").get(0).get("sample").asString()).isEqualTo(refused);
		JsonNode unusable = quality.get("lastUnusableBatch");
		assertThat(unusable.get("reason").asString()).isEqualTo("no auditID");
		assertThat(unusable.get("sample").asString()).isEqualTo(refused);
		assertThat(unusable.get("last").asBoolean()).isTrue();
		assertThat(Instant.parse(unusable.get("at").asString())).isAfter(Instant.now().minusSeconds(600));
		String page = app.get("/audit?cluster=unusable").body();
		assertThat(page).contains("The last webhook batch, at ", "held no usable event: no auditID",
				"answered 200 all the same", "<strong>0 events kept</strong>", "2 refused",
				"The biggest reason: no auditID (2 events)");

		// An empty list, and a body that is no EventList at all: 200, and shown.
		String empty = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[]}";
		deliver("unusable", utf8(empty));
		unusable = quality("unusable").get("lastUnusableBatch");
		assertThat(unusable.get("reason").asString()).startsWith("it held no event");
		assertThat(unusable.get("sample").asString()).isEqualTo(empty);
		deliver("unusable", utf8("<html>\n<body>proxy error</body>"));
		unusable = quality("unusable").get("lastUnusableBatch");
		// told from its content: no form of audit log, one refused input (not a problem
		// per line)
		assertThat(unusable.get("reason").asString()).startsWith("not an audit log in a known form");
		assertThat(unusable.get("sample").asString()).isEqualTo("<html>\\n<body>proxy error</body>");
		assertThat(quality("unusable").get("refused").asLong()).isEqualTo(3);

		// A usable batch after it: the panel still tells of it, no longer as the last.
		deliver("unusable", utf8(AuditTraffic.eventList(List.of(good("fine-1")))));
		quality = quality("unusable");
		assertThat(quality.get("kept").asLong()).isEqualTo(1);
		assertThat(quality.get("lastUnusableBatch").get("last").asBoolean()).isFalse();
		assertThat(app.get("/audit?cluster=unusable").body()).contains("A webhook batch at ",
				"(the batches after it were usable)");
	}

	@Test
	void thePageShowsEachReasonsFirstInputEscapedInsideCode() throws Exception {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(utf8(good("ok-1") + "\n"));
		body.writeBytes(utf8("{\"auditID\":\"n-1\",\"userAgent\":\"<script>alert(1)</script>"));
		body.write(0);
		body.write(0xff);
		body.writeBytes(utf8("\"}\n"));
		deliver("escaped", body.toByteArray());
		String expected = "{\"auditID\":\"n-1\",\"userAgent\":\"<script>alert(1)</script>\\u0000\\xff\"}";
		JsonNode quality = quality("escaped");
		assertThat(quality.get("reasons").get(0).get("sample").asString()).isEqualTo(expected);
		String page = app.get("/audit?cluster=escaped").body();
		assertThat(page)
			.contains("<code>{&quot;auditID&quot;:&quot;n-1&quot;,&quot;userAgent&quot;:&quot;"
					+ "&lt;script&gt;alert(1)&lt;/script&gt;\\u0000\\xff&quot;}</code>")
			.doesNotContain("<script>alert(1)")
			.doesNotContain("\u0000")
			.doesNotContain("\ufffd");
	}

	/** A 22-event EventList with 3 bad items: 19 kept, 3 refused, as events. */
	@Test
	void problemsAreCountedPerEventNotPerBatch() throws Exception {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < 22; i++) {
			items.add((i % 7 == 3) ? "{\"auditID\":\"bad-" + i + "\",\"stage\":\"ResponseComplete\",\"verb\":" + i + "}"
					: good("ok-" + i));
		}
		deliver("per-event", utf8(AuditTraffic.eventList(items)));
		JsonNode quality = quality("per-event");
		assertThat(quality.get("kept").asLong()).isEqualTo(19);
		assertThat(quality.get("refused").asLong()).isEqualTo(3);
		assertThat(quality.get("reasons")).hasSize(1);
		assertThat(quality.get("reasons").get(0).get("events").asLong()).isEqualTo(3);
		assertThat(quality.get("reasons").get(0).get("sample").asString()).contains("bad-3");
		assertThat(quality.get("lastUnusableBatch").isNull()).isTrue();
		// A cluster without webhook or log file has no panel.
		assertThat(app.get("/api/v1/clusters/nowhere/audit/data-quality", "Accept", "application/json").statusCode())
			.isEqualTo(404);
	}

	/**
	 * Requests without a user agent (no field, or an empty one) are one client, shown as
	 * "(no user agent)" and linked with no-ua=1; a client that calls itself "(no user
	 * agent)" stays apart, quoted, with its own drill-down.
	 */
	@Test
	void requestsWithoutAUserAgentAreDrilledIntoAndStayApartFromAClientNamedLikeTheLabel() throws Exception {
		List<String> events = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			String event = AuditTraffic.event(
					new Request("none-" + i, "", "get", "secrets", "", 200, T0.plusSeconds(i), 10.0 + i),
					"ResponseComplete");
			events.add((i < 3) ? event.replace("\"userAgent\":\"\",", "") : event);
		}
		for (int i = 0; i < 4; i++) {
			events.add(AuditTraffic.event(new Request("literal-" + i, "(no user agent)", "list", "configmaps", "", 200,
					T0.plusSeconds(i), 500.0), "ResponseComplete"));
		}
		assertThat(events.get(0)).doesNotContain("userAgent");
		deliver("no-agent", utf8(AuditTraffic.eventList(events)));
		assertThat(WebhookCalls.topUserAgents(app, "no-agent")).containsOnly(Map.entry("", 5L),
				Map.entry("(no user agent)", 4L));

		String page = app.get("/audit?cluster=no-agent&" + WebhookCalls.WINDOW).body();
		Matcher none = Pattern.compile("<a href=\"([^\"]*no-ua=1[^\"]*)\"[^>]*>\\(no user agent\\)</a>").matcher(page);
		assertThat(none.find()).isTrue();
		Matcher literal = Pattern
			.compile("<a href=\"([^\"]*ua=%28no\\+user\\+agent%29[^\"]*)\"[^>]*>&quot;\\(no user agent\\)&quot;</a>")
			.matcher(page);
		assertThat(literal.find()).isTrue();
		assertThat(literal.group(1)).doesNotContain("no-ua");

		String noneRows = app.get(none.group(1).replace("&amp;", "&")).body();
		assertThat(p99Rows(noneRows)).containsExactly("get secrets 5");
		// Next week the permalink shows the same drill-down.
		assertThat(noneRows).contains("data-permalink=\"/audit?cluster=no-agent&amp;from=2026-11-22T10%3A00%3A00Z"
				+ "&amp;to=2026-11-22T11%3A00%3A00Z&amp;no-ua=1\"");
		assertThat(p99Rows(app.get(literal.group(1).replace("&amp;", "&")).body()))
			.containsExactly("list configmaps 4");
	}

	/** The P99 table's rows as "verb resource requests". */
	private static List<String> p99Rows(String page) {
		Matcher row = Pattern.compile(
				"<tr>\\s*<td>([^<]+)</td>\\s*<td>([^<]+)</td>\\s*<td class=\"num\">[^<]*</td>\\s*<td class=\"num\">([^<]+)</td>")
			.matcher(page.substring(page.indexOf("id=\"p99-table\"")));
		List<String> rows = new ArrayList<>();
		while (row.find()) {
			rows.add(row.group(1) + " " + row.group(2) + " " + row.group(3));
		}
		return rows;
	}

}
