package dev.cpdoctor.history;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.assertj.core.data.Offset;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static dev.cpdoctor.history.H2AuditStores.T0;
import static dev.cpdoctor.history.H2AuditStores.WINDOW;
import static dev.cpdoctor.history.H2AuditStores.dataSource;
import static dev.cpdoctor.history.H2AuditStores.event;
import static dev.cpdoctor.history.H2AuditStores.store;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The audit rollup store on a real H2 database: a minute's cells as parts that add up,
 * folded once they pile up and read back exactly over many pages; stored bytes that do
 * not read back refused.
 */
class AuditRollupStoreTests {

	@TempDir
	Path dir;

	@Test
	void aMinuteStoredInManyBatchesAddsUpAndIsFoldedOnceItsPartsPileUp() {
		JdbcDataSource dataSource = dataSource(this.dir, null);
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
	void aWindowOfManyPagesOfPartsAddsUpExactly() {
		JdbcDataSource dataSource = dataSource(this.dir, null);
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

	/**
	 * AuditRollupStorePostgresTests' lone-surrogate case on H2, which keeps the text as
	 * it is.
	 */
	@Test
	void aLoneSurrogateUserAgentOnH2AfterARestart() {
		JdbcDataSource dataSource = dataSource(this.dir, null);
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

}
