package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.cpdoctor.analysis.etcd.KnownOffender;
import dev.cpdoctor.analysis.etcd.ObjectCount;

/**
 * Cause 2's remedies for the biggest risky resource: the known offender's fix, where its
 * objects are (count by namespace), the paged delete, an object-count quota, and the last
 * resort when etcd is full. Namespaced commands act on the namespace chosen, else on a
 * marked placeholder that matches none.
 */
public final class LeakRemedies {

	/**
	 * The namespace the generated commands carry until the user replaces it: object
	 * counts are cluster-wide, so which namespaces hold the objects is for the
	 * count-by-namespace command to tell.
	 */
	public static final String NAMESPACE_PLACEHOLDER = "your-namespace";

	private LeakRemedies() {
	}

	/**
	 * @param cluster the cluster's name, for the quota's manifest
	 * @param target the biggest risky resource
	 * @param overQuota whether etcd is over its quota (the last resort goes first)
	 * @param namespace the chosen namespace; null for the placeholder
	 */
	public static List<Remediation> forResource(String cluster, ObjectCount target, boolean overQuota,
			Manifests manifests, String namespace) {
		String ns = (namespace != null) ? namespace : NAMESPACE_PLACEHOLDER;
		List<Remediation> remedies = new ArrayList<>();
		Optional<KnownOffender> offender = KnownOffender.lookup(target.group(), target.resource());
		offender.ifPresent((k) -> remedies.add(new Remediation(k.fix() + " (" + k.why() + ")", null)));
		ServedResources.Served served = ServedResources.SERVED.get(target.qualifiedName());
		LeakedResource resource;
		try {
			resource = (served != null) ? new LeakedResource(target.group(), served.version(), target.resource(),
					served.namespaced() ? ns : null, null) : null;
		}
		catch (InvalidRemedyParameter ex) {
			return remedies;
		}
		if (resource == null) {
			remedies.add(new Remediation("Delete unused " + Printable.line(target.qualifiedName())
					+ " in pages of 1000: find its version with kubectl api-resources, then kubectl delete --raw"
					+ " \"/apis/<group>/<version>/namespaces/<ns>/<resource>?limit=1000\", repeated", null));
			return remedies;
		}
		// Placeholder, not all namespaces: the apiserver deletes a collection one
		// namespace at a time, and a loop over every namespace would also empty
		// kube-system of configmaps, secrets or pods.
		String placeholder = (namespace != null) ? null : "No namespace chosen: " + NAMESPACE_PLACEHOLDER
				+ " is a placeholder (it matches no namespace, so pasted as is this deletes nothing). Choose a"
				+ " namespace the count by namespace lists (namespace= in the page's URL or the API), or replace it.";
		if (served.namespaced()) {
			remedies.add(Remediation.command("Count the " + resource.qualifiedName() + " by namespace",
					"kubectl get " + resource.qualifiedName()
							+ " -A --no-headers -o custom-columns=NS:.metadata.namespace"
							+ " | sort | uniq -c | sort -rn | head -20\n",
					List.of("kubectl reads them in chunks of 500 (--chunk-size): slow for very many, but paginated.")));
		}
		if (overQuota) {
			Remediation last = EtcdLastResort.of(resource);
			remedies.add((served.namespaced() && placeholder != null) ? withWarning(last, placeholder) : last);
		}
		Remediation paged = PagedDelete.of(resource);
		remedies.add((served.namespaced() && placeholder != null) ? withWarning(paged, placeholder) : paged);
		if (served.namespaced()) {
			ObjectCountQuota quota = ObjectCountQuota.of(cluster, ns, target.group(), target.resource(), null,
					"cluster-wide count " + target.count() + " (apiserver object counts)");
			String limit = "The limit is " + ObjectCountQuota.number(quota.hard())
					+ ": lower it to what the namespace needs.";
			remedies.add(withWarning(quota.remediation(manifests),
					(placeholder != null) ? placeholder + " " + limit : limit));
		}
		return remedies;
	}

	private static Remediation withWarning(Remediation r, String warning) {
		return new Remediation(r.summary(), r.kind(), r.text(), concat(r.warnings(), warning));
	}

	private static List<String> concat(List<String> list, String more) {
		List<String> all = new ArrayList<>(list);
		all.add(more);
		return all;
	}

}
