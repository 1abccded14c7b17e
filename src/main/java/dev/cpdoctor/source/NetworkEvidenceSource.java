package dev.cpdoctor.source;

import java.util.function.Predicate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCheck;
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

	/** Asks {@code first} about the clusters it is for, {@code other} about the rest. */
	static NetworkEvidenceSource byCluster(Predicate<Cluster> isFor, NetworkEvidenceSource first,
			NetworkEvidenceSource other) {
		return new NetworkEvidenceSource() {

			@Override
			public ApiserverProbes probes(Cluster cluster) {
				return (isFor.test(cluster) ? first : other).probes(cluster);
			}

			@Override
			public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
				return (isFor.test(cluster) ? first : other).callHistory(cluster, window);
			}

			@Override
			public ConnectivityCheck connectivityCheck(Cluster cluster) {
				return (isFor.test(cluster) ? first : other).connectivityCheck(cluster);
			}

		};
	}

}
