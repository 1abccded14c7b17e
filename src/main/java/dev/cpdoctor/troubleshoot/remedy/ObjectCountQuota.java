package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.support.Sha256;

/**
 * Cause 2's object-count quota, decided: a ResourceQuota in one namespace capping how
 * many objects of one resource may exist there, with its name, the hard limit, and the
 * leading comment saying why that limit. Turning it into YAML is the Kubernetes client's
 * part (source.apiserver.QuotaYaml).
 *
 * <p>
 * The quota key is always the generic {@code count/<resource>.<group>}
 * ({@code count/<resource>} for the core group): it counts every object the namespace
 * holds in storage, which is what a leak fills. The specialised names mean the same for
 * configmaps, secrets, services, persistentvolumeclaims, replicationcontrollers and
 * resourcequotas, but {@code pods} counts only Pods that are not terminal, so leaked
 * Succeeded or Failed Pods would never hit it.
 *
 * @param cluster the cluster it is generated for (a valid cluster name)
 * @param namespace the namespace to cap (ResourceQuota is namespaced: there is none for
 * cluster-scoped resources)
 * @param group the API group, "" for the core group
 * @param resource the plural resource name
 * @param currentCount how many there are now, null when unknown
 * @param countSeen where the count was seen, for the comment ("apiserver_storage_objects
 * at 12:00"); any text, made printable
 * @param hard the hard limit
 * @param hardReason why that limit, one printable line
 */
