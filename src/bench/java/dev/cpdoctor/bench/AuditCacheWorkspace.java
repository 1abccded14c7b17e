package dev.cpdoctor.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import dev.cpdoctor.bench.AuditCacheBenchmark.Window;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import static dev.cpdoctor.bench.AuditCacheBenchmark.QUERY_PATH;

/**
 * The audit cache benchmark's fake Log Analytics workspace (WireMock): answers the three
 * questions with tables in the real shape, chosen by the KQL in the request body, after a
 * fixed delay, and counts the queries it was asked by question.
 */
final class AuditCacheWorkspace {

	static final int UPSTREAM_DELAY_MS = 2_000;

	static final long SEED = 20261122;

	static final String SELECTED_USER_AGENT = "inventory-controller/v2.3.0 (linux/amd64)";

	static final String[] USER_AGENTS = {
			"kube-controller-manager/v1.34.1 (linux/amd64) kubernetes/6b40b8c/system:serviceaccount:kube-system:generic-garbage-collector",
			SELECTED_USER_AGENT, "kubelet/v1.34.1 (linux/amd64) kubernetes/6b40b8c",
			"argocd-application-controller/v3.1.5", "kube-scheduler/v1.34.1 (linux/amd64) kubernetes/6b40b8c/scheduler",
			"cluster-autoscaler/v1.34.0", "prometheus/3.5.0", "kyverno/v1.15.1 (linux/amd64)",
			"azure-policy-webhook/1.12.1", "kubectl/v1.34.1 (darwin/arm64) kubernetes/6b40b8c" };

	private AuditCacheWorkspace() {
	}

	/** The queries a phase caused, by question. */
	static final class Upstream {

		int top;

		int latency;

		int p99;

		int other;

		int total() {
			return this.top + this.latency + this.p99 + this.other;
		}

	}

	/**
	 * Every query answers after the delay; the table is chosen by the KQL in the body.
	 */
	static void stub(WireMockServer workspace, Window... windows) {
		workspace.stubFor(post(urlEqualTo(QUERY_PATH)).atPriority(10).willReturn(answer(topUserAgents())));
		workspace.stubFor(post(urlEqualTo(QUERY_PATH)).atPriority(1)
			.withRequestBody(containing("percentile("))
			.willReturn(answer(p99())));
		for (Window window : windows) {
			workspace.stubFor(post(urlEqualTo(QUERY_PATH)).atPriority(2)
				.withRequestBody(containing("bin_at(RequestReceivedTime"))
				.withRequestBody(containing("datetime(" + window.from() + ")"))
				.willReturn(answer(latency(window))));
		}
	}

	private static ResponseDefinitionBuilder answer(String body) {
		return aResponse().withStatus(200)
			.withFixedDelay(UPSTREAM_DELAY_MS)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withBody(body);
	}

	/** Top 10 user agents by requests: UserAgent, requests. */
	static String topUserAgents() {
		Random random = new Random(SEED);
		List<String> rows = new ArrayList<>();
		long requests = 480_000;
		for (String userAgent : USER_AGENTS) {
			rows.add("[" + json(userAgent) + "," + requests + "]");
			requests = requests * (40 + random.nextInt(45)) / 100;
		}
		return table("{\"name\":\"UserAgent\",\"type\":\"string\"},{\"name\":\"requests\",\"type\":\"long\"}", rows);
	}

	/**
	 * Average latency per user agent in 5-minute bins: the top 8 and "others", every bin
	 * of the window.
	 */
	static String latency(Window window) {
		Random random = new Random(SEED ^ window.from().getEpochSecond());
		List<String> rows = new ArrayList<>();
		for (int series = 0; series <= 8; series++) {
			boolean others = series == 8;
			String userAgent = others ? "" : USER_AGENTS[series];
			double base = 15 + random.nextInt(120);
			for (Instant at = window.from(); at.isBefore(window.to()); at = at.plus(5, ChronoUnit.MINUTES)) {
				double avgMs = base * (0.7 + random.nextDouble() * 0.8);
				long requests = 200 + random.nextInt(20_000);
				rows.add(String.format(Locale.ROOT, "[%s,%s,\"%s\",%.3f,%d]", json(userAgent), others, at, avgMs,
						requests));
			}
		}
		return table("{\"name\":\"UserAgent\",\"type\":\"string\"},{\"name\":\"others\",\"type\":\"bool\"},"
				+ "{\"name\":\"at\",\"type\":\"datetime\"},{\"name\":\"avgMs\",\"type\":\"real\"},"
				+ "{\"name\":\"requests\",\"type\":\"long\"}", rows);
	}

	/**
	 * P99 latency by verb and resource for the selected user agent: Verb, Resource,
	 * p99Ms, requests.
	 */
	static String p99() {
		Random random = new Random(SEED + 99);
		String[] verbs = { "list", "get", "watch", "update", "patch", "create", "delete" };
		String[] resources = { "pods", "configmaps", "secrets", "deployments", "replicasets", "events", "leases",
				"nodes", "customresourcedefinitions", "inventoryitems" };
		List<String> rows = new ArrayList<>();
		for (int i = 0; i < 18; i++) {
			String verb = verbs[random.nextInt(verbs.length)];
			String resource = resources[random.nextInt(resources.length)];
			String p99 = verb.equals("watch") ? "null"
					: String.format(Locale.ROOT, "%.1f", 5 + random.nextDouble() * 4_000);
			rows.add("[\"" + verb + "\",\"" + resource + "\"," + p99 + "," + (10 + random.nextInt(60_000)) + "]");
		}
		return table("{\"name\":\"Verb\",\"type\":\"string\"},{\"name\":\"Resource\",\"type\":\"string\"},"
				+ "{\"name\":\"p99Ms\",\"type\":\"real\"},{\"name\":\"requests\",\"type\":\"long\"}", rows);
	}

	private static String table(String columns, List<String> rows) {
		return "{\"tables\":[{\"name\":\"PrimaryResult\",\"columns\":[" + columns + "],\"rows\":["
				+ String.join(",", rows) + "]}]}";
	}

	private static String json(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	/** The queries the workspace was asked since its requests were last reset. */
	static Upstream upstream(WireMockServer workspace) {
		Upstream upstream = new Upstream();
		for (ServeEvent event : workspace.getAllServeEvents()) {
			String body = event.getRequest().getBodyAsString();
			if (!event.getRequest().getUrl().equals(QUERY_PATH)) {
				upstream.other++;
			}
			else if (body.contains("percentile(")) {
				upstream.p99++;
			}
			else if (body.contains("bin_at(RequestReceivedTime")) {
				upstream.latency++;
			}
			else if (body.contains("summarize requests = count() by UserAgent")) {
				upstream.top++;
			}
			else {
				upstream.other++;
			}
		}
		return upstream;
	}

}
