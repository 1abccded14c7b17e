package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cause 2's last resort, for an etcd already over its quota (NOSPACE alarm: the apiserver
 * can delete nothing, while etcd itself still accepts deletes): delete the leaked
 * objects' keys in etcd directly with etcdctl, then compact, defragment and disarm the
 * alarm. Loud warnings first, in the text itself so a copy carries them, and a snapshot
 * and a look at the keys before anything is deleted.
 *
 * <p>
 * etcdctl takes its endpoint and TLS files from ETCDCTL_ENDPOINTS, ETCDCTL_CACERT,
 * ETCDCTL_CERT and ETCDCTL_KEY (its --endpoints, --cacert, --cert and --key), set once at
 * the top to kubeadm's paths as placeholders to adjust.
 */
public final class EtcdLastResort {

	static final List<String> WARNINGS = List.of(
			"LAST RESORT, only when etcd is over its quota (NOSPACE alarm) and the apiserver cannot delete anything.",
			"Take a snapshot first: it is the only way back.",
			"It writes to etcd past the apiserver: no admission, no finalizers (what they guard, e.g. cloud disks or"
					+ " load balancers, stays behind), no graceful deletion, and owner references are not followed:"
					+ " do not count on the garbage collector for dependents.",
			"Watchers and caches learn of it only through the apiserver's own etcd watch; a client whose watch"
					+ " broke sees the deletions only when it relists.",
			"Self-managed control planes only: AKS, EKS and other managed services give no etcd access; open a"
					+ " support request there.",
			"Compact, defragment and disarm the alarm afterwards, or the cluster stays read-only.");

	private static final Pattern SAFE_PREFIX = Pattern
		.compile(Pattern.quote(EtcdRegistryPath.DEFAULT_ETCD_PREFIX + "/") + "[a-z0-9][a-z0-9./-]*/");

	private EtcdLastResort() {
	}

	/**
	 * @throws InvalidRemedyParameter naming labelSelector when there is one (etcd cannot
	 * select by label: the prefix holds every object), or group when etcd holds nothing
	 * of it
	 */
	public static Remediation of(LeakedResource target) {
		if (target.labelSelector() != null) {
			throw new InvalidRemedyParameter("labelSelector", "etcd cannot select by label: the last resort deletes"
					+ " every object under the prefix; ask without a selector if that is meant");
		}
		String prefix = EtcdRegistryPath.keyPrefix(target);
		return forKeyPrefix(prefix, target.qualifiedName(), target.where(), target.namespace() == null, List.of());
	}

