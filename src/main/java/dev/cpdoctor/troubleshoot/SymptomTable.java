package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Optional;

import dev.cpdoctor.troubleshoot.remedy.Remediation;

/** The symptom table of DOMAIN.md, as data the troubleshooting pages walk through. */
public final class SymptomTable {

	public static final Cause NETWORK_RULES = new Cause(1, "Network rules block agent nodes from the apiserver",
			"Run the connectivity check from a node; success prints \"Connectivity check: succeeded\"",
			List.of(new Remediation("Import the cluster's config for the aks plugin",
					"kubectl aks config import --subscription <subscription> --resource-group <group> --cluster-name <cluster>"),
					new Remediation("Check the node's path to the apiserver",
							"kubectl aks check-apiserver-connectivity --node <node>"),
					new Remediation("Fix the network policy or NSG rule that blocks it", null)));

	public static final Cause OBJECT_LEAK = new Cause(2, "A client leaks etcd objects",
			"Object counts per resource: risky above 10,000 of one type; the DB size against the quota (etcd page)",
			List.of(new Remediation("Cap object counts per namespace with a ResourceQuota", null),
					new Remediation("Delete finished Jobs", "kubectl delete jobs --field-selector status.successful=1"),
					new Remediation("Let Jobs clean up after themselves with ttlSecondsAfterFinished", null),
					new Remediation("Delete large collections in pages of 1000 (only while etcd is under quota)",
							"kubectl delete --raw \"/apis/<group>/<version>/namespaces/<ns>/<kind>?limit=1000\""),
					new Remediation("Use labels for bulk delete and owner references for cascading delete", null)));

	public static final Cause EXCESSIVE_CALLS = new Cause(3, "A client makes excessive LIST or PUT calls",
			"Top user agents, their latency over time, and P99 by verb and resource (Audit page)",
			List.of(new Remediation(
					"Fix the client: informers and watch, pagination with limit, resourceVersion=0 reads", null),
					new Remediation(
							"Throttle it with API Priority and Fairness: a FlowSchema for its service account bound"
									+ " to a PriorityLevelConfiguration with a small share and limitResponse Reject",
							null)));

	public static final Cause WEBHOOK_DEADLOCK = new Cause(4, "An admission webhook deadlocks the apiserver",
			"Webhooks with failurePolicy Fail whose service has no ready endpoints, no kube-system exclusion, long timeouts",
			List.of(new Remediation(
					"Delete the blocking webhook configuration (for Kyverno, follow its troubleshooting steps)",
					"kubectl delete mutatingwebhookconfiguration <name>"),
					new Remediation("Exclude kube-system with a namespaceSelector before re-installing", null)));

	public static final List<Symptom> SYMPTOMS = List.of(
			new Symptom("timeouts", "API server timeouts",
					"Frequent timeouts beyond the provider SLA, e.g. kubectl commands time out",
					List.of(NETWORK_RULES, EXCESSIVE_CALLS, OBJECT_LEAK)),
			new Symptom("high-latency", "High latency",
					"Kubernetes SLOs failing, e.g. listing pods takes more than 30 s",
					List.of(EXCESSIVE_CALLS, OBJECT_LEAK)),
			new Symptom("webhook-failures", "apiserver CrashLoopBackOff / webhook call failures",
					"The apiserver cannot start, or calls fail with \"failed calling webhook\"",
					List.of(WEBHOOK_DEADLOCK)));

	private SymptomTable() {
	}

	public static Optional<Symptom> find(String id) {
		return SYMPTOMS.stream().filter((s) -> s.id().equals(id)).findFirst();
	}

}
