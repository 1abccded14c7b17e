package dev.cpdoctor.history;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The move of V3's per-cell rows (audit_minute) into audit_cells is Flyway's version 7,
 * run by the application at start-up: an H2 database an older version left (migrated to
 * V6, rows in audit_minute) answers from the moved rows, and audit_minute is empty.
 */
class MoveAuditMinuteRowsTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	@TempDir
	Path dataDir;

	@Test
	void theApplicationMovesRowsAnOlderVersionLeftWhenItStarts() throws Exception {
		JdbcDataSource older = new JdbcDataSource();
		older.setURL("jdbc:h2:file:" + this.dataDir.resolve("cpdoctor"));
		older.setUser("cpdoctor");
		older.setPassword("");
		Flyway.configure().dataSource(older).locations("classpath:db/migration").target("6").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(older);
		jdbc.update("insert into audit_series (id, cluster, key_hash, user_agent, verb, resource, code_class)"
				+ " values (1, 'old', 'h1', 'kubectl', 'list', 'pods', 2)");
		MinuteCell cell = new MinuteCell();
		cell.addRequest();
		cell.addRequest();
		cell.addLatency(7);
		for (Instant minute : new Instant[] { T0, T0.plusSeconds(60) }) {
			jdbc.update(
					"insert into audit_minute (series_id, at_minute, requests, latency_count, latency_sum_ms, sketch)"
							+ " values (1, ?, ?, ?, ?, ?)",
					EtcdHistory.timestamp(minute), cell.requests(), cell.latencyCount(), cell.latencySumMs(),
					cell.sketchBytes());
		}

		TimeWindow window = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));
		try (TestApp app = TestApp
			.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "cpdoctor.demo.enabled", "false"))) {
			JdbcTemplate migrated = app.bean(JdbcTemplate.class);
			assertThat(migrated.queryForObject("select count(*) from audit_minute", Integer.class)).isZero();
			assertThat(migrated.queryForObject(
					"select \"description\" from \"flyway_schema_history\" where \"version\" = '7' and \"success\"",
					String.class))
				.isEqualTo("Move audit minute rows to cells");
			AuditRollupQueries queries = app.bean(AuditRollupQueries.class);
			assertThat(queries.userAgentBins("old", window, window.length()).topUserAgents(window, 10))
				.containsExactly(new UserAgentRequests("kubectl", 4));
			assertThat(queries.coverage("old")).isEqualTo(new TimeWindow(T0, T0.plusSeconds(120)));
		}
	}

}
