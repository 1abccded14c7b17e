package dev.cpdoctor.troubleshoot.remedy;

import java.util.Map;

/**
 * The resources known to pile up in etcd, as the paged delete and the object-count quota
 * name them ({@code <plural>.<group>}).
 */
public final class ServedResources {

	/**
	 * Served versions of resources known to pile up, and whether they are namespaced: the
	 * paged delete needs both and metrics give neither. A resource not listed gets advice
	 * instead of a command.
	 */
	public record Served(String version, boolean namespaced) {
	}

	public static final Map<String, Served> SERVED = Map.ofEntries(Map.entry("events", new Served("v1", true)),
			Map.entry("configmaps", new Served("v1", true)), Map.entry("secrets", new Served("v1", true)),
			Map.entry("pods", new Served("v1", true)), Map.entry("jobs.batch", new Served("v1", true)),
			Map.entry("replicasets.apps", new Served("v1", true)),
			Map.entry("controllerrevisions.apps", new Served("v1", true)),
			Map.entry("events.events.k8s.io", new Served("v1", true)),
			Map.entry("leases.coordination.k8s.io", new Served("v1", true)),
			Map.entry("ephemeralreports.reports.kyverno.io", new Served("v1", true)),
			Map.entry("clusterephemeralreports.reports.kyverno.io", new Served("v1", false)),
			Map.entry("policyreports.wgpolicyk8s.io", new Served("v1alpha2", true)),
			Map.entry("clusterpolicyreports.wgpolicyk8s.io", new Served("v1alpha2", false)));

	private ServedResources() {
	}

}
