package dev.cpdoctor.analysis.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The connectivity checks of cause 1 (network between the nodes and the apiserver). For
 * AKS, the kubectl-aks plugin's check runs on a node through Azure, so it works while the
 * apiserver is unreachable; elsewhere, the apiserver's own readiness probe through
 * kubectl. Pure text generation: only validated values reach a command line, and each is
 * single-quoted.
 */
public final class ConnectivityCommands {

	/**
	 * What kubectl aks check-apiserver-connectivity prints when a node reaches the
	 * apiserver.
	 */
	public static final String AKS_SUCCESS = "Connectivity check: succeeded";

	public static final String READYZ_SUCCESS = "readyz check passed";

	private ConnectivityCommands() {
	}

	/**
	 * kubectl-aks: import the cluster's nodes from Azure, then check one node's path to
	 * the apiserver.
	 */
	public static ConnectivityCheck aks(AksClusterId id) {
		return new ConnectivityCheck("Check that a node reaches the apiserver (kubectl-aks, through Azure)",
				List.of("kubectl aks config import --subscription=" + quote(id.subscription()) + " --resource-group="
						+ quote(id.resourceGroup()) + " --cluster-name=" + quote(id.name()),
						"kubectl aks check-apiserver-connectivity --node=\"$NODE\""),
				AKS_SUCCESS,
				List.of("Set NODE to one of the node names that `kubectl aks config show` lists for this cluster.",
						"Needs the kubectl-aks plugin (`kubectl krew install aks`) and `az login`; it reaches the node"
								+ " through Azure, so it works while kubectl cannot reach the apiserver.",
						"Anything other than \"" + AKS_SUCCESS + "\": the node cannot reach the apiserver; check the"
								+ " network security groups, route tables, firewall and the authorized IP ranges."));
	}

	/**
	 * For an AKS cluster whose resource id is missing or not valid: the generic check,
	 * and a note saying what to configure (the value itself is not repeated).
	 */
	public static ConnectivityCheck aksWithoutId(boolean configured) {
		ConnectivityCheck generic = readyz();
		List<String> notes = new ArrayList<>(generic.notes());
		notes.add(configured
				? "The kubectl-aks commands are left out: cpdoctor.clusters[].azure.resource-id is not a valid managed"
						+ " cluster resource id (/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>)."
				: "Configure cpdoctor.clusters[].azure.resource-id to get the kubectl-aks connectivity check of the nodes.");
		return new ConnectivityCheck(generic.title(), generic.commands(), generic.success(), notes);
	}

	/**
	 * Any cluster: the apiserver's readiness, asked through kubectl's current context.
	 */
	public static ConnectivityCheck readyz() {
		return new ConnectivityCheck("Ask the apiserver for its readiness from where kubectl runs",
				List.of("kubectl get --raw='/readyz?verbose'"), READYZ_SUCCESS,
				List.of("Run it from a node or a pod in the cluster, and from where the failing clients run: a timeout"
						+ " there but not here points at the network in between."));
	}

	/**
	 * Single quotes: the shell changes nothing inside them. Values here are validated not
	 * to hold one.
	 */
	private static String quote(String validated) {
		if (validated.indexOf('\'') >= 0) {
			throw new IllegalArgumentException("A quote in a validated value");
		}
		return "'" + validated + "'";
	}

}
