package dev.cpdoctor.source;

import java.util.Objects;

import dev.cpdoctor.cluster.Cluster;

/**
 * Whether AKS already throttles a cluster's apiserver: AKS adds the FlowSchema
 * {@value #FLOW_SCHEMA} (with a PriorityLevelConfiguration of the same name) when it sees
 * the apiserver overwhelmed by LIST calls. Read from the FlowSchemas of
 * flowcontrol.apiserver.k8s.io in the version the cluster serves. A value, never an
 * exception: a failure says why it could not read.
 */
public interface AksGuardSource {

	String FLOW_SCHEMA = "aks-managed-apiserver-guard";

	SourceResult<Guard> guard(Cluster cluster);

	/**
	 * What was found.
	 *
	 * @param present whether the FlowSchema exists
	 * @param matchingPrecedence its spec.matchingPrecedence; null when absent or unset
	 * @param priorityLevel the name of its PriorityLevelConfiguration; null when absent
	 * or unset
	 * @param apiVersion the flowcontrol apiVersion it was read in, e.g.
	 * flowcontrol.apiserver.k8s.io/v1
	 */
	record Guard(boolean present, Integer matchingPrecedence, String priorityLevel, String apiVersion) {

		public Guard {
			Objects.requireNonNull(apiVersion, "apiVersion");
		}

		public static Guard absent(String apiVersion) {
			return new Guard(false, null, null, apiVersion);
		}

	}

}
