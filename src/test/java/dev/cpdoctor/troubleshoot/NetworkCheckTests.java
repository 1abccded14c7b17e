package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.CallOutcome;
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkCheckTests {

	static Verdict verdict(int attempts, int failed) {
		return NetworkCheck.check(SourceResult.ok(new NetworkEvidence.Probes(attempts, failed, List.of()))).verdict();
	}

	@Test
	void allFailedIsLikelySomePossibleNoneUnlikely() {
		assertThat(verdict(5, 5)).isEqualTo(Verdict.LIKELY);
		assertThat(verdict(5, 4)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(5, 1)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(5, 0)).isEqualTo(Verdict.UNLIKELY);
		assertThat(verdict(0, 0)).isEqualTo(Verdict.UNKNOWN);
	}

	@Test
	void whatTheApiserverAnsweredIsEvidenceWithoutCountingAgainstTheNetwork() {
		CauseDiagnosis answered = NetworkCheck.check(SourceResult.ok(new NetworkEvidence.Probes(2, 0, List.of(),
				List.of("/readyz answered, not passing: readyz check failed: etcd"))));
		assertThat(answered.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(answered.evidence()).extracting(Evidence::text)
			.containsExactly("0 of 2 apiserver probes failed",
					"/readyz answered, not passing: readyz check failed: etcd");
	}

	@Test
	void withoutProbesItIsUnknownAndSaysWhy() {
		CauseDiagnosis none = NetworkCheck.check(NetworkEvidence.NONE.probes(null, null));
		assertThat(none.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(none.id()).isEqualTo(1);
		assertThat(none.evidence().get(0).text()).contains("No network probes");
		assertThat(none.remedies())
			.anyMatch((r) -> r.text() != null && r.text().contains("check-apiserver-connectivity"));
	}

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow HOUR = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	/**
	 * {@code calls} calls 30 s apart (at most 120 fit the hour): answered, then
	 * {@code failedAtEnd} failures.
	 */
	static SourceResult<CallHistory> calls(int calls, int failedAtEnd, CallOutcome outcome) {
		List<OwnCall> list = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			Instant at = T0.plusSeconds(30L * i);
			list.add((i < calls - failedAtEnd) ? OwnCall.answered("lab", at, "metrics", Duration.ofMillis(400 + i), 200)
					: OwnCall.failed("lab", at, "metrics", Duration.ofSeconds(10), outcome, null, "Read timed out"));
		}
		return SourceResult.ok(CallHistory.of(HOUR, list, false));
	}

	/** Failures spread out (never two in a row): {@code failed} of {@code calls}. */
	static SourceResult<CallHistory> scattered(int calls, int failed) {
		List<OwnCall> list = new ArrayList<>();
		for (int i = 0; i < calls; i++) {
			Instant at = T0.plusSeconds(30L * i);
			boolean fails = i % 2 == 1 && i / 2 < failed;
			list.add(fails
					? OwnCall.failed("lab", at, "readyz", Duration.ofSeconds(2), CallOutcome.REFUSED, null, "refused")
					: OwnCall.answered("lab", at, "readyz", Duration.ofMillis(20), 200));
		}
		return SourceResult.ok(CallHistory.of(HOUR, list, false));
	}

	static SourceResult<NetworkEvidence.Probes> probes(int attempts, int failed) {
		return SourceResult.ok(new NetworkEvidence.Probes(attempts, failed, List.of()));
	}

	static Verdict verdict(SourceResult<NetworkEvidence.Probes> probes, SourceResult<CallHistory> calls) {
		return NetworkCheck.check(probes, calls).verdict();
	}

	@Test
	void failuresInTheWindowWhileProbesPassNowArePossibleAndWithFailingProbesLikely() {
		SourceResult<CallHistory> outage = calls(100, 4, CallOutcome.TIMEOUT);
		assertThat(verdict(probes(2, 0), outage)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(probes(2, 1), outage)).isEqualTo(Verdict.LIKELY);
		assertThat(verdict(probes(2, 2), outage)).isEqualTo(Verdict.LIKELY);
		assertThat(verdict(SourceResult.failed("not probed"), outage)).isEqualTo(Verdict.POSSIBLE);
	}

	@Test
	void aCleanHistoryKeepsTheProbeRulesAndDecidesWithoutProbes() {
		SourceResult<CallHistory> clean = calls(100, 0, CallOutcome.TIMEOUT);
		assertThat(verdict(probes(2, 0), clean)).isEqualTo(Verdict.UNLIKELY);
		assertThat(verdict(probes(2, 1), clean)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(probes(2, 2), clean)).isEqualTo(Verdict.LIKELY);
		assertThat(verdict(SourceResult.failed("not probed"), clean)).isEqualTo(Verdict.UNLIKELY);
	}

	@Test
	void notableMeansThreeFailuresAndFivePercentOrThreeInARow() {
		// 2 in a row of 10: 20 % but only two
		assertThat(verdict(probes(2, 0), calls(10, 2, CallOutcome.TIMEOUT))).isEqualTo(Verdict.UNLIKELY);
		// 3 in a row of 120: 2.5 %, but a run of three
		assertThat(verdict(probes(2, 0), calls(120, 3, CallOutcome.REFUSED))).isEqualTo(Verdict.POSSIBLE);
		// 3 scattered of 100: 3 %, no run
		assertThat(verdict(probes(2, 0), scattered(100, 3))).isEqualTo(Verdict.UNLIKELY);
		// 5 scattered of 100: 5 %
		assertThat(verdict(probes(2, 0), scattered(100, 5))).isEqualTo(Verdict.POSSIBLE);
	}

	@Test
	void noRecordedCallsSayWhyAndLeaveTheProbesToDecide() {
		CauseDiagnosis none = NetworkCheck.check(SourceResult.failed("not probed"),
				SourceResult.ok(CallHistory.of(HOUR, List.of(), false)));
		assertThat(none.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(none.evidence()).extracting(Evidence::text)
			.contains("No call of the dashboard to this apiserver is recorded in the window");
		CauseDiagnosis unread = NetworkCheck.check(probes(2, 0), SourceResult.failed("the dashboard does not call it"));
		assertThat(unread.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(unread.evidence()).extracting(Evidence::text)
			.contains("The dashboard's own calls: the dashboard does not call it");
	}

	@Test
	void theFiguresAreEvidence() {
		CauseDiagnosis outage = NetworkCheck.check(probes(2, 0), calls(100, 4, CallOutcome.TIMEOUT));
		assertThat(outage.evidence()).extracting(Evidence::text)
			.contains(
					"100 own calls to the apiserver in the window: 4 not carried by the network (4.0 %), 0 answered with an HTTP error",
					"Failed calls by kind: timeout 4", "4 calls in a row were not carried by the network",
					"Last failed call: metrics at 2026-11-22T10:49:30Z, timeout (Read timed out)");
		assertThat(outage.evidence()).anySatisfy((e) -> {
			assertThat(e.text()).startsWith("Call duration p50 449 ms, p99 10.0 s; longest 10.0 s (metrics at ");
			assertThat(e.value()).isEqualTo(10_000.0);
		});
		assertThat(outage.evidence().get(0).text()).isEqualTo("0 of 2 apiserver probes failed");
	}

}
