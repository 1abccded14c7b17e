package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCheck;
import dev.cpdoctor.cluster.Cluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cause 1 reads the probes: only a timeout or a refused connection counts against the
 * network.
 */
class ProbeNetworkEvidenceTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static ApiserverProbe probe(String path, Outcome outcome) {
		return (outcome == Outcome.PASSED)
				? new ApiserverProbe(path, outcome, T0, Duration.ofMillis(12), 200, List.of(), null)
				: (outcome == Outcome.NOT_CALLED) ? ApiserverProbe.notCalled(path, T0, "no apiserver access")
						: ApiserverProbe.unanswered(path, outcome, T0, Duration.ofSeconds(5), null,
								outcome.name().toLowerCase());
	}

	private static SourceResult<NetworkEvidence.Probes> evidence(Outcome readyz, Outcome livez) {
		NetworkEvidenceSource source = new NetworkEvidenceSource() {

			@Override
			public ApiserverProbes probes(Cluster cluster) {
				return new ApiserverProbes(probe("/readyz", readyz), probe("/livez", livez));
			}

			@Override
			public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
				return SourceResult.failed("not asked");
			}

			@Override
			public ConnectivityCheck connectivityCheck(Cluster cluster) {
				return null;
			}

		};
		return new ProbeNetworkEvidence(source).probes(null, null);
	}

	@Test
	void timeoutsAndRefusedConnectionsFailAnswersDoNot() {
		assertThat(evidence(Outcome.TIMEOUT, Outcome.UNREACHABLE)).isEqualTo(
				SourceResult.ok(new NetworkEvidence.Probes(2, 2, List.of("/readyz: timeout", "/livez: unreachable"))));
		assertThat(evidence(Outcome.PASSED, Outcome.TIMEOUT))
			.isEqualTo(SourceResult.ok(new NetworkEvidence.Probes(2, 1, List.of("/livez: timeout"))));
		assertThat(evidence(Outcome.FAILED, Outcome.UNAUTHORIZED))
			.isEqualTo(SourceResult.ok(new NetworkEvidence.Probes(2, 0, List.of(),
					List.of("/readyz answered, not passing: failed", "/livez answered, not passing: unauthorized"))));
	}

	@Test
	void whatAnAnsweringApiserverSaidIsKeptForTheEvidence() {
		// HTTP 500 "[-]etcd failed" on /readyz: the network carried it, but timeouts have
		// a cause there.
		assertThat(evidence(Outcome.FAILED, Outcome.PASSED)).isEqualTo(SourceResult
			.ok(new NetworkEvidence.Probes(2, 0, List.of(), List.of("/readyz answered, not passing: failed"))));
		assertThat(evidence(Outcome.TIMEOUT, Outcome.NOT_A_PROBE_ANSWER))
			.isEqualTo(SourceResult.ok(new NetworkEvidence.Probes(2, 1, List.of("/readyz: timeout"),
					List.of("/livez answered, not passing: not_a_probe_answer"))));
	}

	@Test
	void probesNeverCalledAreNoEvidenceAndSayWhy() {
		assertThat(evidence(Outcome.NOT_CALLED, Outcome.NOT_CALLED)).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("not probed").contains("no apiserver access"));
		assertThat(evidence(Outcome.NOT_CALLED, Outcome.PASSED))
			.isEqualTo(SourceResult.ok(new NetworkEvidence.Probes(1, 0, List.of())));
	}

}
