package dev.cpdoctor.history;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RequestKey;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The audit rollup store on a real H2 database: a minute's cells as parts that add up,
 * folded once they pile up; waiting requests as a log replayed after a restart; rows an
 * older version left in the per-cell tables moved over without loss; stored bytes that do
 * not read back refused.
 */
class AuditRollupStoreTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	@TempDir
	Path dir;

	private JdbcDataSource dataSource(String target) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + this.dir.resolve("cpdoctor") + ";DB_CLOSE_DELAY=-1");
		dataSource.setUser("cpdoctor");
		dataSource.setPassword("");
		var flyway = Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration")
			.javaMigrations(new MoveAuditMinuteRows());
		if (target != null) {
			flyway.target(target);
		}
		flyway.load().migrate();
		return dataSource;
	}

	private static AuditStore store(JdbcDataSource dataSource) {
		return AuditStore.on(dataSource);
	}

	private static AuditEvent event(String id, Stage stage, String userAgent, Instant received, long latencyMs) {
		return new AuditEvent(id, stage, "list", userAgent, "pods", "", "",
				(stage == Stage.RESPONSE_COMPLETE) ? 200 : 0, received, received.plusMillis(latencyMs));
	}

	@Test
	void aMinuteStoredInManyBatchesAddsUpAndIsFoldedOnceItsPartsPileUp() {
		JdbcDataSource dataSource = dataSource(null);
		AuditStore store = store(dataSource);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		long latencySum = 0;
		int batches = AuditRollupWriter.MAX_PARTS * 2 + 3;
		for (int b = 0; b < batches; b++) {
			List<AuditEvent> events = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				long latency = 1 + b * 10 + i;
				latencySum += latency;
				events.add(event("r" + b + "-" + i, Stage.RESPONSE_COMPLETE, (i % 2 == 0) ? "kubectl" : "helm",
						T0.plusSeconds(i), latency));
			}
			AuditBatch batch = stream.process(events, T0.plusSeconds(60));
			store.writer().store("c", batch, "webhook", new AuditInputReport(), T0, null, null);
			stream.commit(batch);
		}
		Integer parts = new JdbcTemplate(dataSource)
			.queryForObject("select count(*) from audit_cells where cluster = 'c'", Integer.class);
		assertThat(parts).isBetween(1, AuditRollupWriter.MAX_PARTS - 1);
		List<UserAgentRequests> top = store.queries()
			.userAgentBins("c", WINDOW, WINDOW.length())
			.topUserAgents(WINDOW, 10);
		assertThat(top).containsExactly(new UserAgentRequests("helm", batches * 5L),
				new UserAgentRequests("kubectl", batches * 5L));
		List<UserAgentLatency> latency = store.queries()
			.userAgentBins("c", WINDOW, WINDOW.length())
			.latencySeries(WINDOW, WINDOW.length(), 10);
		double average = latency.stream()
			.mapToDouble((series) -> series.points().get(0).avgMs() * series.points().get(0).requests())
			.sum() / (batches * 10.0);
		assertThat(average).isCloseTo(latencySum / (batches * 10.0), Offset.offset(1e-9));
		assertThat(store.queries().verbsAndResources("c", WINDOW, "helm").p99ByVerbAndResource(WINDOW, "helm"))
			.singleElement()
			.satisfies((row) -> assertThat(row.requests()).isEqualTo(batches * 5L));
	}

	@Test
	void waitingRequestsSurviveARestartThroughTheLogAndItsFolds() {
		JdbcDataSource dataSource = dataSource(null);
		AuditStore store = store(dataSource);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		// Each batch opens two requests and completes one opened by the batch before.
		int batches = AuditPendingLog.MAX_PENDING_ROWS + 10;
		for (int b = 0; b < batches; b++) {
			List<AuditEvent> events = new ArrayList<>();
			events.add(event("open-" + b, Stage.REQUEST_RECEIVED, "kubectl", T0.plusMillis(b), 0));
			events.add(event("done-" + b, Stage.REQUEST_RECEIVED, "kubectl", T0.plusMillis(b), 0));
			if (b > 0) {
				events.add(event("done-" + (b - 1), Stage.RESPONSE_COMPLETE, "kubectl", T0.plusMillis(b - 1), 3));
			}
			AuditBatch batch = stream.process(events, T0.plusSeconds(1));
			store.writer().store("c", batch, "webhook", new AuditInputReport(), T0, null, null);
			stream.commit(batch);
		}
		AuditStore restarted = store(dataSource);
		List<PendingRequest> waiting = restarted.writer().pending("c");
		assertThat(waiting).extracting(PendingRequest::auditId)
			.hasSize(batches + 1)
			.contains("open-0", "open-" + (batches - 1), "done-" + (batches - 1))
			.doesNotContain("done-0");
		assertThat(stream.pending()).isEqualTo(waiting.size());
		Integer rows = new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_pending_log",
				Integer.class);
		assertThat(rows).isLessThan(AuditPendingLog.MAX_PENDING_ROWS);
	}

	/**
	 * Rows of V3's audit_minute (and V4's audit_pending), written before Flyway migrates
	 * past V4: V7 moves the minutes into audit_cells when the database is migrated.
	 */
	@Test
	void rowsOfTheOlderPerCellTablesAreMovedWithoutLoss() {
		JdbcDataSource v4 = dataSource("4");
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

		AuditStore store = store(dataSource(null));
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

	@Test
	void storedBytesThatDoNotReadBackAreRefusedNotSkipped() {
		MinuteCell cell = new MinuteCell();
		cell.addRequest();
		cell.addLatency(12.5);
		byte[] blob = CellBlob.encode(Map.of(7L, cell));
		List<Object> read = new ArrayList<>();
		CellBlob.decode(blob, true, (series, requests, latencyCount, latencySumMs, sketch) -> read
			.addAll(List.of(series, requests, latencyCount, latencySumMs, sketch.length > 0)));
		assertThat(read).containsExactly(7L, 1L, 1L, 12.5, true);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> CellBlob.decode(Arrays.copyOf(blob, blob.length - 1), false, (a, b, c, d, e) -> {
			}))
			.withMessageContaining("ends in the middle");
		byte[] longer = Arrays.copyOf(blob, blob.length + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> CellBlob.decode(longer, false, (a, b, c, d, e) -> {
		})).withMessageContaining("after its last field");
		byte[] pending = PendingBlob
			.added(List.of(new PendingRequest("é-1", T0, "agent \"x\" ü", "get", "pods", 200, false)));
		assertThat(PendingBlob.readAdded(pending))
			.containsExactly(new PendingRequest("é-1", T0, "agent \"x\" ü", "get", "pods", 200, false));
		pending[0] = 9;
		assertThatIllegalArgumentException().isThrownBy(() -> PendingBlob.readAdded(pending))
			.withMessageContaining("unknown format");
	}

	/**
	 * A waiting request whose responseStatus.code is negative (the JSON parser takes any
	 * int) is stored and read back by every fold and restart: an unreadable log would
	 * fail every later batch of the cluster.
	 */
	@Test
	void aNegativeCodeOnAWaitingRequestDoesNotWedgeTheCluster() {
		String line = "{\"auditID\":\"neg\",\"stage\":\"RequestReceived\",\"verb\":\"get\",\"userAgent\":\"ua\","
				+ "\"responseStatus\":{\"code\":-1},\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\","
				+ "\"stageTimestamp\":\"2026-11-22T10:00:00Z\"}\n";
		List<AuditEvent> parsed = new ArrayList<>();
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		AuditInputReport report = new AuditEventParser().parseLines(bytes, 0, bytes.length, parsed::add);
		assertThat(report.problems()).isEmpty();
		assertThat(parsed).singleElement().satisfies((e) -> assertThat(e.code()).isEqualTo(-1));

		JdbcDataSource dataSource = dataSource(null);
		AuditStore store = store(dataSource);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		for (int b = 0; b < AuditPendingLog.MAX_PENDING_ROWS + 2; b++) {
			List<AuditEvent> events = new ArrayList<>();
			if (b == 0) {
				events.addAll(parsed);
			}
			events.add(new AuditEvent("r" + b, Stage.REQUEST_RECEIVED, "get", "ua", "pods", "", "", 0, T0.plusMillis(b),
					T0.plusMillis(b)));
			AuditBatch batch = stream.process(events, T0.plusSeconds(1));
			int number = b;
			assertThatCode(() -> store.writer().store("c", batch, "webhook", new AuditInputReport(), T0, null, null))
				.as("batch %d", number)
				.doesNotThrowAnyException();
			stream.commit(batch);
		}
		assertThatCode(() -> store(dataSource).writer().pending("c")).doesNotThrowAnyException();
	}

	/**
	 * A store on a database migrated to V4 with one waiting request in audit_pending,
	 * then to the latest.
	 */
	private AuditStore storeAfterALegacyWaitingRequest(String auditId, Instant received) {
		new JdbcTemplate(dataSource("4")).update("insert into audit_pending (cluster, audit_id, request_received,"
				+ " user_agent, verb, resource, code, long_running) values ('c', ?, ?, 'kubectl', 'get', 'pods', 0, false)",
				auditId + "@" + received.getEpochSecond() + "." + received.getNano(), EtcdHistory.timestamp(received));
		return store(dataSource(null));
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

	/**
	 * Waiting requests are stored cut as audit_pending's columns cut them (verb 64,
	 * resource 800 characters): a 1 MB resource must not become a 1 MB row rewritten at
	 * every fold.
	 */
	@Test
	void aWaitingRequestsRowIsBoundedLikeTheRowsOfAuditPending() {
		JdbcDataSource dataSource = dataSource(null);
		AuditStore store = store(dataSource);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		String huge = "r".repeat(1_000_000);
		AuditBatch batch = stream.process(List
			.of(new AuditEvent("big", Stage.REQUEST_RECEIVED, "v".repeat(100_000), "ua", huge, "", "", 0, T0, T0)),
				T0.plusSeconds(1));
		store.writer().store("c", batch, "webhook", new AuditInputReport(), T0, null, null);
		Long bytes = new JdbcTemplate(dataSource)
			.queryForObject("select max(octet_length(added)) from audit_pending_log", Long.class);
		assertThat(bytes).isLessThan(4_096L);
	}

	/**
	 * AuditRollupStorePostgresTests' lone-surrogate case on H2, which keeps the text as
	 * it is.
	 */
	@Test
	void aLoneSurrogateUserAgentOnH2AfterARestart() {
		JdbcDataSource dataSource = dataSource(null);
		String userAgent = "x".repeat(1023) + "\uD83D";
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		AuditBatch first = stream.process(List.of(new AuditEvent("a", Stage.RESPONSE_COMPLETE, "get", userAgent, "pods",
				"", "", 200, T0, T0.plusMillis(3))), T0.plusSeconds(1));
		store(dataSource).writer().store("c", first, "webhook", new AuditInputReport(), T0, null, null);
		stream.commit(first);
		AuditBatch second = stream.process(List.of(new AuditEvent("b", Stage.RESPONSE_COMPLETE, "get", userAgent,
				"pods", "", "", 200, T0, T0.plusMillis(3))), T0.plusSeconds(1));
		assertThatCode(
				() -> store(dataSource).writer().store("c", second, "webhook", new AuditInputReport(), T0, null, null))
			.doesNotThrowAnyException();
	}

	@Test
	void aWindowOfManyPagesOfPartsAddsUpExactly() {
		JdbcDataSource dataSource = dataSource(null);
		AuditStore store = store(dataSource);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		int minutes = 50;
		long expected = 0;
		// Three batches over the same minutes: three parts a minute, 150 parts, several
		// pages.
		for (int round = 0; round < 3; round++) {
			List<AuditEvent> events = new ArrayList<>();
			for (int m = 0; m < minutes; m++) {
				for (int i = 0; i <= m % 4; i++) {
					events.add(event("r" + round + "-" + m + "-" + i, Stage.RESPONSE_COMPLETE, "kubectl",
							T0.plusSeconds(60L * m + i), 5));
					expected++;
				}
			}
			AuditBatch batch = stream.process(events, T0.plusSeconds(60L * minutes));
			store.writer().store("c", batch, "file", new AuditInputReport(), T0, null, null);
			stream.commit(batch);
		}
		Integer parts = new JdbcTemplate(dataSource).queryForObject("select count(*) from audit_cells", Integer.class);
		assertThat(parts).isEqualTo(3 * minutes);
		assertThat(store.queries().userAgentBins("c", WINDOW, WINDOW.length()).topUserAgents(WINDOW, 10))
			.containsExactly(new UserAgentRequests("kubectl", expected));
		List<UserAgentLatency> perMinute = store.queries()
			.userAgentBins("c", WINDOW, Duration.ofMinutes(1))
			.latencySeries(WINDOW, Duration.ofMinutes(1), 10);
		assertThat(perMinute.get(0).points().subList(0, minutes)).extracting(LatencyPoint::requests)
			.containsExactlyElementsOf(IntStream.range(0, minutes).mapToObj((m) -> 3L * (m % 4 + 1)).toList());
	}

}
