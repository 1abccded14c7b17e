package dev.cpdoctor.history;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.PendingRequest;

import static dev.cpdoctor.history.H2AuditStores.T0;
import static dev.cpdoctor.history.H2AuditStores.dataSource;
import static dev.cpdoctor.history.H2AuditStores.event;
import static dev.cpdoctor.history.H2AuditStores.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The audit rollup store's waiting requests on a real H2 database: a log replayed after a
 * restart and folded as it grows, its rows bounded, whatever odd values a request brings.
 */
class AuditPendingLogTests {

	@TempDir
	Path dir;

	@Test
	void waitingRequestsSurviveARestartThroughTheLogAndItsFolds() {
		JdbcDataSource dataSource = dataSource(this.dir, null);
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

		JdbcDataSource dataSource = dataSource(this.dir, null);
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
	 * Waiting requests are stored cut as audit_pending's columns cut them (verb 64,
	 * resource 800 characters): a 1 MB resource must not become a 1 MB row rewritten at
	 * every fold.
	 */
	@Test
	void aWaitingRequestsRowIsBoundedLikeTheRowsOfAuditPending() {
		JdbcDataSource dataSource = dataSource(this.dir, null);
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

}
