package dev.cpdoctor.source.auditlog;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.RunningApp;
import dev.cpdoctor.analysis.audit.AuditTraffic;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit webhook as its tests call it, the way the apiserver's webhook backend does:
 * the clusters an application opens it for, batches POSTed with the token, and the
 * requests per user agent the JSON API then counts.
 */
final class WebhookCalls {

	static final String TOKEN = "s3cret-token-for-lab";

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	static final String WINDOW = "from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private WebhookCalls() {
	}

	/**
	 * Clusters with the webhook open (TOKEN), and filed-only whose audit is a log file.
	 */
	static Map<String, Object> properties(Path dataDir, String... webhookClusters) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", dataDir.toString());
		int i = 0;
		for (String cluster : webhookClusters) {
			properties.put("cpdoctor.clusters[" + i + "].name", cluster);
			properties.put("cpdoctor.clusters[" + i + "].audit.webhook-token", TOKEN);
			i++;
		}
		properties.put("cpdoctor.clusters[" + i + "].name", "filed-only");
		properties.put("cpdoctor.clusters[" + i + "].audit.log-path", dataDir.resolve("absent/audit.log").toString());
		properties.put("cpdoctor.audit.max-batch", "2MB");
		return properties;
	}

	static HttpResponse<String> post(RunningApp app, String cluster, String body, String... headers) throws Exception {
		return app.post("/api/v1/clusters/" + cluster + "/audit", BodyPublishers.ofString(body), headers);
	}

	/**
	 * Event lines cut into EventLists of at most 400 events, the webhook backend's
	 * default batch size.
	 */
	static List<String> eventLists(String jsonLines) {
		List<String> lists = new ArrayList<>();
		List<String> batch = new ArrayList<>();
		for (String line : jsonLines.split("\n")) {
			batch.add(line);
			if (batch.size() == 400) {
				lists.add(AuditTraffic.eventList(batch));
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			lists.add(AuditTraffic.eventList(batch));
		}
		return lists;
	}

	static Map<String, Long> topUserAgents(RunningApp app, String cluster) throws Exception {
		return topUserAgents(app, cluster, WINDOW);
	}

	static Map<String, Long> topUserAgents(RunningApp app, String cluster, String window) throws Exception {
		HttpResponse<String> response = app.get(
				"/api/v1/clusters/" + cluster + "/audit/top-user-agents?limit=100&" + window, "Accept",
				"application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		Map<String, Long> counts = new HashMap<>();
		JSON.readTree(response.body())
			.forEach((n) -> counts.put(n.get("userAgent").asString(), n.get("requests").asLong()));
		return counts;
	}

}
