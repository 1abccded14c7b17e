package dev.cpdoctor.history;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.assertj.core.data.Percentage;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RequestKey;
import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static dev.cpdoctor.history.H2AuditStores.T0;
import static dev.cpdoctor.history.H2AuditStores.WINDOW;
import static dev.cpdoctor.history.H2AuditStores.dataSource;
import static dev.cpdoctor.history.H2AuditStores.store;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit rollup store on an H2 database an older version wrote: rows left in the
 * per-cell tables (V3's audit_minute, V4's audit_pending) moved over without loss when
 * Flyway migrates past them.
 */
class AuditStoreUpgradeTests {

	@TempDir
	Path dir;

	/**
	 * Rows of V3's audit_minute (and V4's audit_pending), written before Flyway migrates
	 * past V4: V7 moves the minutes into audit_cells when the database is migrated.
	 */
	@Test
	void rowsOfTheOlderPerCellTablesAreMovedWithoutLoss() {
		JdbcDataSource v4 = dataSource(this.dir, "4");
		JdbcTemplate jdbc = new JdbcTemplate(v4);
		jdbc.update("insert into audit_series (id, cluster, key_hash, user_agent, verb, resource, code_class)"
				+ " values (1, 'c', 'h1', 'kubectl', 'list', 'pods', 2), (2, 'c', 'h2', 'helm', 'get', 'secrets', 2)");
		MinuteCell slow = new MinuteCell();
		slow.addRequest();
		slow.addLatency(400);
		MinuteCell fast = new MinuteCell();
		fast.addRequest();
		fast.addRequest();
		fast.addLatency(2);
		fast.addLatency(4);
		Map<String, Object[]> rows = new TreeMap<>(Map.of("a", new Object[] { 1, T0, slow }, "b",
				new Object[] { 2, T0, fast }, "c", new Object[] { 2, T0.plusSeconds(60), fast }));
		for (Object[] row : rows.values()) {
			MinuteCell cell = (MinuteCell) row[2];
			jdbc.update(
					"insert into audit_minute (series_id, at_minute, requests, latency_count, latency_sum_ms, sketch)"
							+ " values (?, ?, ?, ?, ?, ?)",
					row[0], EtcdHistory.timestamp((Instant) row[1]), cell.requests(), cell.latencyCount(),
					cell.latencySumMs(), cell.sketchBytes());
		}
		Instant received = T0.plusSeconds(5);
		jdbc.update(
				"insert into audit_pending (cluster, audit_id, request_received, user_agent, verb, resource, code,"
						+ " long_running) values ('c', ?, ?, 'kubectl', 'watch', 'pods', 0, true)",
				"w1@" + received.getEpochSecond() + "." + received.getNano(), EtcdHistory.timestamp(received));

		AuditStore store = store(dataSource(this.dir, null));
		assertThat(store.queries().userAgentBins("c", WINDOW, WINDOW.length()).topUserAgents(WINDOW, 10))
			.containsExactly(new UserAgentRequests("helm", 4), new UserAgentRequests("kubectl", 1));
		assertThat(store.queries().verbsAndResources("c", WINDOW, "kubectl").p99ByVerbAndResource(WINDOW, "kubectl"))
			.singleElement()
			.satisfies((row) -> assertThat(row.p99Ms()).isCloseTo(400, Percentage.withPercentage(1)));
		assertThat(store.queries().coverage("c")).isEqualTo(new TimeWindow(T0, T0.plusSeconds(120)));
		assertThat(jdbc.queryForObject("select count(*) from audit_minute", Integer.class)).isZero();
		assertThat(store.writer().pending("c")).extracting(PendingRequest::key)
			.containsExactly(new RequestKey("w1", received));
	}

	/**
	 * A store on a database migrated to V4 with one waiting request in audit_pending,
	 * then to the latest.
	 */
	private AuditStore storeAfterALegacyWaitingRequest(String auditId, Instant received) {
		new JdbcTemplate(dataSource(this.dir, "4"))
			.update("insert into audit_pending (cluster, audit_id, request_received,"
					+ " user_agent, verb, resource, code, long_running) values ('c', ?, ?, 'kubectl', 'get', 'pods', 0, false)",
					auditId + "@" + received.getEpochSecond() + "." + received.getNano(),
					EtcdHistory.timestamp(received));
		return store(dataSource(this.dir, null));
	}

	/**
	 * A legacy audit_pending row of a request whose requestReceivedTimestamp has more
	 * than microsecond precision: the column kept microseconds, the key ("id@sec.nanos")
	 * nanoseconds, which must win, or the request never matches its completion.
	 */
	@Test
	void aLegacyWaitingRequestWithNanosecondsStillMatchesItsCompletion() {
		Instant received = T0.plusNanos(123_456_789);
		AuditStore store = storeAfterALegacyWaitingRequest("id1", received);
		assertThat(store.writer().pending("c")).extracting(PendingRequest::key)
			.containsExactly(new RequestKey("id1", received));
	}

	/**
	 * Through the whole path: the legacy request above is completed after the upgrade and
	 * the stream is driven past its 5-minute horizon; it must count once.
	 */
	@Test
	void aLegacyWaitingRequestWithNanosecondsCountsOnce() {
		Instant received = T0.plusNanos(123_456_789);
		AuditStore store = storeAfterALegacyWaitingRequest("id1", received);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		stream.restore(store.writer().pending("c"));
		List<AuditEvent> done = List.of(new AuditEvent("id1", Stage.RESPONSE_COMPLETE, "get", "kubectl", "pods", "", "",
				200, received, received.plusMillis(5)));
		AuditBatch first = stream.process(done, T0.plusSeconds(1));
		store.writer().store("c", first, "file", new AuditInputReport(), T0, null, null);
		stream.commit(first);
		// Later traffic moves event time on past the horizon of waiting requests.
		List<AuditEvent> later = List.of(new AuditEvent("other", Stage.RESPONSE_COMPLETE, "get", "helm", "pods", "", "",
				200, T0.plusSeconds(900), T0.plusSeconds(900)));
		AuditBatch second = stream.process(later, T0.plusSeconds(901));
		store.writer().store("c", second, "file", new AuditInputReport(), T0, null, null);
		stream.commit(second);
		assertThat(store.queries().userAgentBins("c", WINDOW, WINDOW.length()).topUserAgents(WINDOW, 10))
			.contains(new UserAgentRequests("kubectl", 1));
	}

}
