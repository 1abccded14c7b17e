package dev.cpdoctor.source;

import java.time.Instant;
import java.util.List;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCheck;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.cluster.Cluster;

/**
 * The evidence for cause 1 of DOMAIN.md, the network between the nodes or clients and the
 * apiserver: what the apiserver says of its own health, how the dashboard's own calls to
 * it went, and the commands that check the path from a node. Every answer is a value,
 * never an exception.
 */
public interface NetworkEvidenceSource {

	/**
	 * /readyz?verbose and /livez?verbose, asked on demand (cached briefly by
	 * implementations).
	 */
	ApiserverProbes probes(Cluster cluster);

	/**
	 * The dashboard's own calls to the cluster's apiserver in the window (every source's:
	 * the scrape, probes, LISTs, discovery), analysed; failed for clusters it does not
	 * call.
	 */
	SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window);

	/** The connectivity check to run, prefilled for AKS clusters from configuration. */
	ConnectivityCheck connectivityCheck(Cluster cluster);

	/**
	 * Asks each cluster's evidence of the source that answers for it (the demo's fixed
	 * values, the apiserver for the rest).
	 */
	/** Why a cluster no route is for has no evidence. */
	String NO_SOURCE = "no network evidence source answers for this cluster";

	static NetworkEvidenceSource routed(List<ClusterRoute<NetworkEvidenceSource>> routes) {
		List<ClusterRoute<NetworkEvidenceSource>> copy = List.copyOf(routes);
		NetworkEvidenceSource none = new NetworkEvidenceSource() {

			@Override
			public ApiserverProbes probes(Cluster cluster) {
				Instant now = Instant.now();
				return new ApiserverProbes(ApiserverProbe.notCalled("/readyz?verbose", now, NO_SOURCE),
						ApiserverProbe.notCalled("/livez?verbose", now, NO_SOURCE));
			}

			@Override
			public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
				return SourceResult.failed("the dashboard does not call this cluster's apiserver");
			}

			@Override
			public ConnectivityCheck connectivityCheck(Cluster cluster) {
				return ConnectivityCommands.readyz();
			}

		};
		return new NetworkEvidenceSource() {

			private NetworkEvidenceSource of(Cluster cluster) {
				return ClusterRoute.find(copy, cluster).orElse(none);
			}

			@Override
			public ApiserverProbes probes(Cluster cluster) {
				return of(cluster).probes(cluster);
			}

			@Override
			public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
				return of(cluster).callHistory(cluster, window);
			}

			@Override
			public ConnectivityCheck connectivityCheck(Cluster cluster) {
				return of(cluster).connectivityCheck(cluster);
			}

		};
	}

}
