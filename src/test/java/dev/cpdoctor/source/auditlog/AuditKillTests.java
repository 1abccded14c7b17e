package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.audit.AuditTraffic;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exactness suite's kill -9: the dashboard runs as a process of its own on its
 * embedded database, takes half of a shuffled trace by webhook, is killed with SIGKILL
 * (no shutdown, no flush), starts again on the same data and takes every batch again,
 * re-split, and the rest: every request counts once.
 */
class AuditKillTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final String TOKEN = "kill-9-token";

	@TempDir
	Path dir;

	@Test
	void aDashboardKilledBetweenBatchesCountsEveryRequestOnceAfterItsRestart() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(61, 6_000, 5, T0, 30);
		List<String> events = new ArrayList<>(Arrays.asList(traffic.jsonLines(true).split("\n")));
		Collections.shuffle(events, new Random(61));
		List<List<String>> batches = new ArrayList<>();
		for (int from = 0; from < events.size(); from += 700) {
			batches.add(events.subList(from, Math.min(events.size(), from + 700)));
		}
		int half = batches.size() / 2;
		Dashboard first = Dashboard.start(this.dir);
		try {
			for (List<String> batch : batches.subList(0, half)) {
				assertThat(first.deliver(batch)).isEqualTo(200);
			}
		}
		finally {
			first.kill();
		}
		Dashboard second = Dashboard.start(this.dir);
		try {
			for (int b = 0; b < batches.size(); b++) {
				List<String> batch = batches.get(b);
				// the first half again, split otherwise (new digests), then the rest
				if (b < half) {
					assertThat(second.deliver(batch.subList(0, batch.size() / 2))).isEqualTo(200);
					assertThat(second.deliver(batch.subList(batch.size() / 2, batch.size()))).isEqualTo(200);
				}
				else {
					assertThat(second.deliver(batch)).isEqualTo(200);
				}
			}
			assertThat(second.topUserAgents()).isEqualTo(new TreeMap<>(traffic.requestsPerUserAgent()));
		}
		finally {
			second.kill();
		}
	}

	/** The dashboard as a process of its own, with one webhook cluster. */
	private record Dashboard(Process process, int port) {

		static Dashboard start(Path dir) throws Exception {
			int port;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				port = socket.getLocalPort();
			}
			List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-Xmx384m", "-cp", System.getProperty("java.class.path"), "dev.cpdoctor.CpDoctorApplication",
					"--server.port=" + port, "--cpdoctor.data-dir=" + dir.resolve("data"),
					"--cpdoctor.demo.enabled=false", "--cpdoctor.kubeconfig.offer-current-context=false",
					"--cpdoctor.clusters[0].name=lab", "--cpdoctor.clusters[0].audit.webhook-token=" + TOKEN,
					"--cpdoctor.audit.retention=36500d");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("dashboard.log").toFile()))
				.start();
			Dashboard dashboard = new Dashboard(process, port);
			dashboard.awaitHealth();
			return dashboard;
		}

		private void awaitHealth() throws InterruptedException {
			long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
			while (System.nanoTime() < deadline) {
				assertThat(this.process.isAlive()).as("the dashboard process ended while starting").isTrue();
				try {
					if (get("/actuator/health").statusCode() == 200) {
						return;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(250);
			}
			throw new AssertionError("the dashboard did not answer /actuator/health within 120 s");
		}

		int deliver(List<String> events) throws IOException, InterruptedException {
			HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/clusters/lab/audit"))
				.POST(BodyPublishers.ofString(AuditTraffic.eventList(events)))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + TOKEN)
				.build();
			return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
		}

		Map<String, Long> topUserAgents() throws IOException, InterruptedException {
			HttpResponse<String> top = get("/api/v1/clusters/lab/audit/top-user-agents?limit=100&from=" + T0 + "&to="
					+ T0.plus(Duration.ofHours(1)));
			assertThat(top.statusCode()).as(top.body()).isEqualTo(200);
			Map<String, Long> requests = new TreeMap<>();
			for (JsonNode agent : JSON.readTree(top.body())) {
				requests.put(agent.get("userAgent").asString(), agent.get("requests").asLong());
			}
			return requests;
		}

		private HttpResponse<String> get(String path) throws IOException, InterruptedException {
			return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Accept", "application/json").build(),
					HttpResponse.BodyHandlers.ofString());
		}

		private URI uri(String path) {
			return URI.create("http://127.0.0.1:" + this.port + path);
		}

		/** SIGKILL: no shutdown hook runs, nothing is flushed. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor();
		}

	}

}
