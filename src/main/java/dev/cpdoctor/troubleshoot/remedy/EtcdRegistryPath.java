package dev.cpdoctor.troubleshoot.remedy;

import dev.cpdoctor.analysis.etcd.RegistryLayout;

/**
 * The etcd key prefix of a remedy's target. The layout itself (which groups are keyed by
 * resource alone, the prefixes compiled into Kubernetes, what is never stored) is
 * {@link RegistryLayout}'s; this adds the refusal a remedy's form needs: a group with
 * nothing in etcd names the parameter at fault.
 */
public final class EtcdRegistryPath {

	public static final String DEFAULT_ETCD_PREFIX = RegistryLayout.DEFAULT_ETCD_PREFIX;

	private EtcdRegistryPath() {
	}

	/**
	 * services -> services/specs, jobs (batch) -> jobs, ephemeralreports
	 * (reports.kyverno.io) -> reports.kyverno.io/ephemeralreports.
	 * @throws InvalidRemedyParameter naming group when nothing of the group is in etcd
	 */
	public static String resourcePrefix(String group, String resource) {
		return RegistryLayout.resourcePrefix(group, resource)
			.orElseThrow(() -> new InvalidRemedyParameter("group", "the apiserver keeps nothing of this group in etcd"
					+ " (reviews, or metrics served by another server)"));
	}

	/**
	 * The key prefix holding every object of the target, always ending in '/', so that
	 * namespace acme does not also take acme-prod: /registry/services/specs/acme/,
	 * /registry/reports.kyverno.io/clusterephemeralreports/. Without a namespace that is
	 * every object of the resource - in every namespace, if the resource is namespaced.
	 */
	public static String keyPrefix(LeakedResource target) {
		String prefix = DEFAULT_ETCD_PREFIX + "/" + resourcePrefix(target.group(), target.resource()) + "/";
		return (target.namespace() != null) ? prefix + target.namespace() + "/" : prefix;
	}

}
