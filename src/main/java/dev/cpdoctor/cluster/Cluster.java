package dev.cpdoctor.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

import org.springframework.util.unit.DataSize;

/**
 * One cluster the dashboard knows. The name appears in URLs and permalinks, so it is
 * restricted to a DNS-label-like alphabet.
 *
 * @param name unique, lower case letters, digits, '-', '.' and '_'
 * @param provider where it runs
 * @param access how to reach its apiserver (none for demo and offline clusters)
 * @param etcdQuota the quota its etcd usage is measured against
 * @param origin where the catalog got it from, shown on pages ("configuration",
 * "kubeconfig", ...)
 */
public record Cluster(String name, Provider provider, KubeAccess access, DataSize etcdQuota, String origin) {

	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

	public Cluster {
		requireValidName(name);
		Objects.requireNonNull(provider, "provider");
		Objects.requireNonNull(access, "access");
		Objects.requireNonNull(origin, "origin");
		etcdQuota = (etcdQuota != null) ? etcdQuota : provider.defaultEtcdQuota();
		if (etcdQuota.toBytes() <= 0) {
			throw new IllegalArgumentException("Cluster '" + name + "': etcd quota must be positive, got " + etcdQuota);
		}
	}

	/**
	 * @throws IllegalArgumentException saying what a cluster name may hold
	 */
	public static String requireValidName(String name) {
		Objects.requireNonNull(name, "name");
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("Cluster name '" + name
					+ "' is not valid: use 1-63 lower case letters, digits, '-', '.' or '_', starting and ending with a letter or digit");
		}
		return name;
	}

	public boolean isDemo() {
		return this.provider == Provider.DEMO;
	}

}
