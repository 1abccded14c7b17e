package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

class DemoNetworkEvidenceTests {

	private static final Instant ANCHOR = Instant.parse("2026-11-22T12:00:00Z");

	private static final Cluster DEMO = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "built-in");

	private final DemoNetworkEvidence evidence = new DemoNetworkEvidence(new DemoScenario(20261122L, ANCHOR));

	private CallHistory history(TimeWindow window) {
		return ((SourceResult.Ok<CallHistory>) this.evidence.callHistory(DEMO, window)).value();
	}

	@Test
	void theDemoNetworkIsHealthyAtItsAnchor() {
		ApiserverProbes probes = this.evidence.probes(DEMO);
		assertThat(probes.bothPassed()).isTrue();
		assertThat(probes.readyz().at()).isEqualTo(ANCHOR);
		assertThat(probes.readyz().checks()).hasSize(10);
		assertThat(this.evidence.probes(DEMO)).isEqualTo(probes);
		assertThat(this.evidence.connectivityCheck(DEMO).notes()).last().asString().startsWith("Demo data");
	}

	@Test
	void ownCallsGotThroughUpToTheAnchorAndSlowedWithTheFlood() {
		TimeWindow hour = TimeWindow.ending(ANCHOR, Duration.ofHours(1));
		CallHistory history = history(hour);
		// a scrape a minute, both probes every 5, webhooks and events every 15 (two 429s
		// of the last 90 min)
		assertThat(history.calls()).isEqualTo(60 + 12 * 2 + 4 * 3 + 1);
		assertThat(history.networkFailures()).isZero();
		assertThat(history.failures()).containsExactly(Map.entry("HTTP 429", 1));
		assertThat(history.last().at()).isBefore(ANCHOR);
		TimeWindow dayBefore = TimeWindow.ending(ANCHOR.minus(Duration.ofDays(1)), Duration.ofHours(1));
		assertThat(history(dayBefore).p50()).isLessThan(history.p50());
		assertThat(history(dayBefore).httpErrors()).isZero();
		// The same window, the same calls; none after the anchor, none before the
		// recorded week.
		assertThat(history(hour)).isEqualTo(history);
		assertThat(history(TimeWindow.ending(ANCHOR.plus(Duration.ofDays(3)), Duration.ofHours(1))).any()).isFalse();
		assertThat(history(TimeWindow.ending(ANCHOR.minus(Duration.ofDays(8)), Duration.ofHours(1))).any()).isFalse();
		assertThat(history(TimeWindow.ending(ANCHOR, TimeWindow.MAX_LENGTH)).calls())
			.isEqualTo(this.evidence.calls("demo", TimeWindow.ending(ANCHOR, DemoNetworkEvidence.RECORDED)).size());
	}

}
