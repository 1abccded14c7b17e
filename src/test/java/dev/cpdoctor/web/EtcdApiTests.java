package dev.cpdoctor.web;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.Fixtures;
import dev.cpdoctor.RunningApp;
import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.history.EtcdHistory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Offline /metrics uploads and the etcd JSON API, over HTTP, across a restart. The
 * refused uploads use the shared application (they store nothing); the stored ones start
 * an application of their own, as a stored upload stays in its history.
 */
class EtcdApiTests extends AbstractEndToEndTests {

	private static final String TEXT = "text/plain; version=0.0.4";

	@TempDir
	Path dataDir;

	/** An application of its own, and a second on its data: the restart is the point. */
	@Test
	void uploadedDumpsBecomeAnOfflineClusterWithUsageAndGrowth() throws Exception {
		Path v130 = Fixtures.path("apiserver-metrics/apiserver-v1.30.prom");
		Path v134 = Fixtures.path("apiserver-metrics/apiserver-v1.34.prom");
		Map<String, Object> properties = Map.of("cpdoctor.data-dir", this.dataDir.toString());
		try (TestApp app = TestApp.start(properties)) {
			HttpResponse<String> first = app.post("/api/v1/clusters/bundle-17/metrics?at=2026-11-01T10:00:00Z",
					BodyPublishers.ofFile(v130), "Content-Type", TEXT);
			assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
			JsonNode usage = JSON.readTree(first.body());
			assertThat(usage.get("cluster").asString()).isEqualTo("bundle-17");
			assertThat(usage.get("sizeMetric").asString()).isEqualTo("apiserver_storage_size_bytes");
			assertThat(usage.get("dbSizeBytes").asLong()).isEqualTo(sizeOf(v130));
			assertThat(usage.get("quotaBytes").asLong()).isEqualTo(8L * 1024 * 1024 * 1024);
			assertThat(usage.get("usedFraction").asDouble()).isEqualTo((double) sizeOf(v130) / (8L << 30));
			assertThat(usage.get("sampledAt").asString()).isEqualTo("2026-11-01T10:00:00Z");
			assertThat(usage.get("kubernetesVersion").asString()).isEqualTo("v1.30.0");
			assertThat(usage.get("parse").get("malformed").size()).isZero();
			assertThat(usage.get("objects").size()).isPositive();

			HttpResponse<String> second = app.post("/api/v1/clusters/bundle-17/metrics?at=2026-11-03T10:00:00Z",
					BodyPublishers.ofFile(v134), "Content-Type", "text/plain");
			assertThat(second.statusCode()).isEqualTo(200);

			JsonNode latest = JSON
				.readTree(app.get("/api/v1/clusters/bundle-17/etcd", "Accept", "application/json").body());
			assertThat(latest.get("sampledAt").asString()).isEqualTo("2026-11-03T10:00:00Z");
			assertThat(latest.get("dbSizeBytes").asLong()).isEqualTo(sizeOf(v134));
			JsonNode core = find(latest.get("objects"), "", "configmaps");
			assertThat(core.get("count").asLong())
				.isEqualTo(objectCount(v134, "apiserver_resource_objects{group=\"\",resource=\"configmaps\"}"));

			JsonNode growth = JSON
				.readTree(app
					.get("/api/v1/clusters/bundle-17/etcd/growth"
							+ "?from=2026-10-31T00:00:00Z&to=2026-11-04T00:00:00Z", "Accept", "application/json")
					.body());
			assertThat(growth.get("points").size()).isEqualTo(2);
			assertThat(growth.get("bytesPerDay").asDouble()).isEqualTo((sizeOf(v134) - sizeOf(v130)) / 2.0);
			JsonNode configmaps = find(growth.get("resources"), "", "configmaps");
			assertThat(configmaps.get("countFrom").asLong())
				.isEqualTo(objectCount(v130, "apiserver_storage_objects{resource=\"configmaps\"}"));
			assertThat(configmaps.get("countTo").asLong()).isEqualTo(core.get("count").asLong());

			assertThat(app.get("/etcd?cluster=bundle-17").body()).contains("id=\"etcd-gauge\"").contains("offline");

			// The rest of the dump is stored with the sample: members and size estimates.
			EtcdHistory history = app.bean(EtcdHistory.class);
			Instant second134 = Instant.parse("2026-11-03T10:00:00Z");
			assertThat(history.members("bundle-17", second134)).containsExactly(new EtcdMember("etcd-0", sizeOf(v134)));
			String page = app.get("/etcd?cluster=bundle-17").body();
			assertThat(page).contains("id=\"members-table\"").contains("<td>etcd-0</td>").contains("Size (estimate)");
			assertThat(history.sizeEstimates("bundle-17", second134)).containsEntry("configmaps",
					objectCount(v134, "apiserver_resource_size_estimate_bytes{group=\"\",resource=\"configmaps\"}"));
		}
		comesBackAfterARestart(properties, v134);
	}

	/**
	 * The offline cluster of the uploads comes back from history when the application
	 * restarts on its data.
	 */
	private static void comesBackAfterARestart(Map<String, Object> properties, Path v134) throws Exception {
		try (TestApp restarted = TestApp.start(properties)) {
			HttpResponse<String> page = restarted.get("/etcd?cluster=bundle-17");
			assertThat(page.statusCode()).as("the offline cluster comes back from history").isEqualTo(200);
			assertThat(
					JSON.readTree(restarted.get("/api/v1/clusters/bundle-17/etcd", "Accept", "application/json").body())
						.get("dbSizeBytes")
						.asLong())
				.isEqualTo(sizeOf(v134));
		}
	}

