package dev.cpdoctor.analysis.etcd;

/**
 * What a key of kube-apiserver's etcd holds: the resource prefix it sits under and the
 * namespace.
 *
 * @param resourcePrefix the part after /registry/ naming the resource, e.g. pods,
 * services/specs, reports.kyverno.io/ephemeralreports; {@code (outside /registry)} for
 * other keys
 * @param group the API group, "" for the core group and the apiserver's own keys; a guess
 * for built-in resources whose group the key does not say (jobs is batch, but the key
 * says only "jobs")
 * @param resource the resource, e.g. pods, nodes (from minions)
 * @param namespace the namespace, null for cluster-scoped objects
 */
public record RegistryKey(String resourcePrefix, String group, String resource, String namespace) {

	public static final String OUTSIDE_PREFIX = "(outside " + RegistryLayout.DEFAULT_ETCD_PREFIX + ")";

	/** Keys that are not kube-apiserver objects. */
	public static final RegistryKey OUTSIDE = new RegistryKey(OUTSIDE_PREFIX, "", "", null);

	/**
	 * The key prefix every object of the resource sits under, e.g.
	 * /registry/services/specs/.
	 */
	public String keyPrefix() {
		return RegistryLayout.DEFAULT_ETCD_PREFIX + "/" + this.resourcePrefix + "/";
	}

}
