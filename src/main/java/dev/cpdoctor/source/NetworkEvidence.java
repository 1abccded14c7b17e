package dev.cpdoctor.source;

import java.util.List;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.cluster.Cluster;

/**
 * The live evidence of cause 1 (network rules block the path to the apiserver): probes of
 * the apiserver now, and the history of the dashboard's own calls to it in the window. A
 * value, never an exception. {@link #NONE} is the default until probes are built: it says
 * so, and cause 1 stays unknown.
 */
public interface NetworkEvidence {

	/** Nothing gathered yet: cause 1's verdict stays UNKNOWN with this reason. */
	NetworkEvidence NONE = (cluster, window) -> SourceResult
		.failed("No network probes of the apiserver yet: run the" + " connectivity check from a node");

	SourceResult<Probes> probes(Cluster cluster, TimeWindow window);

	/**
	 * The dashboard's own calls to the apiserver in the window, analysed. By default
	 * there is no record, and it says so.
	 */
	default SourceResult<CallHistory> calls(Cluster cluster, TimeWindow window) {
		return SourceResult.failed("The dashboard's own calls to this apiserver are not recorded");
	}

	/**
	 * @param attempts probes and calls made to the apiserver in the window
	 * @param failed how many of them failed (timeout, connection refused or reset, TLS)
	 * @param failures what the failures said, newest first, a few at most
	 * @param answers what the apiserver answered to the attempts that reached it but did
	 * not pass ("readyz check failed: etcd", HTTP 403): not failures of the network, but
	 * what a reader of cause 1 must see
	 */
	record Probes(int attempts, int failed, List<String> failures, List<String> answers) {

		public Probes {
			if (attempts < 0 || failed < 0 || failed > attempts) {
				throw new IllegalArgumentException("0 <= failed <= attempts, got " + failed + " of " + attempts);
			}
			failures = List.copyOf(failures);
			answers = List.copyOf(answers);
		}

		public Probes(int attempts, int failed, List<String> failures) {
			this(attempts, failed, failures, List.of());
		}

	}

}
