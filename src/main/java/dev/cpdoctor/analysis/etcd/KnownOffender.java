package dev.cpdoctor.analysis.etcd;

import java.util.List;
import java.util.Optional;

/**
 * Resources known to pile up in etcd, with what fixes them (DOMAIN.md, "Known
 * offenders").
 */
public record KnownOffender(String group, String resource, String why, String fix) {

	private static final List<KnownOffender> ALL = List.of(
			new KnownOffender("reports.kyverno.io", "ephemeralreports",
					"Kyverno 1.12 before 1.12.4 leaks ephemeral reports",
					"Upgrade Kyverno to 1.12.4 or later, then delete the leaked reports in pages of 1000"),
			new KnownOffender("kyverno.io", "admissionreports", "Kyverno 1.12 before 1.12.4 leaks admission reports",
					"Upgrade Kyverno to 1.12.4 or later, then delete the leaked reports in pages of 1000"),
			new KnownOffender("reports.kyverno.io", "clusterephemeralreports",
					"Kyverno 1.12 before 1.12.4 leaks cluster ephemeral reports",
					"Upgrade Kyverno to 1.12.4 or later, then delete the leaked reports in pages of 1000"),
			new KnownOffender("kyverno.io", "clusteradmissionreports",
					"Kyverno 1.12 before 1.12.4 leaks cluster admission reports",
					"Upgrade Kyverno to 1.12.4 or later, then delete the leaked reports in pages of 1000"),
			new KnownOffender("wgpolicyk8s.io", "clusterpolicyreports",
					"One report per cluster-scoped resource and policy adds up", "Limit the policies that report"),
			new KnownOffender("wgpolicyk8s.io", "policyreports", "One report per resource and policy adds up",
					"Limit the policies that report, or the namespaces they cover"),
			new KnownOffender("", "events", "Chatty controllers write events faster than the TTL removes them",
					"Lower --event-ttl on self-managed clusters; find the writer in the audit log"),
			new KnownOffender("events.k8s.io", "events",
					"Chatty controllers write events faster than the TTL removes them",
					"Lower --event-ttl on self-managed clusters; find the writer in the audit log"),
			new KnownOffender("batch", "jobs", "Completed Jobs are kept until deleted",
					"Set ttlSecondsAfterFinished; kubectl delete jobs --field-selector status.successful=1"),
			new KnownOffender("apps", "replicasets", "Every rollout keeps old ReplicaSets",
					"Lower spec.revisionHistoryLimit of the Deployments"),
			new KnownOffender("apps", "controllerrevisions", "StatefulSets and DaemonSets keep old revisions",
					"Lower spec.revisionHistoryLimit of the StatefulSets and DaemonSets"));

	public static Optional<KnownOffender> lookup(String group, String resource) {
		return ALL.stream().filter((o) -> o.group().equals(group) && o.resource().equals(resource)).findFirst();
	}

}
