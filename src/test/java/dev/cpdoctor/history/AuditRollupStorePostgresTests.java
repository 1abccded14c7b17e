package dev.cpdoctor.history;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The audit rollup store on a real PostgreSQL, in a schema of its own of the
 * cpdoctor_test database .ci/run creates: text PostgreSQL does not store verbatim, and
 * the folds. Skipped when nothing answers on 127.0.0.1:5432, failed instead with CI=true.
 */
class AuditRollupStorePostgresTests {

	private final TestPostgresSchema schema = new TestPostgresSchema("audit_store_pg");

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	private DataSource dataSource;

	@BeforeEach
	void schema() throws SQLException {
		this.dataSource = this.schema.create();
	}

	@AfterEach
	void drop() throws SQLException {
		this.schema.drop();
	}

	private AuditStore store() {
		return AuditStore.on(this.dataSource);
	}

	private static AuditBatch completed(AuditStream stream, String id, String userAgent, Instant received) {
		AuditBatch batch = stream.process(List.of(new AuditEvent(id, Stage.RESPONSE_COMPLETE, "get", userAgent, "pods",
				"", "", 200, received, received.plusMillis(3))), received.plusSeconds(1));
		return batch;
	}

	/**
	 * A user agent that PostgreSQL does not store verbatim (a lone surrogate): the driver
	 * writes '?', so after a restart the series-id cache, loaded from the stored text,
	 * misses the key in memory; the series must be found by its hash, not inserted again.
	 */
	@Test
	void aUserAgentPostgresCannotStoreVerbatimDoesNotWedgeTheClusterAfterARestart() {
		String userAgent = "x".repeat(1023) + "\uD83D";
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		AuditStore before = store();
		AuditBatch first = completed(stream, "a", userAgent, T0);
		before.writer().store("c", first, "webhook", new AuditInputReport(), T0, null, null);
		stream.commit(first);
		AuditStore restarted = store();
		AuditBatch second = completed(stream, "b", userAgent, T0.plusSeconds(1));
		assertThatCode(() -> restarted.writer().store("c", second, "webhook", new AuditInputReport(), T0, null, null))
			.doesNotThrowAnyException();
	}

	/**
	 * The same through objectRef.resource, which a client chooses through the URL path (a
	 * 404 is audited too) and which is cut at 800 characters.
	 */
	@Test
	void aResourcePostgresCannotStoreVerbatimDoesNotWedgeTheClusterAfterARestart() {
		String resource = "r".repeat(799) + "\uD83D\uDE00";
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		AuditBatch first = stream.process(List
			.of(new AuditEvent("a", Stage.RESPONSE_COMPLETE, "get", "ua", resource, "", "", 404, T0, T0.plusMillis(3))),
				T0.plusSeconds(1));
		store().writer().store("c", first, "webhook", new AuditInputReport(), T0, null, null);
		stream.commit(first);
		AuditBatch second = stream.process(List
			.of(new AuditEvent("b", Stage.RESPONSE_COMPLETE, "get", "ua", resource, "", "", 404, T0, T0.plusMillis(3))),
				T0.plusSeconds(1));
		AuditStore restarted = store();
		assertThatCode(() -> restarted.writer().store("c", second, "webhook", new AuditInputReport(), T0, null, null))
			.doesNotThrowAnyException();
	}

	/**
	 * Sanity on PostgreSQL: parts folded, pending log folded and replayed, generated ids.
	 */
	@Test
	void foldsWorkOnPostgres() {
		AuditStore store = store();
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		int batches = AuditPendingLog.MAX_PENDING_ROWS + 5;
		for (int b = 0; b < batches; b++) {
			List<AuditEvent> events = new ArrayList<>();
			events.add(new AuditEvent("open-" + b, Stage.REQUEST_RECEIVED, "get", "kubectl", "pods", "", "", 0,
					T0.plusMillis(b), T0.plusMillis(b)));
			events.add(new AuditEvent("done-" + b, Stage.RESPONSE_COMPLETE, "get", (b % 2 == 0) ? "kubectl" : "helm",
					"pods", "", "", 200, T0.plusMillis(b), T0.plusMillis(b + 3)));
			AuditBatch batch = stream.process(events, T0.plusSeconds(1));
			store.writer().store("c", batch, "webhook", new AuditInputReport(), T0, null, null);
			stream.commit(batch);
		}
		assertThat(store().queries().userAgentBins("c", WINDOW, WINDOW.length()).topUserAgents(WINDOW, 10))
			.containsExactly(new UserAgentRequests("kubectl", (batches + 1) / 2),
					new UserAgentRequests("helm", batches / 2));
		assertThat(store().writer().pending("c")).extracting(PendingRequest::auditId).hasSize(batches);
	}

	/**
	 * Rows of V3's audit_minute, written before Flyway migrates past V6: V7 streams them
	 * (a cursor inside Flyway's transaction on PostgreSQL) into audit_cells, each minute
	 * after the parts it has already.
	 */
	@Test
	void theMigrationMovesRowsOfTheOlderPerCellTableOnPostgres() throws SQLException {
		this.dataSource = this.schema.create("6");
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		jdbc.update("insert into audit_series (id, cluster, key_hash, user_agent, verb, resource, code_class)"
				+ " values (1, 'c', 'h1', 'kubectl', 'list', 'pods', 2), (2, 'c', 'h2', 'helm', 'get', 'secrets', 2)");
		MinuteCell stored = new MinuteCell();
		stored.addRequest();
		stored.addRequest();
		jdbc.update("insert into audit_cells (cluster, at_minute, part, cells) values ('c', ?, 0, ?)",
				EtcdHistory.timestamp(T0), CellBlob.encode(Map.of(1L, stored)));
		MinuteCell slow = new MinuteCell();
		slow.addRequest();
		slow.addLatency(400);
		MinuteCell fast = new MinuteCell();
		fast.addRequest();
		fast.addRequest();
		for (Object[] row : List.of(new Object[] { 1, T0, slow }, new Object[] { 2, T0, fast },
				new Object[] { 2, T0.plusSeconds(60), fast })) {
			MinuteCell cell = (MinuteCell) row[2];
			jdbc.update(
					"insert into audit_minute (series_id, at_minute, requests, latency_count, latency_sum_ms, sketch)"
							+ " values (?, ?, ?, ?, ?, ?)",
					row[0], EtcdHistory.timestamp((Instant) row[1]), cell.requests(), cell.latencyCount(),
					cell.latencySumMs(), cell.sketchBytes());
		}

		this.schema.migrate(this.dataSource, null);
		assertThat(jdbc.queryForObject("select count(*) from audit_minute", Integer.class)).isZero();
		assertThat(jdbc.queryForList("select part from audit_cells where at_minute = ? order by part", Integer.class,
				EtcdHistory.timestamp(T0)))
			.containsExactly(0, 1);
		AuditStore store = store();
		assertThat(store.queries().userAgentBins("c", WINDOW, WINDOW.length()).topUserAgents(WINDOW, 10))
			.containsExactly(new UserAgentRequests("helm", 4), new UserAgentRequests("kubectl", 3));
		assertThat(store.queries().verbsAndResources("c", WINDOW, "kubectl").p99ByVerbAndResource(WINDOW, "kubectl"))
			.singleElement()
			.satisfies((row) -> assertThat(row.p99Ms()).isCloseTo(400, Percentage.withPercentage(1)));
		assertThat(store.queries().coverage("c")).isEqualTo(new TimeWindow(T0, T0.plusSeconds(120)));
	}

}