public record ObjectCountQuota(String cluster, String namespace, String group, String resource, Long currentCount,
		String countSeen, long hard, String hardReason) {

	/** Prefix of the ResourceQuota's name. */
	public static final String NAME_PREFIX = "cpdoctor-count-";

	/** Headroom over the current count: at least this many objects. */
	static final long MIN_HEADROOM = 100;

	/** Headroom over the current count: at least this share of it (10 %). */
	static final long HEADROOM_DIVISOR = 10;

	/** The largest hard limit written: more than any etcd holds of one type. */
	public static final long MAX_HARD = 100_000_000;

	private static final int MAX_NAME = 253;

	private static final int HASH_LENGTH = 8;

	public ObjectCountQuota {
		Cluster.requireValidName(cluster);
		if (namespace == null || !LeakedResource.DNS_LABEL.matcher(namespace).matches()) {
			throw new InvalidRemedyParameter("namespace", "a ResourceQuota lives in one namespace: a DNS-1123 label"
					+ " (1-63 lower case letters, digits and '-'); cluster-scoped resources have no quota");
		}
		// the same rules, and the same parameter names, as the paged delete
		new LeakedResource(group, "v1", resource, namespace, null);
		group = (group != null) ? group : "";
		if (currentCount != null && currentCount < 0) {
			currentCount = null;
		}
		countSeen = Printable.line(countSeen);
		if (hard < 0 || hard > MAX_HARD) {
			throw new InvalidRemedyParameter("hard", "a hard limit is 0 to " + MAX_HARD + " objects");
		}
		hardReason = Printable.line(Objects.requireNonNull(hardReason, "hardReason"));
	}

	/**
	 * The default: the current count plus headroom (10 %, at least 100), rounded up to a
	 * multiple of 100, so the namespace keeps working while the leak is found, but cannot
	 * grow much further; with the count unknown, {@link ObjectCount#RISKY_COUNT}.
	 */
	public static ObjectCountQuota of(String cluster, String namespace, String group, String resource,
			Long currentCount, String countSeen) {
		Long current = (currentCount != null && currentCount >= 0) ? currentCount : null;
		if (current == null) {
			return new ObjectCountQuota(cluster, namespace, group, resource, null, countSeen, ObjectCount.RISKY_COUNT,
					"the current count is unknown: " + number(ObjectCount.RISKY_COUNT)
							+ ", above which one type of object gets risky for etcd and every LIST of it");
		}
		long headroom = Math.max(MIN_HEADROOM, ceilDiv(current, HEADROOM_DIVISOR));
		long hard = Math.min(MAX_HARD, ceilDiv(current + headroom, 100) * 100);
		return new ObjectCountQuota(cluster, namespace, group, resource, current, countSeen, hard,
				number(current) + " now + " + number(headroom) + " headroom (10 %, at least " + MIN_HEADROOM
						+ "), rounded up to a multiple of 100");
	}

	/** With a hard limit the user chose. */
	public ObjectCountQuota withHard(long chosen) {
		return new ObjectCountQuota(this.cluster, this.namespace, this.group, this.resource, this.currentCount,
				this.countSeen, chosen, "chosen by the user");
	}

	/** count/ephemeralreports.reports.kyverno.io, count/configmaps */
	public String quotaKey() {
		return "count/" + qualifiedName();
	}

	public String qualifiedName() {
		return this.group.isEmpty() ? this.resource : this.resource + "." + this.group;
	}

	/**
	 * A DNS-1123 subdomain of at most 253 characters: the prefix and the qualified
	 * resource name (itself a subdomain), cut and completed with 8 hex digits of its
	 * SHA-256 when too long.
	 */
	public String name() {
		String full = NAME_PREFIX + qualifiedName();
		if (full.length() <= MAX_NAME) {
			return full;
		}
		String hash = Sha256.hex(this.group, this.resource).substring(0, HASH_LENGTH);
		String cut = full.substring(0, MAX_NAME - 1 - HASH_LENGTH);
		while (!cut.isEmpty() && !Character.isLetterOrDigit(cut.charAt(cut.length() - 1))) {
			cut = cut.substring(0, cut.length() - 1);
		}
		return cut + "-" + hash;
	}

	public String summary() {
		return "Cap " + qualifiedName() + " in namespace " + this.namespace + " at " + number(this.hard)
				+ " with a ResourceQuota";
	}

	/** What to know before applying it; empty when nothing. */
	public List<String> warnings() {
		List<String> warnings = new ArrayList<>();
		if (this.currentCount != null && this.currentCount >= this.hard) {
			warnings.add("The namespace holds " + number(this.currentCount) + ", not below the limit: every create of "
					+ qualifiedName() + " there is refused until enough are deleted.");
		}
		if (this.currentCount == null) {
			warnings.add("The current count is unknown: if the namespace already holds " + number(this.hard)
					+ " or more, every create of " + qualifiedName() + " there is refused.");
		}
		warnings.add("Only new objects are refused; the existing ones stay until deleted.");
		warnings.add(PagedDelete.OVER_QUOTA_WARNING);
		return warnings.stream().map(Printable::line).toList();
	}

	/**
	 * The lines of the manifest's leading comment, without the "# ": what it caps, the
	 * limit and why, and how to apply, watch and undo it. Each line is reduced to
	 * printable ASCII, so no text - countSeen comes from outside - can end the comment.
	 */
	public List<String> comment() {
		List<String> lines = new ArrayList<>();
		lines.add("Object-count quota for cluster " + this.cluster + ", generated by Control Plane Doctor.");
		lines.add("Caps:    " + qualifiedName() + " in namespace " + this.namespace + ": " + quotaKey()
				+ " counts every object stored"
				+ (qualifiedName().equals("pods") ? " (terminal Pods too; 'pods' would count only the others)" : ""));
		lines.add("Now:     " + ((this.currentCount != null) ? number(this.currentCount) : "unknown")
				+ (this.countSeen.isEmpty() ? "" : " (" + this.countSeen + ")"));
		lines.add("Limit:   " + number(this.hard) + ": " + this.hardReason);
		lines.add("         Creating one more beyond it fails with 403 Forbidden (exceeded quota); lower it once the"
				+ " leaked objects are gone.");
		lines.add("");
		lines.add("Apply:  kubectl apply -f quota.yaml");
		lines.add("Watch:  kubectl describe resourcequota " + name() + " -n " + this.namespace);
		lines.add("Undo:   kubectl delete resourcequota " + name() + " -n " + this.namespace);
		return lines.stream().map(Printable::line).toList();
	}

	/** 13,600: grouped the same in every locale. */
	/** The quota as a remedy a page can show with a copy button. */
	public Remediation remediation(Manifests manifests) {
		return Remediation.yaml(summary(), manifests.quota(this), warnings());
	}

	public static String number(long value) {
		return String.format(Locale.ROOT, "%,d", value);
	}

	private static long ceilDiv(long value, long divisor) {
		return (value + divisor - 1) / divisor;
	}

}
