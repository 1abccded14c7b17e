package dev.cpdoctor.source.apiserver;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Predicate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCheck;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.ApiserverProbeSource;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.SourceResult;

/**
 * Network evidence of real clusters: probes from their apiserver (through a cache), the
 * history of the dashboard's own calls to it as recorded call by call, the kubectl-aks
 * commands from each AKS cluster's configured resource id.
 */
public final class ApiserverNetworkEvidence implements NetworkEvidenceSource {

	private final ApiserverProbeSource probes;

	private final Predicate<Cluster> scraped;

	private final BiFunction<Cluster, TimeWindow, CallHistory> callHistory;

	private final Map<String, String> aksResourceIds;

	/**
	 * @param probes the apiserver probes (cache them)
	 * @param scraped whether the dashboard calls a cluster's apiserver (else it has no
	 * call history)
	 * @param callHistory reads and analyses the recorded calls to a cluster in a window
	 * @param aksResourceIds cpdoctor.clusters[].azure.resource-id per cluster name, as
	 * configured (validated here)
	 */
	public ApiserverNetworkEvidence(ApiserverProbeSource probes, Predicate<Cluster> scraped,
			BiFunction<Cluster, TimeWindow, CallHistory> callHistory, Map<String, String> aksResourceIds) {
		this.probes = probes;
		this.scraped = scraped;
		this.callHistory = callHistory;
		this.aksResourceIds = Map.copyOf(aksResourceIds);
	}

	@Override
	public ApiserverProbes probes(Cluster cluster) {
		return this.probes.probes(cluster);
	}

	@Override
	public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
		if (!this.scraped.test(cluster)) {
			return SourceResult.failed("the dashboard does not call this cluster's apiserver"
					+ " (no apiserver access, scraping disabled, or a merely discovered kubeconfig context)");
		}
		try {
			return SourceResult.ok(this.callHistory.apply(cluster, window));
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("cannot read the own call history: " + SourceResult.firstLine(ex.getMessage()));
		}
	}

	@Override
	public ConnectivityCheck connectivityCheck(Cluster cluster) {
		if (cluster.provider() != Provider.AKS) {
			return ConnectivityCommands.readyz();
		}
		String resourceId = this.aksResourceIds.get(cluster.name());
		if (resourceId == null || resourceId.isBlank()) {
			return ConnectivityCommands.aksWithoutId(false);
		}
		return AksClusterId.fromResourceId(resourceId)
			.map(ConnectivityCommands::aks)
			.orElseGet(() -> ConnectivityCommands.aksWithoutId(true));
	}

}
