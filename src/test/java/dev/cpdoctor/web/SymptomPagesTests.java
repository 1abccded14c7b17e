package dev.cpdoctor.web;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;
import dev.cpdoctor.troubleshoot.Symptom;
import dev.cpdoctor.troubleshoot.SymptomTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guided pages, one per symptom, over real HTTP on the demo, checked against the
 * diagnosis API.
 */
class SymptomPagesTests extends AbstractEndToEndTests {

	private static final Pattern CAUSE = Pattern.compile("id=\"cause-(\\d)\" data-verdict=\"(\\w+)\"");

	private static final Pattern BADGE = Pattern.compile("<span class=\"verdict verdict-(\\w+)\">(\\w+)</span>");

	@Autowired
	DemoData demo;

	@Test
	void everySymptomPageShowsTheApisCausesInOrderWithTheSameVerdictBadges() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String window = "from=" + incident.from() + "&to=" + incident.to();
		for (Symptom symptom : SymptomTable.SYMPTOMS) {
			HttpResponse<String> page = get("/troubleshoot/" + symptom.id() + "?cluster=demo&" + window);
			assertThat(page.statusCode()).as(symptom.id()).isEqualTo(200);
			String body = page.body();
			assertThat(body).contains("id=\"demo-banner\"").contains("id=\"symptom-title\">" + symptom.title() + "<");
			JsonNode api = JSON
				.readTree(get("/api/v1/clusters/demo/diagnosis?symptom=" + symptom.id() + "&" + window).body());
			List<String> expected = new ArrayList<>();
			List<String> expectedBadges = new ArrayList<>();
			api.get("causes").forEach((c) -> {
				expected.add(c.get("id").asInt() + "=" + c.get("verdict").asString());
				String verdict = c.get("verdict").asString().toLowerCase(Locale.ROOT);
				expectedBadges.add(verdict + "=" + verdict);
			});
			assertThat(all(CAUSE, body)).as(symptom.id()).containsExactlyElementsOf(expected);
			assertThat(all(BADGE, body)).as(symptom.id()).containsExactlyElementsOf(expectedBadges);
			// The demo's stories: every symptom has a LIKELY cause to start with.
			assertThat(expected).as(symptom.id()).anyMatch((e) -> e.endsWith("=LIKELY"));
			// The window form and cluster picker stay on this page.
			assertThat(body).contains("action=\"/troubleshoot/" + symptom.id() + "\"");
		}
	}

	@Test
	void timeoutsShowTheDemosOwnCallsAsFiguresAndAChartAndCauseOneStaysUnlikely() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String window = "from=" + incident.from() + "&to=" + incident.to();
		String body = get("/troubleshoot/timeouts?cluster=demo&" + window).body();
		assertThat(body).contains("id=\"cause-1\" data-verdict=\"UNLIKELY\"");
		// 12 hours: 720 scrapes, 144 x 2 probes, 48 x 3 LISTs, 12 discoveries; no network
		// failure.
		assertThat(body).contains("1164 own calls to the apiserver in the window: 0 not carried by the network (0.0 %),"
				+ " 2 answered with an HTTP error");
		assertThat(body).contains("Failed calls by kind: HTTP 429 2");
		Matcher chart = Pattern.compile("id=\"own-calls-chart\" data-calls=\"([^\"]+)\"").matcher(body);
		assertThat(chart.find()).as("the own calls chart").isTrue();
		JsonNode data = JSON.readTree(chart.group(1).replace("&quot;", "\""));
		assertThat(data.get("bin").asLong()).isEqualTo(Duration.ofMinutes(15).toMillis());
		assertThat(data.get("points").size()).isEqualTo(48);
		JsonNode api = JSON.readTree(get("/api/v1/clusters/demo/diagnosis?symptom=timeouts&" + window).body());
		List<String> texts = new ArrayList<>();
		api.get("causes").get(0).get("evidence").forEach((e) -> texts.add(e.get("text").asString()));
		assertThat(texts).anyMatch((t) -> t.startsWith("1164 own calls to the apiserver in the window"));
		// High latency has no cause 1: no own calls chart.
		assertThat(get("/troubleshoot/high-latency?cluster=demo&" + window).body()).doesNotContain("own-calls-chart");
	}

	@Test
	void theSymptomTableLinksEachPageWithTheSameClusterAndWindow() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String body = get("/troubleshoot?cluster=demo&from=" + incident.from() + "&to=" + incident.to()).body();
		for (Symptom symptom : SymptomTable.SYMPTOMS) {
			assertThat(body).contains("href=\"/troubleshoot/" + symptom.id() + "?cluster=demo&amp;from="
					+ enc(incident.from().toString()) + "&amp;to=" + enc(incident.to().toString()) + "\"");
		}
		// A relative window stays relative; the permalink pins it.
		String relative = get("/troubleshoot/timeouts?cluster=demo&last=6h").body();
		assertThat(relative).contains("href=\"/audit?cluster=demo&amp;last=PT6H\"")
			.containsPattern("data-permalink=\"/troubleshoot/timeouts\\?cluster=demo&amp;from=[^\"]+&amp;to=");
	}

	@Test
	void auditSymptomsEmbedTheChecklistPanelsAndWebhookFailuresTheWebhookPanel() throws Exception {
		String latency = get("/troubleshoot/high-latency?cluster=demo").body();
		assertThat(latency).contains("id=\"panel-top\"")
			.contains("id=\"top-chart\"")
			.contains("id=\"latency-chart\"")
			.contains("id=\"panel-p99\"")
			.doesNotContain("id=\"panel-webhooks\"");
		// Picking a user agent in step 1 stays on the guide and fills step 3.
		String ua = enc(DemoScenario.FLOODING_USER_AGENT);
		assertThat(latency).contains("href=\"/troubleshoot/high-latency?cluster=demo&amp;from=");
		String picked = get("/troubleshoot/high-latency?cluster=demo&ua=" + ua).body();
		assertThat(picked).contains("id=\"p99-table\"");
		String hooks = get("/troubleshoot/webhook-failures?cluster=demo").body();
		assertThat(hooks).contains("id=\"panel-webhooks\"").doesNotContain("id=\"panel-top\"");
	}

	@Test
	void commandsAndYamlSitInAPreWithACopyButtonAdviceHasNone() throws Exception {
		String body = get("/troubleshoot/webhook-failures?cluster=demo").body();
		assertThat(body).contains("data-copy-target=\"remedy-text-4-1\">Copy</button>")
			.containsPattern(
					"<pre id=\"remedy-text-4-1\">kubectl get [^<]* &gt; [^<]*\nkubectl delete mutatingwebhookconfiguration"
							+ " kyverno-resource-mutating-webhook-cfg\n</pre>");
		String timeouts = get("/troubleshoot/timeouts?cluster=demo").body();
		Matcher remedies = Pattern.compile("id=\"remedy-(\\d-\\d+)\" data-kind=\"(\\w+)\"").matcher(timeouts);
		int copyable = 0;
		while (remedies.find()) {
			boolean hasText = !remedies.group(2).equals("ADVICE");
			assertThat(timeouts.contains("<pre id=\"remedy-text-" + remedies.group(1) + "\">")).as(remedies.group())
				.isEqualTo(hasText);
			copyable += hasText ? 1 : 0;
		}
		assertThat(copyable).isGreaterThan(2);
		assertThat(timeouts).contains("data-kind=\"YAML\"");
	}

	@Test
	void aHostileUserAgentIsNeverUnescaped() throws Exception {
		String hostile = enc(DemoScenario.SCANNER_USER_AGENT);
		for (String path : new String[] { "/troubleshoot/high-latency?cluster=demo&ua=" + hostile,
				"/troubleshoot/timeouts?cluster=demo", "/troubleshoot/webhook-failures?cluster=demo&ua=" + hostile }) {
			HttpResponse<String> page = get(path);
			assertThat(page.statusCode()).as(path).isEqualTo(200);
			assertThat(page.body()).as(path).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
		}
		assertThat(get("/troubleshoot/high-latency?cluster=demo&ua=" + hostile).body())
			.contains("id=\"selected-ua\">&lt;img src=x onerror=alert(1)&gt;</code>");
		HttpResponse<String> symptom = get("/troubleshoot/%3Cimg%20src=x%3E?cluster=demo");
		assertThat(symptom.statusCode()).isEqualTo(404);
		assertThat(symptom.body()).doesNotContain("<img").contains("Unknown symptom");
	}

	/**
	 * The demo leaks ephemeralreports: cause 2's remedies for the namespace in the URL.
	 */
	@Test
	void theNamespaceInTheUrlReachesTheLeakRemediesAndStaysInEveryLink() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String link = "/troubleshoot/timeouts?cluster=demo&from=" + incident.from() + "&to=" + incident.to()
				+ "&namespace=team-a";
		HttpResponse<String> page = get(link);
		assertThat(page.statusCode()).isEqualTo(200);
		String cause2 = cause(page.body(), 2);
		assertThat(cause2).contains(
				"kubectl delete --raw &#39;/apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1000&#39;")
			.contains("namespace: team-a")
			.doesNotContain("your-namespace")
			.contains("id=\"namespace-input\" name=\"namespace\"")
			.contains("value=\"team-a\"")
			.contains("id=\"namespace-clear\"");
		// The permalink, the nav and the window form keep it; the clear link drops it.
		assertThat(page.body())
			.contains("data-permalink=\"/troubleshoot/timeouts?cluster=demo&amp;from=" + enc(incident.from().toString())
					+ "&amp;to=" + enc(incident.to().toString()) + "&amp;namespace=team-a\"");
		assertThat(page.body()).contains("id=\"nav-etcd\"").containsPattern("href=\"/etcd\\?[^\"]*namespace=team-a\"");
		assertThat(page.body()).contains("<input type=\"hidden\" name=\"namespace\" value=\"team-a\">");
		assertThat(cause2).containsPattern(
				"href=\"/troubleshoot/timeouts\\?cluster=demo&amp;from=[^\"]*&amp;to=[^\"&]*#cause-2\"\\s+id=\"namespace-clear\"");
		// Pasted next week, the link shows the same remedies.
		assertThat(cause(get(link).body(), 2)).isEqualTo(cause2);
	}

	@Test
	void withoutANamespaceTheScansNamespaceIsUsedAndSaidAndTheFormSetsOne() throws Exception {
		TimeWindow incident = this.demo.scenario().incidentWindow();
		String body = get("/troubleshoot/timeouts?cluster=demo&from=" + incident.from() + "&to=" + incident.to())
			.body();
		String cause2 = cause(body, 2);
		// the demo's etcd is read directly: its scan finds the leak in one namespace (a
		// cluster without direct access keeps the placeholder: ObjectLeakCheckTests)
		assertThat(cause2).contains("/namespaces/" + DemoScenario.LEAKING_NAMESPACE + "/ephemeralreports?limit=1000")
			.contains("The remedies act on namespace " + DemoScenario.LEAKING_NAMESPACE + ": no namespace was chosen")
			.doesNotContain("No namespace chosen: your-namespace is a placeholder")
			.contains("id=\"namespace-none\"");
		// Submit the form as a browser does: its hidden fields, then the typed namespace.
		Matcher form = Pattern.compile(
				"<form class=\"namespace-form\" id=\"namespace-form\" method=\"get\" action=\"([^\"#]*)#cause-2\">(.*?)</form>",
				Pattern.DOTALL)
			.matcher(cause2);
		assertThat(form.find()).isTrue();
		StringBuilder query = new StringBuilder();
		Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\">")
			.matcher(form.group(2));
		while (hidden.find()) {
			query.append(query.isEmpty() ? "?" : "&").append(hidden.group(1)).append('=').append(enc(hidden.group(2)));
		}
		assertThat(query.toString()).isEqualTo(
				"?cluster=demo&from=" + enc(incident.from().toString()) + "&to=" + enc(incident.to().toString()));
		String submitted = get(form.group(1) + query + "&namespace=kyverno").body();
		assertThat(cause(submitted, 2))
			.contains("/apis/reports.kyverno.io/v1/namespaces/kyverno/ephemeralreports?limit=1000")
			.doesNotContain("your-namespace");
	}

	@Test
	void aBadNamespaceIs400NamingTheParameterNeverEchoingIt() throws Exception {
		for (String hostile : List.of("a'b", "$(reboot)", "team\nA", "<script>alert(1)</script>",
				"x\" onmouseover=\"alert(1)", "Events | where 1==1", "../kube-system", "TEAM", "a".repeat(64))) {
			for (String path : List.of("/troubleshoot/timeouts?cluster=demo&namespace=",
					"/troubleshoot/high-latency?cluster=demo&namespace=")) {
				HttpResponse<String> page = get(path + enc(hostile));
				assertThat(page.statusCode()).as(hostile).isEqualTo(400);
				assertThat(page.body()).as(hostile)
					.contains("&#39;namespace&#39;: a namespace is a DNS-1123 label")
					.doesNotContain("<script>alert")
					.doesNotContain("onmouseover=\"")
					.doesNotContain("reboot");
			}
		}
	}

	/** One cause's section of a symptom page. */
	private static String cause(String body, int id) {
		int start = body.indexOf("id=\"cause-" + id + "\"");
		assertThat(start).as("cause " + id).isPositive();
		return body.substring(start, body.indexOf("</section>", start));
	}

	@Test
	void aFailingSourceIsAnUnknownCauseWithItsReasonAndThePageRenders() throws Exception {
		// No etcd sample and no audit data this long before the demo: the sources fail as
		// values.
		HttpResponse<String> page = get(
				"/troubleshoot/high-latency?cluster=demo&from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
		assertThat(page.statusCode()).isEqualTo(200);
		String body = page.body();
		assertThat(body).contains("id=\"cause-2\" data-verdict=\"UNKNOWN\"")
			.contains("<span class=\"verdict verdict-unknown\">unknown</span>");
		String leak = body.substring(body.indexOf("id=\"cause-2\""));
		assertThat(leak).contains("No etcd sample of cluster");
		assertThat(get("/troubleshoot/nope?cluster=demo").statusCode()).isEqualTo(404);
		assertThat(get("/troubleshoot/timeouts?cluster=nope").statusCode()).isEqualTo(404);
	}

	@Test
	void anAbsoluteWindowSymptomPageIsRenderedOnceForEveryoneOpeningTheLink() throws Exception {
		String link = "/troubleshoot/timeouts?cluster=demo&from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z";
		HttpResponse<String> first = get(link);
		HttpResponse<String> second = get(link);
		assertThat(first.headers().firstValue("X-Cpdoctor-Cache")).contains("miss");
		assertThat(second.headers().firstValue("X-Cpdoctor-Cache")).contains("hit");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(get("/troubleshoot/timeouts?cluster=demo&last=1h").headers().firstValue("X-Cpdoctor-Cache"))
			.isEmpty();
		assertThat(get("/troubleshoot/nope?cluster=demo&from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z").headers()
			.firstValue("X-Cpdoctor-Cache")).isEmpty();
	}

	private static List<String> all(Pattern pattern, String body) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(body);
		while (matcher.find()) {
			found.add(matcher.group(1) + "=" + matcher.group(2));
		}
		return found;
	}

	private static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return get(path, "Accept", "text/html,application/json;q=0.9");
	}

}