	/**
	 * The same for an exact key prefix, e.g. the one a scan of the keyspace found holding
	 * the space.
	 * @param prefix the key prefix, ending in '/' ({@link #isSafePrefix})
	 * @param what what lives under it, e.g. ephemeralreports.reports.kyverno.io
	 * @param where "in namespace acme" or "cluster-wide"
	 * @param everyNamespace whether the prefix spans every namespace of the resource
	 * @param defragEndpoints the members to defragment, one at a time, the leader last;
	 * empty when unknown (then one etcdctl defrag of the configured endpoint)
	 * @throws InvalidRemedyParameter naming prefix when it holds anything but what a
	 * registry key prefix is made of (lower-case letters, digits, '.', '-', '/')
	 */
	public static Remediation forKeyPrefix(String prefix, String what, String where, boolean everyNamespace,
			List<String> defragEndpoints) {
		if (!isSafePrefix(prefix)) {
			throw new InvalidRemedyParameter("prefix",
					"a key prefix of the apiserver's etcd holds only lower-case"
							+ " letters, digits, '.', '-' and '/', starts with " + EtcdRegistryPath.DEFAULT_ETCD_PREFIX
							+ "/ and ends with '/'");
		}
		what = Printable.line(what);
		where = Printable.line(where);
		String quoted = "'" + prefix + "'";
		List<String> lines = new ArrayList<>();
		lines.add(
				"# !!! LAST RESORT: etcd is over its quota (NOSPACE alarm) and the apiserver cannot delete anything. !!!");
		for (String warning : WARNINGS.subList(1, WARNINGS.size())) {
			lines.add("# !!! " + warning);
		}
		lines.add("# Run on a control-plane node, one step at a time, reading each output before the next.");
		if (everyNamespace) {
			lines.add("# No namespace: the prefix holds every " + what
					+ " - in every namespace, if the resource is namespaced.");
		}
		lines.add("# With an apiserver --etcd-prefix other than " + EtcdRegistryPath.DEFAULT_ETCD_PREFIX
				+ ", change the prefix below.");
		lines.add("");
		lines.add("# 0. etcd's address and a client certificate it trusts (kubeadm's paths: adjust to your cluster)");
		lines.add("export ETCDCTL_API=3");
		lines.add("export ETCDCTL_ENDPOINTS="
				+ (defragEndpoints.isEmpty() ? "https://127.0.0.1:2379" : String.join(",", defragEndpoints)));
		lines.add("export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt");
		lines.add("export ETCDCTL_CERT=/etc/kubernetes/pki/apiserver-etcd-client.crt");
		lines.add("export ETCDCTL_KEY=/etc/kubernetes/pki/apiserver-etcd-client.key");
		lines.add("");
		lines.add("# 1. Snapshot, then copy it off the node");
		lines.add("etcdctl snapshot save \"etcd-before-delete-$(date +%Y%m%d-%H%M%S).db\"");
		lines.add("");
		lines.add("# 2. Look before deleting: how many keys, and the first few");
		lines.add("etcdctl get --prefix --count-only " + quoted);
		lines.add("etcdctl get --prefix --keys-only --limit=5 " + quoted);
		lines.add("");
		lines.add("# 3. Delete every " + what + " " + where + " (prints how many keys)");
		lines.add("etcdctl del --prefix " + quoted);
		lines.add("");
		freeTheSpace(lines, defragEndpoints);
		return Remediation.command(
				"Last resort: delete " + what + " " + where + " directly in etcd (prefix " + prefix + ")",
				String.join("\n", lines) + "\n", WARNINGS);
	}

	/**
	 * Step 4: compact to the current revision, defragment each member (one at a time, the
	 * leader last), disarm the alarm and check.
	 */
	private static void freeTheSpace(List<String> lines, List<String> defragEndpoints) {
		lines.add(
				"# 4. Free the space: compact to the current revision, defragment (it blocks the member while it runs:");
		boolean several = defragEndpoints.size() > 1;
		lines.add("#    with several members, one endpoint at a time" + (several ? ", the leader last" : "")
				+ "), disarm the alarm, check");
		lines.add(
				"rev=$(etcdctl endpoint status --write-out=json | grep -o '\"revision\":[0-9]*' | grep -o '[0-9][0-9]*'"
						+ (several ? " | head -1" : "") + ")");
		lines.add("etcdctl compact \"$rev\"");
		if (defragEndpoints.isEmpty()) {
			lines.add("etcdctl defrag");
		}
		else {
			for (int i = 0; i < defragEndpoints.size(); i++) {
				lines.add("etcdctl --endpoints=" + defragEndpoints.get(i) + " defrag"
						+ ((i == defragEndpoints.size() - 1 && several) ? "   # the leader, last" : ""));
			}
		}
		lines.add("etcdctl alarm disarm");
		lines.add("etcdctl alarm list");
		lines.add("etcdctl endpoint status --write-out=table");
	}

	/**
	 * Whether a key prefix is fit to paste into a shell: a registry prefix of DNS
	 * characters ending in '/'.
	 */
	public static boolean isSafePrefix(String prefix) {
		return prefix != null && SAFE_PREFIX.matcher(prefix).matches() && !prefix.contains("//")
				&& !prefix.contains("/../") && !prefix.contains("/./");
	}

}