	@Test
	void badUploadsAreRefusedWithAReasonAndStoreNothing() throws Exception {
		RunningApp app = app();
		EtcdHistory history = app.bean(EtcdHistory.class);
		HttpResponse<String> html = app.post("/api/v1/clusters/lab/metrics",
				BodyPublishers.ofString("<html><body>502 Bad Gateway</body></html>"), "Content-Type", "text/plain");
		assertThat(html.statusCode()).isEqualTo(400);
		assertThat(html.body()).contains("not Prometheus text");
		HttpResponse<String> other = app.post("/api/v1/clusters/lab/metrics",
				BodyPublishers.ofString("process_cpu_seconds_total 3\n"), "Content-Type", "text/plain");
		assertThat(other.statusCode()).isEqualTo(400);
		assertThat(other.body()).contains("neither an etcd size family");
		HttpResponse<String> badName = app.post("/api/v1/clusters/Prod%20EU/metrics",
				BodyPublishers.ofString("apiserver_storage_size_bytes{cluster=\"a\"} 1\n"), "Content-Type",
				"text/plain");
		assertThat(badName.statusCode()).isEqualTo(400);
		assertThat(badName.body()).contains("is not valid");
		HttpResponse<String> badAt = app.post("/api/v1/clusters/lab/metrics?at=yesterday",
				BodyPublishers.ofString("apiserver_storage_size_bytes{cluster=\"a\"} 1\n"), "Content-Type",
				"text/plain");
		assertThat(badAt.statusCode()).isEqualTo(400);
		assertThat(history.clusters()).containsExactly("demo");
		assertThat(app.get("/api/v1/clusters/lab/etcd", "Accept", "application/json").statusCode()).isEqualTo(404);
	}

	/**
	 * An application of its own: the upload limit is read at start-up, and the last
	 * upload is stored.
	 */
	@Test
	void uploadsAreBoundedAndGuarded() throws Exception {
		String body = "apiserver_storage_size_bytes{cluster=\"a\"} 1e9\n";
		try (TestApp app = TestApp
			.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "cpdoctor.apiserver.max-upload", "1KB"))) {
			HttpResponse<String> big = app.post("/api/v1/clusters/lab/metrics",
					BodyPublishers.ofString(body.repeat(100)), "Content-Type", "text/plain");
			assertThat(big.statusCode()).isEqualTo(413);
			assertThat(big.body()).contains("larger than 1024B").contains("nothing was stored");
			HttpResponse<String> form = app.post("/api/v1/clusters/lab/metrics", BodyPublishers.ofString(body),
					"Content-Type", "application/x-www-form-urlencoded");
			assertThat(form.statusCode()).isEqualTo(415);
			assertThat(form.body()).contains("application/x-www-form-urlencoded")
				.doesNotContain(ErrorMessages.INTERNAL);
			HttpResponse<String> demo = app.post("/api/v1/clusters/demo/metrics", BodyPublishers.ofString(body),
					"Content-Type", "text/plain");
			assertThat(demo.statusCode()).isEqualTo(409);
			HttpResponse<String> future = app.post("/api/v1/clusters/lab/metrics?at=2099-01-01T00:00:00Z",
					BodyPublishers.ofString(body), "Content-Type", "text/plain");
			assertThat(future.statusCode()).isEqualTo(400);
			assertThat(future.body()).contains("in the future");
			assertThat(app.bean(EtcdHistory.class).clusters()).containsExactly("demo");
			assertThat(app.bean(EtcdHistory.class).count("demo")).isEqualTo(28 * 24 + 1);
			assertThat(app
				.post("/api/v1/clusters/lab/metrics", BodyPublishers.ofString(body), "Content-Type", "text/plain")
				.statusCode()).isEqualTo(200);
		}
	}

	@Test
	void aCrossSiteBrowserPostIsRefused() throws Exception {
		RunningApp app = app();
		HttpResponse<String> forged = app.post("/api/v1/clusters/lab/metrics",
				BodyPublishers.ofString("apiserver_storage_size_bytes{cluster=\"a\"} 1\n"), "Content-Type",
				"text/plain", "Origin", "https://evil.example");
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(app.bean(EtcdHistory.class).clusters()).doesNotContain("lab");
	}

	private static JsonNode find(JsonNode array, String group, String resource) {
		for (JsonNode node : array) {
			if (node.get("group").asString().equals(group) && node.get("resource").asString().equals(resource)) {
				return node;
			}
		}
		throw new AssertionError(group + "/" + resource + " not in " + array);
	}

	/** The largest apiserver_storage_size_bytes value, read off the file. */
	private static long sizeOf(Path scrape) throws Exception {
		List<String> lines = Files.readAllLines(scrape);
		return lines.stream()
			.filter((l) -> l.startsWith("apiserver_storage_size_bytes{"))
			.mapToLong((l) -> Math.round(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
			.max()
			.orElseThrow();
	}

	private static long objectCount(Path scrape, String seriesPrefix) throws Exception {
		return Files.readAllLines(scrape)
			.stream()
			.filter((l) -> l.startsWith(seriesPrefix + " "))
			.mapToLong((l) -> Math.round(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
			.findFirst()
			.orElseThrow();
	}

}
