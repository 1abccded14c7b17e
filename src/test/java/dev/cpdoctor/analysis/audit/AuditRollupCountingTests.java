package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;

import static dev.cpdoctor.analysis.audit.RollupFixtures.FROM;
import static dev.cpdoctor.analysis.audit.RollupFixtures.HOUR;
import static dev.cpdoctor.analysis.audit.RollupFixtures.KUBECTL;
import static dev.cpdoctor.analysis.audit.RollupFixtures.exactP99;
import static dev.cpdoctor.analysis.audit.RollupFixtures.onlyPoint;
import static dev.cpdoctor.analysis.audit.RollupRequest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * What an {@link AuditRollup} counts: each request once, whichever of its stages arrive,
 * in whatever order and however often; the busiest user agents; only the window asked
 * for; the minutes it has data for.
 */
class AuditRollupCountingTests {

	@Test
	void requestLoggedAtReceivedAndCompleteCountsOnce() {
		AuditRollup rollup = new AuditRollup();
		RollupRequest req = get("a-1", KUBECTL, FROM.plusSeconds(30), 120);
		rollup.add(req.receivedEvent());
		rollup.add(req.completeEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 1));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(1);
		assertThat(point.avgMs()).isEqualTo(120.0);
		assertThat(rollup.p99ByVerbAndResource(HOUR, KUBECTL)).singleElement()
			.satisfies((row) -> assertThat(row.requests()).isEqualTo(1));
	}

	@Test
	void aRetriedBatchRepeatingResponseCompleteAddsNoLatencyTwice() {
		AuditRollup rollup = new AuditRollup();
		RollupRequest slow = get("a-1", KUBECTL, FROM.plusSeconds(30), 900);
		RollupRequest fast = get("a-2", KUBECTL, FROM.plusSeconds(40), 100);
		rollup.add(slow.receivedEvent());
		rollup.add(slow.completeEvent());
		rollup.add(fast.completeEvent());
		// the webhook backend retries the batch holding the slow request: its events
		// arrive again (counting its latency twice would give (900 + 900 + 100) / 3 = 633
		// ms)
		rollup.add(slow.receivedEvent());
		rollup.add(slow.completeEvent());

		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(500.0);
	}

	@Test
	void aSealedRollupAnswersTheSameAndRefusesMoreEvents() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(30), 250).completeEvent());
		rollup.seal();
		assertThat(onlyPoint(rollup, HOUR, KUBECTL).avgMs()).isEqualTo(250.0);
		assertThatThrownBy(() -> rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(40), 1).completeEvent()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("sealed");
	}

	@Test
	void stagesArrivingOutOfOrderStillCountOnce() {
		AuditRollup rollup = new AuditRollup();
		RollupRequest req = get("a-1", KUBECTL, FROM.plusSeconds(30), 80);
		rollup.add(req.completeEvent());
		rollup.add(req.receivedEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 1));
		assertThat(onlyPoint(rollup, HOUR, KUBECTL).avgMs()).isEqualTo(80.0);
	}

	@Test
	void requestLoggedOnlyAtResponseCompleteCountsOnce() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(5), 40).completeEvent());
		rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(65), 60).completeEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 2));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(50.0);
	}

	@Test
	void topUserAgentsAreOrderedByRequestsThenNameAndLimited() {
		AuditRollup rollup = new AuditRollup();
		Map<String, Integer> counts = new LinkedHashMap<>();
		counts.put("scheduler", 3);
		counts.put("kubelet", 7);
		counts.put("argocd", 3);
		counts.put("kubectl", 1);
		counts.put("controller-manager", 5);
		int id = 0;
		for (Map.Entry<String, Integer> entry : counts.entrySet()) {
			for (int i = 0; i < entry.getValue(); i++) {
				RollupRequest req = get("id-" + id++, entry.getKey(), FROM.plusSeconds(17L * id), 10);
				rollup.add(req.receivedEvent());
				rollup.add(req.completeEvent());
			}
		}

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests("kubelet", 7),
				new UserAgentRequests("controller-manager", 5), new UserAgentRequests("argocd", 3),
				new UserAgentRequests("scheduler", 3), new UserAgentRequests("kubectl", 1));
		assertThat(rollup.topUserAgents(HOUR, 2)).extracting(UserAgentRequests::userAgent)
			.containsExactly("kubelet", "controller-manager");
		assertThat(rollup.topUserAgents(HOUR, 0)).isEmpty();
	}

	@Test
	void eventsOutsideTheWindowAreIgnored() {
		AuditRollup rollup = new AuditRollup();
		List<RollupRequest> outside = List.of(get("o-1", KUBECTL, FROM.minusMillis(1), 9_000),
				get("o-2", KUBECTL, FROM.minus(3, ChronoUnit.HOURS), 9_000), get("o-3", KUBECTL, HOUR.to(), 9_000),
				get("o-4", KUBECTL, HOUR.to().plusSeconds(90), 9_000));
		List<RollupRequest> inside = List.of(get("i-1", KUBECTL, FROM, 10),
				get("i-2", KUBECTL, HOUR.to().minusMillis(1), 30));
		for (RollupRequest req : outside) {
			rollup.add(req.receivedEvent());
			rollup.add(req.completeEvent());
		}
		for (RollupRequest req : inside) {
			rollup.add(req.receivedEvent());
			rollup.add(req.completeEvent());
		}

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 2));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(20.0);
		assertThat(rollup.p99ByVerbAndResource(HOUR, KUBECTL)).singleElement().satisfies((row) -> {
			assertThat(row.requests()).isEqualTo(2);
			assertThat(row.p99Ms()).isCloseTo(exactP99(new double[] { 10, 30 }), withinPercentage(1));
		});
		TimeWindow later = new TimeWindow(HOUR.to().plus(1, ChronoUnit.HOURS), HOUR.to().plus(2, ChronoUnit.HOURS));
		assertThat(rollup.topUserAgents(later, 10)).isEmpty();
		assertThat(rollup.p99ByVerbAndResource(later, KUBECTL)).isEmpty();
		assertThat(rollup.latencySeries(later, Duration.ofMinutes(5), 10)).isEmpty();
	}

	@Test
	void coverageSpansTheMinutesWithData() {
		AuditRollup rollup = new AuditRollup();
		assertThat(rollup.coverage()).isNull();

		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(75), 10).completeEvent());
		rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(600), 10).completeEvent());

		assertThat(rollup.coverage()).isEqualTo(new TimeWindow(FROM.plusSeconds(60), FROM.plusSeconds(660)));
	}

}
