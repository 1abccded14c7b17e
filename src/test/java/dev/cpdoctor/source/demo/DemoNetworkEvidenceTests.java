package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ScrapeCadence;
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
	void scrapesGotThroughEveryMinuteUpToTheAnchor() {
		TimeWindow hour = TimeWindow.ending(ANCHOR, Duration.ofHours(1));
		CallHistory history = history(hour);
		assertThat(history.stored()).isEqualTo(new ScrapeCadence(hour, 60, hour.from(), ANCHOR.minusSeconds(60),
				Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1), hour.from()));
		assertThat(history.lastError()).isNull();
		assertThat(history.lastSuccess()).isEqualTo(ANCHOR);
		// A window over the anchor counts the scrape at the anchor and none after it.
		TimeWindow over = new TimeWindow(ANCHOR.minusSeconds(90), ANCHOR.plus(Duration.ofDays(2)));
		assertThat(history(over).stored().samples()).isEqualTo(2);
		assertThat(history(over).stored().last()).isEqualTo(ANCHOR);
		assertThat(history(TimeWindow.ending(ANCHOR.plus(Duration.ofDays(3)), Duration.ofHours(1))).stored().samples())
			.isZero();
		assertThat(history(TimeWindow.ending(ANCHOR, TimeWindow.MAX_LENGTH)).stored().samples()).isEqualTo(400 * 24 * 60);
	}

}
