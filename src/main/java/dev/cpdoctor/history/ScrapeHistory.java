package dev.cpdoctor.history;

import java.time.OffsetDateTime;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cpdoctor.analysis.TimeWindow;
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
		List<java.time.Instant> times = this.jdbc
			.sql("select sampled_at from etcd_sample where cluster = ? and sampled_at >= ? and sampled_at < ?"
					+ " order by sampled_at")
			.params(cluster, EtcdHistory.timestamp(window.from()), EtcdHistory.timestamp(window.to()))
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
		return ScrapeCadence.of(window, times);
	}

}
