package dev.cpdoctor.source;

import java.util.ArrayList;
import java.util.List;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.cluster.Cluster;

/**
 * Cause 1's evidence from the apiserver probes of {@link NetworkEvidenceSource}: each
 * probe that was called is an attempt, and one that timed out or found no connection is a
 * failure of the path to the apiserver. An answer, even "check failed" or 401, means the
 * network carried it: it does not count as failed, but what it said is kept (a [-]etcd on
 * /readyz explains timeouts too). When no probe was called (no apiserver access) there is
 * no evidence, and it says why. The own call history is the source's, as it is.
 */
public final class ProbeNetworkEvidence implements NetworkEvidence {

	private final NetworkEvidenceSource source;

	public ProbeNetworkEvidence(NetworkEvidenceSource source) {
		this.source = source;
	}

	@Override
	public SourceResult<Probes> probes(Cluster cluster, TimeWindow window) {
		ApiserverProbes probes = this.source.probes(cluster);
		int attempts = 0;
		int failed = 0;
		List<String> failures = new ArrayList<>();
		List<String> answers = new ArrayList<>();
		List<String> notCalled = new ArrayList<>();
		for (ApiserverProbe probe : List.of(probes.readyz(), probes.livez())) {
			if (probe.outcome() == Outcome.NOT_CALLED) {
				notCalled.add(probe.reason());
				continue;
			}
			attempts++;
			if (probe.outcome() == Outcome.TIMEOUT || probe.outcome() == Outcome.UNREACHABLE) {
				failed++;
				failures.add(probe.path() + ": " + probe.reason());
			}
			else if (!probe.passed()) {
				answers.add(probe.path() + " answered, not passing: " + probe.reason());
			}
		}
		if (attempts == 0) {
			return SourceResult.failed("The apiserver was not probed: " + String.join("; ", notCalled));
		}
		return SourceResult.ok(new Probes(attempts, failed, failures, answers));
	}

	@Override
	public SourceResult<CallHistory> calls(Cluster cluster, TimeWindow window) {
		return this.source.callHistory(cluster, window);
	}

}
