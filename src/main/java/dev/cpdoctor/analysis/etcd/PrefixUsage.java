package dev.cpdoctor.analysis.etcd;

import java.util.List;

/**
 * The keys of one resource prefix, e.g. /registry/reports.kyverno.io/ephemeralreports/.
 *
 * @param resourcePrefix the part after /registry/, e.g. pods or services/specs
 * @param group the API group as far as the key says it ("" for built-ins keyed by
 * resource alone)
 * @param resource the resource, e.g. nodes for minions
 * @param keys how many keys
 * @param valueBytes the sum of their values' sizes
 * @param namespaces per namespace, largest value bytes first (cluster-scoped keys under a
 * null namespace)
 */
public record PrefixUsage(String resourcePrefix, String group, String resource, long keys, long valueBytes,
		List<NamespaceUsage> namespaces) {

	public PrefixUsage {
		namespaces = List.copyOf(namespaces);
	}

	/** The full key prefix, e.g. /registry/services/specs/. */
	public String keyPrefix() {
		return RegistryKey.OUTSIDE_PREFIX.equals(this.resourcePrefix) ? ""
				: RegistryLayout.DEFAULT_ETCD_PREFIX + "/" + this.resourcePrefix + "/";
	}

}
