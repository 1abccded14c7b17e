package dev.cpdoctor.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;

/** Every page over real HTTP on the demo, plus the error and actuator surface. */
class PagesTests extends AbstractEndToEndTests {

	private static final String HOSTILE = DemoScenario.SCANNER_USER_AGENT;

	@Test
	void everyPageRendersTheDemoWithItsBanner() throws Exception {
		for (String path : new String[] { "/", "/audit", "/etcd", "/troubleshoot" }) {
			HttpResponse<String> response = get(path + "?cluster=demo");
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.body()).as(path).contains("id=\"demo-banner\"").contains("Demo data");
		}
	}

	@Test
	void overviewEmbedsGaugeAndLatencyJsonForTheCharts() throws Exception {
		String body = get("/").body();
		assertThat(body).contains("id=\"etcd-gauge\"").contains("data-gauge=\"{&quot;used&quot;:");
		assertThat(body).contains("id=\"latency-chart\"").contains("data-latency=\"{&quot;series&quot;:");
		assertThat(body).contains(URLEncoder.encode(DemoScenario.FLOODING_USER_AGENT, StandardCharsets.UTF_8));
	}

	@Test
	void etcdPageShowsTheLeakAsTheFastestGrowingResourceWithItsWeekChange(@Autowired DemoData demo) throws Exception {
		List<EtcdSample> history = demo.scenario().etcdHistory();
		EtcdSample latest = history.get(history.size() - 1);
		EtcdSample weekAgo = history.stream()
			.filter((s) -> !s.at().isAfter(latest.at().minus(Duration.ofDays(7))))
			.reduce((a, b) -> b)
			.orElseThrow();
		long expected = count(latest, DemoScenario.LEAKING_RESOURCE) - count(weekAgo, DemoScenario.LEAKING_RESOURCE);
		String body = get("/etcd?cluster=demo").body();
		String fastest = body.substring(body.indexOf("id=\"panel-fastest\""), body.indexOf("id=\"panel-objects\""));
		Matcher firstRow = Pattern.compile(
				"<tbody>\\s*<tr>\\s*<td>([^<]+)</td>(?:\\s*<td[^>]*>[^<]*</td>){2}\\s*<td class=\"num\">([^<]+)</td>")
			.matcher(fastest);
		assertThat(firstRow.find()).isTrue();
		assertThat(firstRow.group(1)).isEqualTo(DemoScenario.LEAKING_RESOURCE + "." + DemoScenario.LEAKING_GROUP);
		assertThat(firstRow.group(2)).isEqualTo(String.format(Locale.ROOT, "+%,d", expected));
		assertThat(expected).isGreaterThan(50_000);
		// The team lead's figure: DB growth over the week, from the daily points.
		List<EtcdSample> lastOfDay = new ArrayList<>(history.stream()
			.collect(Collectors.toMap((s) -> LocalDate.ofInstant(s.at(), ZoneOffset.UTC), (s) -> s,
					(a, b) -> b.at().isAfter(a.at()) ? b : a, TreeMap::new))
			.values());
		EtcdSample end = lastOfDay.get(lastOfDay.size() - 1);
		EtcdSample start = lastOfDay.stream()
			.filter((s) -> !s.at().isAfter(end.at().minus(Duration.ofDays(7))))
			.reduce((a, b) -> b)
			.orElseThrow();
		String week = new Formats().signedBytes(end.dbSizeBytes() - start.dbSizeBytes());
		assertThat(body).contains("id=\"week-change\">" + week + "</strong>");
		assertThat(week).startsWith("+");
	}

	@Test
	void aGaugeFromBeforeTheWindowSaysItMayBeOutOfDate(@Autowired DemoData demo) throws Exception {
		Instant later = demo.scenario().anchor().plus(Duration.ofDays(2));
		String body = get("/etcd?cluster=demo&from=" + later + "&to=" + later.plus(Duration.ofHours(1))).body();
		assertThat(body).contains("id=\"etcd-gauge\"")
			.contains("The newest etcd sample is from " + demo.scenario().anchor() + ", before this window");
		assertThat(get("/etcd?cluster=demo").body()).doesNotContain("before this window");
	}

	@Test
	void theGrowthChartSpansALongerWindow() throws Exception {
		assertThat(get("/etcd?cluster=demo").body()).contains("Growth over 4 weeks");
		String body = get("/etcd?cluster=demo&last=90d").body();
		assertThat(body).contains("Growth over 12 weeks").contains("id=\"growth-chart\"");
	}

	@Test
	void overviewHasAnEtcdCardPerCluster() throws Exception {
		String body = get("/").body();
		String cards = body.substring(body.indexOf("id=\"panel-clusters\""), body.indexOf("id=\"panel-etcd\""));
		assertThat(cards).contains("<strong>demo</strong>")
			.contains("of 8.00 GiB")
			.contains("href=\"/etcd?cluster=demo&amp;from=");
	}

	private static long count(EtcdSample sample, String resource) {
		return sample.objects().stream().filter((o) -> o.resource().equals(resource)).findFirst().orElseThrow().count();
	}

	@Test
	void hostileUserAgentIsEscapedEverywhereItIsShown() throws Exception {
		String ua = URLEncoder.encode(HOSTILE, StandardCharsets.UTF_8);
		String body = get("/audit?cluster=demo&ua=" + ua).body();
		// It is in the demo's top ten, in the selected-UA header, and in the embedded
		// chart JSON.
		assertThat(body).doesNotContain("<img").doesNotContain("onerror=alert(1)>");
		assertThat(body).contains("&lt;img src=x onerror=alert(1)&gt;");
		assertThat(body).contains("id=\"selected-ua\">&lt;img src=x onerror=alert(1)&gt;</code>");
	}

	@Test
	void anAbsoluteWindowPageIsRenderedOnceForEveryoneOpeningTheLink() throws Exception {
		String link = "/audit?cluster=demo&from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z&ua=kubectl";
		HttpResponse<String> first = get(link);
		HttpResponse<String> second = get(link);
		assertThat(first.headers().firstValue("X-Cpdoctor-Cache")).contains("miss");
		assertThat(second.headers().firstValue("X-Cpdoctor-Cache")).contains("hit");
		assertThat(second.body()).isEqualTo(first.body());
		assertThat(second.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		// A relative window is live: never served from the page cache. Nor is the JSON
		// API.
		assertThat(get("/audit?cluster=demo&last=1h").headers().firstValue("X-Cpdoctor-Cache")).isEmpty();
		assertThat(get("/api/v1/clusters/demo/audit/top-user-agents?from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z")
			.headers()
			.firstValue("X-Cpdoctor-Cache")).isEmpty();
		// An error is not cached.
		String bad = "/audit?cluster=nope&from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z";
		assertThat(get(bad).statusCode()).isEqualTo(404);
		assertThat(get(bad).headers().firstValue("X-Cpdoctor-Cache")).contains("miss");
	}

	@Test
	void theDemoComputesTheCorrectedFormOnlyAndHasNoKql() throws Exception {
		String body = get("/audit?cluster=demo").body();
		assertThat(body).doesNotContain("id=\"form-switch\"")
			.doesNotContain("id=\"show-kql\"")
			.contains("Each request counted once");
	}

	@Test
	void auditPageShowsP99ByVerbAndResourceOfTheSelectedUserAgent() throws Exception {
		String ua = URLEncoder.encode(DemoScenario.FLOODING_USER_AGENT, StandardCharsets.UTF_8);
		String body = get("/audit?cluster=demo&ua=" + ua).body();
		Matcher firstRow = Pattern.compile("<tbody>\\s*<tr>\\s*<td>([^<]+)</td>\\s*<td>([^<]+)</td>")
			.matcher(body.substring(body.indexOf("id=\"p99-table\"")));
		assertThat(firstRow.find()).isTrue();
		assertThat(firstRow.group(1)).isEqualTo("list");
		assertThat(firstRow.group(2)).isEqualTo("pods");
	}

	@Test
	void permalinkCarriesAbsoluteWindowEvenForARelativeView() throws Exception {
		String body = get("/etcd?cluster=demo&last=1h").body();
		Matcher permalink = Pattern.compile("data-permalink=\"([^\"]+)\"").matcher(body);
		assertThat(permalink.find()).isTrue();
		String link = permalink.group(1).replace("&amp;", "&");
		assertThat(link).startsWith("/etcd?cluster=demo&from=").contains("&to=").doesNotContain("last=");
		// The navigation keeps the relative window live instead.
		assertThat(body).contains("href=\"/audit?cluster=demo&amp;last=PT1H\"");
	}

	@Test
	void unknownClusterIsA404ThatNamesIt() throws Exception {
		HttpResponse<String> response = get("/etcd?cluster=nope");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.body()).contains("Unknown cluster &#39;nope&#39;");
	}

	@Test
	void malformedWindowIsA400ThatSaysWhatIsWrong() throws Exception {
		HttpResponse<String> response = get("/audit?cluster=demo&from=yesterday&to=2026-11-22T10:00:00Z");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("must be an ISO-8601 instant");
		HttpResponse<String> reversed = get("/audit?cluster=demo&from=2026-11-22T10:00:00Z&to=2026-11-22T09:00:00Z");
		assertThat(reversed.statusCode()).isEqualTo(400);
		assertThat(reversed.body()).contains("must end after it starts");
	}

	@Test
	void windowOutsideTheDemoDayStillRendersWithAWarning() throws Exception {
		HttpResponse<String> response = get("/audit?cluster=demo&from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("this window lies outside it");
		// The etcd panel fails on its own, as a value, and the page still renders.
		HttpResponse<String> etcd = get("/etcd?cluster=demo&from=2020-01-01T00:00:00Z&to=2020-01-01T01:00:00Z");
		assertThat(etcd.statusCode()).isEqualTo(200);
		assertThat(etcd.body()).contains("class=\"error\"").contains("No etcd sample of cluster");
	}

	@Test
	void actuatorExposesHealthWithOneIndicatorPerSourceAndInfoOnly() throws Exception {
		HttpResponse<String> health = get("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(200);
		assertThat(health.body()).contains("\"clusters\"")
			.contains("\"demo\"")
			.contains("\"etcd-history\"")
			.contains("\"demo-audit\"");
		assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
		for (String hidden : new String[] { "/actuator/env", "/actuator/beans", "/actuator/configprops",
				"/actuator/heapdump", "/actuator/metrics" }) {
			assertThat(get(hidden).statusCode()).as(hidden).isEqualTo(404);
		}
	}

	@Test
	void chartJsAndFrontendAreServed() throws Exception {
		assertThat(get("/webjars/chart.js/dist/chart.umd.min.js").statusCode()).isEqualTo(200);
		assertThat(get("/js/charts.js").body()).contains("data-gauge");
		assertThat(get("/css/app.css").statusCode()).isEqualTo(200);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return get(path, "Accept", "text/html,application/json;q=0.9");
	}

}
