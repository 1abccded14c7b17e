package dev.cpdoctor.source.auditlog;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.history.AuditRollupQueries;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "2xx only once the batch is durably stored": a separate JVM receives batches and is
 * killed (Runtime.halt, like kill -9) the moment the last 200 arrives; everything
 * acknowledged must be there after a restart.
 */
class AuditWebhookDurabilityTests {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	static final String TOKEN = "durable-token";

	@TempDir
	Path dataDir;

	static Map<String, Object> properties(Path dataDir) {
		return Map.of("cpdoctor.data-dir", dataDir.toString(), "cpdoctor.clusters[0].name", "lab",
				"cpdoctor.clusters[0].audit.webhook-token", TOKEN);
	}

	static AuditTraffic traffic() {
		return AuditTraffic.random(41, 1_200, 4, T0, 20);
	}

	/** The child JVM: receive every batch, then die without any shutdown. */
	public static void main(String[] args) throws Exception {
		Path dataDir = Path.of(args[0]);
		TestApp app = TestApp.start(properties(dataDir));
		List<String> lines = List.of(traffic().jsonLines(true).split("\n"));
		int acknowledged = 0;
		for (int from = 0; from < lines.size(); from += 400) {
			String batch = AuditTraffic.eventList(lines.subList(from, Math.min(lines.size(), from + 400)));
			HttpResponse<String> response = app.post("/api/v1/clusters/lab/audit", BodyPublishers.ofString(batch),
					"Authorization", "Bearer " + TOKEN);
			if (response.statusCode() != 200) {
				System.exit(3);
			}
			acknowledged++;
		}
		Files.writeString(dataDir.resolve("acknowledged"), Integer.toString(acknowledged));
		Runtime.getRuntime().halt(0);
	}

	@Test
	void everyAcknowledgedBatchSurvivesAKilledProcess() throws Exception {
		Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), "-Djava.net.preferIPv4Stack=true",
				AuditWebhookDurabilityTests.class.getName(), this.dataDir.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.dataDir.resolve("child.log").toFile())
			.start();
		assertThat(child.waitFor(120, TimeUnit.SECONDS)).as("child finished").isTrue();
		assertThat(child.exitValue()).as(Files.readString(this.dataDir.resolve("child.log"))).isZero();
		assertThat(Files.readString(this.dataDir.resolve("acknowledged"))).isNotEqualTo("0");
		try (TestApp app = TestApp.start(properties(this.dataDir))) {
			TimeWindow window = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));
			List<UserAgentRequests> top = app.bean(AuditRollupQueries.class)
				.userAgentBins("lab", window, window.length())
				.topUserAgents(window, 100);
			Map<String, Long> expected = traffic().requestsPerUserAgent();
			assertThat(top).hasSize(expected.size())
				.allSatisfy((row) -> assertThat(row.requests()).isEqualTo(expected.get(row.userAgent())));
		}
	}

}
