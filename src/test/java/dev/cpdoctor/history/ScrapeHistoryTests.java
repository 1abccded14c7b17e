package dev.cpdoctor.history;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ScrapeCadence;

import static org.assertj.core.api.Assertions.assertThat;

/** The cadence of stored scrapes, read back from the real (H2) history database. */
class ScrapeHistoryTests {

	private static final Instant FROM = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow HOUR = new TimeWindow(FROM, FROM.plus(Duration.ofHours(1)));

	@TempDir
	Path dataDir;

	@Test
	void storedScrapesInTheWindowGiveCountsIntervalsAndTheLongestGap() throws Exception {
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString()))) {
			EtcdHistory history = app.bean(EtcdHistory.class);
			// In the window: 0, 60, 120, 180, 300, 360, 1260 s: intervals 60 60 60 120 60 900.
			for (long seconds : new long[] { 0, 60, 120, 180, 300, 360, 1260 }) {
				history.saveScrape("lab", FROM.plusSeconds(seconds), snapshot());
			}
			// Outside it: just before, exactly at its (exclusive) end; and another cluster inside it.
			history.saveScrape("lab", FROM.minusSeconds(1), snapshot());
			history.saveScrape("lab", HOUR.to(), snapshot());
			history.saveScrape("other", FROM.plusSeconds(30), snapshot());

			ScrapeCadence cadence = new ScrapeHistory(app.bean(JdbcClient.class)).cadence("lab", HOUR);

			assertThat(cadence).isEqualTo(new ScrapeCadence(HOUR, 7, FROM, FROM.plusSeconds(1260), Duration.ofSeconds(60),
					Duration.ofSeconds(900), Duration.ofSeconds(900), FROM.plusSeconds(360)));
			assertThat(new ScrapeHistory(app.bean(JdbcClient.class)).cadence("nobody", HOUR).samples()).isZero();

			// With what the scraper saw last (in memory): the failed attempt's error and when.
			Instant failedAt = FROM.plusSeconds(1500);
			ScrapeStatus status = new ScrapeStatus(failedAt, FROM.plusSeconds(1260), "GET /metrics timed out after PT10S", 3,
					"v1.30.0", Duration.ofMinutes(8));
			CallHistory calls = new ScrapeHistory(app.bean(JdbcClient.class)).callHistory("lab", HOUR,
					Optional.of(status), Duration.ofSeconds(60));
			assertThat(calls).isEqualTo(new CallHistory(cadence, Duration.ofSeconds(60), failedAt, FROM.plusSeconds(1260),
					"GET /metrics timed out after PT10S", failedAt, 3));
			CallHistory fine = new ScrapeHistory(app.bean(JdbcClient.class)).callHistory("lab", HOUR,
					Optional.of(new ScrapeStatus(failedAt, failedAt, null, 0, "v1.30.0", Duration.ofMinutes(1))),
					Duration.ofSeconds(60));
			assertThat(fine.lastError()).isNull();
			assertThat(fine.lastErrorAt()).isNull();
		}
	}

	private static ApiserverSnapshot snapshot() throws Exception {
		String body = "apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"} 1e9\n"
				+ "apiserver_resource_objects{group=\"\",resource=\"pods\"} 10\n";
		return ApiserverSnapshot.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
	}

}
