package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;

import static org.assertj.core.api.Assertions.assertThat;

class CallHistoryTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow HOUR = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	private static OwnCall ok(int minute, long millis) {
		return OwnCall.answered("lab", T0.plus(Duration.ofMinutes(minute)), "metrics", Duration.ofMillis(millis), 200);
	}

	private static OwnCall failed(int minute, CallOutcome outcome, long millis) {
		return OwnCall.failed("lab", T0.plus(Duration.ofMinutes(minute)), "readyz", Duration.ofMillis(millis), outcome,
				null, outcome.label() + " at minute " + minute);
	}

	@Test
	void countsFailuresByKindPercentilesTheLongestAndTheLastFailure() {
		List<OwnCall> calls = new ArrayList<>();
		for (int minute = 0; minute < 50; minute++) {
			calls.add(ok(minute, 10 + minute));
		}
		calls.add(failed(50, CallOutcome.TIMEOUT, 10_000));
		calls.add(failed(51, CallOutcome.TIMEOUT, 10_000));
		calls.add(failed(52, CallOutcome.REFUSED, 2));
		calls.add(OwnCall.answered("lab", T0.plus(Duration.ofMinutes(53)), "list flowschemas", Duration.ofMillis(40),
				503));
		calls.add(ok(54, 12));
		// outside the window: left out
		calls.add(failed(60, CallOutcome.TIMEOUT, 10_000));
		calls.add(failed(-1, CallOutcome.TIMEOUT, 10_000));

		CallHistory history = CallHistory.of(HOUR, calls, false);

		assertThat(history.calls()).isEqualTo(55);
		assertThat(history.networkFailures()).isEqualTo(3);
		assertThat(history.httpErrors()).isEqualTo(1);
		assertThat(history.failures()).containsExactly(Map.entry("timeout", 2), Map.entry("connection refused", 1),
				Map.entry("HTTP 5xx", 1));
		assertThat(history.networkFailureShare()).isEqualTo(3.0 / 55);
		assertThat(history.p50()).isEqualTo(Duration.ofMillis(35));
		assertThat(history.p99()).isEqualTo(Duration.ofMillis(10_000));
		assertThat(history.longest().at()).isEqualTo(T0.plus(Duration.ofMinutes(50)));
		assertThat(history.lastFailure().httpStatus()).isEqualTo(503);
		assertThat(history.lastNetworkFailure().detail()).isEqualTo("connection refused at minute 52");
		assertThat(history.longestFailureRun()).isEqualTo(3);
		assertThat(history.last().at()).isEqualTo(T0.plus(Duration.ofMinutes(54)));
		assertThat(history.bins()).hasSize(60);
		assertThat(history.bins().get(50))
			.isEqualTo(new CallHistory.Bin(T0.plus(Duration.ofMinutes(50)), 1, 1, 0, 10_000.0, 10_000.0));
		assertThat(history.bins().get(53).httpErrors()).isEqualTo(1);
		assertThat(history.bins().get(59).calls()).isZero();
		assertThat(history.bins().get(59).p50Millis()).isNull();
	}

	@Test
	void aRunOfFailuresIsBrokenByAnyAnswerEvenAnHttpError() {
		List<OwnCall> calls = List.of(failed(1, CallOutcome.TIMEOUT, 5), failed(2, CallOutcome.TIMEOUT, 5),
				OwnCall.answered("lab", T0.plus(Duration.ofMinutes(3)), "metrics", Duration.ofMillis(5), 500),
				failed(4, CallOutcome.OTHER, 5), failed(5, CallOutcome.TLS, 5), failed(6, CallOutcome.UNREACHABLE, 5),
				ok(7, 5));
		CallHistory history = CallHistory.of(HOUR, calls, false);
		assertThat(history.longestFailureRun()).isEqualTo(3);
		assertThat(history.networkFailures()).isEqualTo(5);
	}

	@Test
	void noCallsIsAnEmptyHistoryNotAnError() {
		CallHistory history = CallHistory.of(HOUR, List.of(), true);
		assertThat(history.any()).isFalse();
		assertThat(history.p50()).isNull();
		assertThat(history.longest()).isNull();
		assertThat(history.lastFailure()).isNull();
		assertThat(history.networkFailureShare()).isZero();
		assertThat(history.truncated()).isTrue();
		assertThat(history.bins()).hasSize(60).allMatch((bin) -> bin.calls() == 0);
	}

	@Test
	void binsStayFewForLongWindows() {
		assertThat(CallHistory.binFor(HOUR)).isEqualTo(Duration.ofMinutes(1));
		assertThat(CallHistory.binFor(TimeWindow.ending(T0, Duration.ofHours(6)))).isEqualTo(Duration.ofMinutes(5));
		assertThat(CallHistory.binFor(TimeWindow.ending(T0, Duration.ofDays(7)))).isEqualTo(Duration.ofHours(6));
		assertThat(CallHistory.binFor(TimeWindow.ending(T0, TimeWindow.MAX_LENGTH))).isEqualTo(Duration.ofDays(4));
		CallHistory year = CallHistory.of(TimeWindow.ending(T0, TimeWindow.MAX_LENGTH), List.of(ok(0, 1)), false);
		assertThat(year.bins().size()).isLessThanOrEqualTo(CallHistory.MAX_BINS + 1);
	}

	@Test
	void kindAndDetailAreCutToOneShortLine() {
		OwnCall call = OwnCall.failed("lab", T0, "k".repeat(100), Duration.ZERO, CallOutcome.OTHER, null,
				"first\nsecond " + "x".repeat(300));
		assertThat(call.kind()).hasSize(OwnCall.MAX_KIND);
		assertThat(call.detail()).hasSize(OwnCall.MAX_DETAIL).startsWith("first second");
	}

}
