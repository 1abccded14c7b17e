package dev.cpdoctor.analysis.etcd;

/**
 * The keys of one resource prefix in one namespace.
 *
 * @param namespace the namespace; null for the cluster-scoped objects of the prefix
 * @param keys how many keys
 * @param valueBytes the sum of their values' sizes
 */
public record NamespaceUsage(String namespace, long keys, long valueBytes) {
}
