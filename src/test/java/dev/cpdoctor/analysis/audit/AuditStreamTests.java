package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AuditStreamTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

	private final AuditStream stream = new AuditStream(AuditStream.Limits.defaults());

	private static AuditEvent event(String id, Stage stage, String verb, int code, Instant received, double latencyMs) {
		Instant at = (stage == Stage.RESPONSE_COMPLETE) ? received.plusMillis((long) latencyMs) : received;
		return new AuditEvent(id, stage, verb, "kubectl/v1.30", "pods", "", "", code, received, at);
	}

	private AuditBatch processAndCommit(List<AuditEvent> events) {
		AuditBatch batch = this.stream.process(events, NOW);
		this.stream.commit(batch);
		return batch;
	}

	private static long requests(List<AuditBatch> batches) {
		return batches.stream().mapToLong(AuditBatch::requests).sum();
	}

	@Test
	void bothStagesInOneBatchCountOnceWithTheLatencyInTheCompletedCodeClass() {
		AuditBatch batch = processAndCommit(List.of(event("a", Stage.REQUEST_RECEIVED, "list", 0, T0, 0),
				event("a", Stage.RESPONSE_COMPLETE, "list", 404, T0, 250)));
		assertThat(batch.requests()).isEqualTo(1);
		assertThat(batch.cells()).hasSize(1);
		Map.Entry<RollupKey, MinuteCell> cell = batch.cells().entrySet().iterator().next();
		assertThat(cell.getKey().codeClass()).isEqualTo(4);
		assertThat(cell.getKey().minute()).isEqualTo(T0);
		assertThat(cell.getValue().latencyCount()).isEqualTo(1);
		assertThat(cell.getValue().latencySumMs()).isEqualTo(250.0);
		assertThat(batch.addedPending()).isEmpty();
	}

	@Test
	void stagesInDifferentBatchesCountOnceAndThePendingRequestIsResolved() {
		AuditBatch first = processAndCommit(List.of(event("a", Stage.REQUEST_RECEIVED, "get", 0, T0, 0)));
		assertThat(first.requests()).isZero();
		assertThat(first.addedPending()).extracting(PendingRequest::key).containsExactly(new RequestKey("a", T0));
		assertThat(this.stream.pending()).isEqualTo(1);
		AuditBatch second = processAndCommit(List.of(event("a", Stage.RESPONSE_COMPLETE, "get", 200, T0, 40)));
		assertThat(second.requests()).isEqualTo(1);
		assertThat(second.resolvedPending()).containsExactly(new RequestKey("a", T0));
		assertThat(this.stream.pending()).isZero();
	}

	@Test
	void aRetriedBatchAndALateStageAreNotCountedAgain() {
		List<AuditEvent> batch = List.of(event("a", Stage.RESPONSE_COMPLETE, "get", 200, T0, 10),
				event("b", Stage.RESPONSE_COMPLETE, "get", 200, T0, 20));
		List<AuditBatch> batches = new ArrayList<>();
		batches.add(processAndCommit(batch));
		batches.add(processAndCommit(batch));
		batches.add(processAndCommit(List.of(event("a", Stage.REQUEST_RECEIVED, "get", 0, T0, 0))));
		assertThat(requests(batches)).isEqualTo(2);
		assertThat(batches.get(1).duplicates()).isEqualTo(2);
		assertThat(this.stream.pending()).isZero();
	}

	@Test
	void aPolicyThatLogsOnlyRequestReceivedStillCountsEveryRequestOnceItsHorizonHasPassed() {
		List<AuditBatch> batches = new ArrayList<>();
		batches.add(processAndCommit(List.of(event("a", Stage.REQUEST_RECEIVED, "get", 0, T0, 0),
				event("b", Stage.REQUEST_RECEIVED, "get", 0, T0.plusSeconds(30), 0))));
		assertThat(requests(batches)).isZero();
		// Six minutes of event time later, both have waited past the 5-minute horizon.
		batches.add(processAndCommit(List.of(event("c", Stage.REQUEST_RECEIVED, "get", 0, T0.plusSeconds(390), 0))));
		assertThat(requests(batches)).isEqualTo(2);
		assertThat(batches.get(1).expired()).isEqualTo(2);
		assertThat(batches.get(1).cells().values()).allSatisfy((cell) -> assertThat(cell.latencyCount()).isZero());
		assertThat(this.stream.pending()).isEqualTo(1);
	}

	@Test
	void aWatchWaitsLongerAndCountsWithoutLatency() {
		processAndCommit(List.of(event("w", Stage.REQUEST_RECEIVED, "watch", 0, T0, 0),
				event("w", Stage.RESPONSE_STARTED, "watch", 200, T0, 0)));
		AuditBatch later = processAndCommit(
				List.of(event("g", Stage.RESPONSE_COMPLETE, "get", 200, T0.plus(Duration.ofMinutes(30)), 5)));
		assertThat(later.expired()).isZero();
		assertThat(this.stream.pending()).isEqualTo(1);
		AuditBatch done = processAndCommit(List.of(event("w", Stage.RESPONSE_COMPLETE, "watch", 200, T0, 1_800_000)));
		assertThat(done.requests()).isEqualTo(1);
		assertThat(done.cells().values().iterator().next().latencyCount()).isZero();
	}

	@Test
	void requestsThatShareAnAuditIdHeaderStillCountApart() {
		List<AuditEvent> events = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			Instant received = T0.plusMillis(100L * i);
			events.add(event("my-trace-id", Stage.REQUEST_RECEIVED, "get", 0, received, 0));
			events.add(event("my-trace-id", Stage.RESPONSE_COMPLETE, "get", 200, received, 3));
		}
		AuditBatch batch = processAndCommit(events);
		assertThat(batch.requests()).isEqualTo(10);
		assertThat(batch.duplicates()).isZero();
		assertThat(this.stream.pending()).isZero();
	}

	@Test
	void aLongRunningRequestCountedAtItsHorizonIsNotCountedAgainWhenItEndsHoursLater() {
		Instant start = NOW.minus(Duration.ofHours(5));
		processAndCommit(List.of(event("logs-f", Stage.REQUEST_RECEIVED, "get", 0, start, 0).withSubresource("log")));
		// Almost five hours of other traffic: past the 2-hour horizon and the 3 hours
		// counted requests are remembered.
		List<AuditBatch> batches = new ArrayList<>();
		for (int minute = 1; minute < 299; minute++) {
			batches.add(processAndCommit(List.of(event("g-" + minute, Stage.RESPONSE_COMPLETE, "get", 200,
					start.plus(Duration.ofMinutes(minute)), 5))));
		}
		assertThat(batches.stream().mapToLong(AuditBatch::expired).sum()).isEqualTo(1);
		AuditBatch end = processAndCommit(List
			.of(event("logs-f", Stage.RESPONSE_COMPLETE, "get", 200, start, 4.9 * 3_600_000).withSubresource("log")));
		// Received before the 3 hours counted requests are remembered: refused, it may
		// have been counted (it was), never counted again.
		assertThat(end.requests()).isZero();
		assertThat(end.forgotten()).isEqualTo(1);
	}

	@Test
	void aLongRunningRequestCountedAtItsHorizonIsARepeatWhenItEndsWithinTheRememberedWindow() {
		Instant start = NOW.minus(Duration.ofHours(3));
		processAndCommit(List.of(event("exec", Stage.REQUEST_RECEIVED, "create", 0, start, 0).withSubresource("exec")));
		List<AuditBatch> batches = new ArrayList<>();
		for (int minute = 1; minute < 150; minute++) {
			batches.add(processAndCommit(List.of(event("g-" + minute, Stage.RESPONSE_COMPLETE, "get", 200,
					start.plus(Duration.ofMinutes(minute)), 5))));
		}
		assertThat(batches.stream().mapToLong(AuditBatch::expired).sum()).isEqualTo(1);
		AuditBatch end = processAndCommit(List
			.of(event("exec", Stage.RESPONSE_COMPLETE, "create", 101, start, 2.5 * 3_600_000).withSubresource("exec")));
		assertThat(end.requests()).isZero();
		assertThat(end.lateCompletions()).isZero();
		assertThat(end.duplicates()).isEqualTo(1);
	}

	@Test
	void aBatchThatWasNotStoredLeavesTheStreamUnchanged() {
		List<AuditEvent> events = List.of(event("a", Stage.REQUEST_RECEIVED, "get", 0, T0, 0),
				event("b", Stage.RESPONSE_COMPLETE, "get", 200, T0, 7));
		AuditBatch failed = this.stream.process(events, NOW);
		// not committed: the store failed, the webhook answered 503 and the apiserver
		// sends it again
		AuditBatch retried = this.stream.process(events, NOW);
		assertThat(retried.requests()).isEqualTo(failed.requests()).isEqualTo(1);
		assertThat(retried.duplicates()).isZero();
		assertThat(retried.addedPending()).hasSize(1);
		assertThat(this.stream.pending()).isZero();
	}

	@Test
	void pendingRequestsAreBoundedAndTheOldestAreCountedWhenTheBoundIsReached() {
		AuditStream small = new AuditStream(
				new AuditStream.Limits(Duration.ofMinutes(5), Duration.ofHours(2), 100, null));
		long counted = 0;
		for (int b = 0; b < 10; b++) {
			List<AuditEvent> events = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				events.add(event("r-" + b + "-" + i, Stage.REQUEST_RECEIVED, "get", 0, T0.plusMillis(b * 50 + i), 0));
			}
			AuditBatch batch = small.process(events, NOW);
			small.commit(batch);
			counted += batch.requests();
			assertThat(small.pending()).isLessThanOrEqualTo(100);
		}
		assertThat(counted + small.pending()).isEqualTo(500);
	}

	@Test
	void aTimestampFarInTheFutureDoesNotExpireEverythingWaiting() {
		processAndCommit(List.of(event("a", Stage.REQUEST_RECEIVED, "get", 0, NOW.minusSeconds(10), 0)));
		AuditBatch skewed = processAndCommit(
				List.of(event("z", Stage.RESPONSE_COMPLETE, "get", 200, NOW.plus(Duration.ofDays(365)), 1)));
		assertThat(skewed.expired()).isZero();
		assertThat(this.stream.pending()).isEqualTo(1);
	}

	@Test
	void countsAveragesAndP99MatchTheExactValuesOverRandomTrafficInManyBatches() {
		AuditTraffic traffic = AuditTraffic.random(7, 20_000, 12, T0, 30);
		List<AuditEvent> events = new ArrayList<>();
		new AuditEventParser().parseBody(traffic.jsonLinesBytes(true), events::add);
		AuditRollup rollup = new AuditRollup();
		for (int from = 0; from < events.size(); from += 333) {
			AuditBatch batch = this.stream.process(events.subList(from, Math.min(events.size(), from + 333)), NOW);
			this.stream.commit(batch);
			batch.cells()
				.forEach((key, cell) -> rollup.addCell(key, cell.requests(), cell.latencyCount(), cell.latencySumMs(),
						cell.sketchBytes()));
		}
		// Watches still open at the end of the stream are pending; everything else is
		// counted.
		TimeWindow window = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));
		Map<String, Long> exact = traffic.requestsPerUserAgent();
		long total = rollup.topUserAgents(window, 100).stream().mapToLong(UserAgentRequests::requests).sum();
		assertThat(total + this.stream.pending()).isEqualTo(traffic.requests().size());
		assertThat(this.stream.pending()).isZero();
		rollup.topUserAgents(window, 100)
			.forEach((top) -> assertThat(top.requests()).isEqualTo(exact.get(top.userAgent())));
		Map<String, Double> averages = traffic.averageLatency();
		for (UserAgentLatency series : rollup.latencySeries(window, Duration.ofHours(1), 100)) {
			assertThat(series.points().get(0).avgMs()).isCloseTo(averages.get(series.userAgent()),
					within(1e-9 * averages.get(series.userAgent())));
		}
		String top = rollup.topUserAgents(window, 1).get(0).userAgent();
		Map<String, Double> p99 = traffic.p99(top);
		List<VerbResourceLatency> measured = rollup.p99ByVerbAndResource(window, top);
		assertThat(measured.stream().filter((m) -> m.p99Ms() != null)).hasSize(p99.size());
		for (VerbResourceLatency m : measured) {
			if (m.p99Ms() != null) {
				double expected = p99.get(m.verb() + " " + m.resource());
				assertThat(m.p99Ms()).as(m.verb() + " " + m.resource()).isCloseTo(expected, within(0.01 * expected));
			}
		}
	}

}
