package dev.cpdoctor.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ScrapeCadence;

/**
 * The dashboard's own scrape history of a cluster, read from the stored samples (table etcd_sample):
 * each successful /metrics scrape that said anything about etcd is one row at the instant it ended.
 */
public class ScrapeHistory {

	private final JdbcClient jdbc;

	public ScrapeHistory(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The stored scrapes of a cluster in the window [from, to). */
	public ScrapeCadence cadence(String cluster, TimeWindow window) {
		List<Instant> times = this.jdbc
			.sql("select sampled_at from etcd_sample where cluster = ? and sampled_at >= ? and sampled_at < ?"
					+ " order by sampled_at")
			.params(cluster, EtcdHistory.timestamp(window.from()), EtcdHistory.timestamp(window.to()))
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
		return ScrapeCadence.of(window, times);
	}

	/**
	 * The stored scrapes in the window with what the scraper saw of its latest attempts.
	 *
	 * @param status the scraper's in-memory status of the cluster, empty when it does not scrape it
	 * @param scrapeInterval the configured interval
	 */
	public CallHistory callHistory(String cluster, TimeWindow window, Optional<ScrapeStatus> status,
			Duration scrapeInterval) {
		ScrapeCadence cadence = cadence(cluster, window);
		ScrapeStatus last = status.orElse(ScrapeStatus.notYet(Duration.ZERO));
		Instant lastErrorAt = (last.lastError() != null) ? last.lastAttempt() : null;
		return new CallHistory(cadence, scrapeInterval, last.lastAttempt(), last.lastSuccess(), last.lastError(),
				lastErrorAt, last.consecutiveFailures());
	}

}
