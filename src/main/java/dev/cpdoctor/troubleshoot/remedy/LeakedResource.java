package dev.cpdoctor.troubleshoot.remedy;

import java.util.regex.Pattern;

import dev.cpdoctor.analysis.etcd.ObjectCount;

/**
 * The objects a cause-2 remedy acts on: one resource of one API group and version, in one
 * namespace or, without a namespace, a cluster-scoped resource, optionally narrowed by a
 * label selector. Every part is validated against Kubernetes' own grammar, so a command
 * built from it holds only letters, digits and {@code - . /} (and the URL-encoded
 * selector): nothing a shell or a URL gives meaning to.
 *
 * @param group the API group, "" for the core group
 * @param version the API version, e.g. v1 or v1alpha1 (the core group has only v1)
 * @param resource the plural resource name, e.g. ephemeralreports
 * @param namespace the namespace; null for a cluster-scoped resource
 * @param labelSelector only objects with these labels; null for all
 */
public record LeakedResource(String group, String version, String resource, String namespace,
		LabelSelector labelSelector) {

	/** A DNS-1123 label: namespaces, resource plurals. */
	static final Pattern DNS_LABEL = ApfSubject.DNS_LABEL;

	/** A DNS-1035 label, what a CRD's version names must be: v1, v1beta2, v2alpha1. */
	static final Pattern VERSION = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

	public LeakedResource {
		group = (group != null) ? group : "";
		if (!group.isEmpty() && !ApfSubject.isDnsSubdomain(group)) {
			throw new InvalidRemedyParameter("group", "an API group is empty (the core group) or a DNS-1123 subdomain"
					+ " such as apps or reports.kyverno.io");
		}
		if (version == null || !VERSION.matcher(version).matches()) {
			throw new InvalidRemedyParameter("version", "an API version is a lower-case name such as v1 or v1alpha1");
		}
		if (group.isEmpty() && !version.equals("v1")) {
			throw new InvalidRemedyParameter("version", "the core group is served as v1 only");
		}
		if (resource == null || !DNS_LABEL.matcher(resource).matches()) {
			throw new InvalidRemedyParameter("resource", "a resource is its lower-case plural name, such as jobs or"
					+ " ephemeralreports (1-63 letters, digits and '-'), without group or subresource");
		}
		if (namespace != null && !DNS_LABEL.matcher(namespace).matches()) {
			throw new InvalidRemedyParameter("namespace", "a namespace is a DNS-1123 label (1-63 lower case letters,"
					+ " digits and '-', starting and ending with a letter or digit); none for a cluster-scoped resource");
		}
	}

	/**
	 * From the texts a page or an API receives; blank namespace and selector mean none.
	 * @throws InvalidRemedyParameter naming the parameter at fault
	 */
	public static LeakedResource of(String group, String version, String resource, String namespace,
			String labelSelector) {
		return new LeakedResource(group, version, resource,
				(namespace == null || namespace.isEmpty()) ? null : namespace, LabelSelector.of(labelSelector));
	}

	/**
	 * A namespace a user chose (a page's or an API's {@code namespace} parameter): null
	 * for none.
	 * @throws InvalidRemedyParameter naming namespace when it is not a DNS-1123 label
	 */
	public static String namespace(String text) {
		if (text == null || text.isEmpty()) {
			return null;
		}
		if (!DNS_LABEL.matcher(text).matches()) {
			throw new InvalidRemedyParameter("namespace", "a namespace is a DNS-1123 label (1-63 lower case letters,"
					+ " digits and '-', starting and ending with a letter or digit)");
		}
		return text;
	}

	/**
	 * The paged delete API's target: {@code resource} as kubectl names it
	 * ({@code events}, {@code jobs.batch}, {@code ephemeralreports.reports.kyverno.io});
	 * {@code version} may be left out for the core group and the resources the guide
	 * knows. A resource the guide knows to be namespaced needs a namespace: the apiserver
	 * deletes a collection one namespace at a time.
	 * @throws InvalidRemedyParameter naming the parameter at fault
	 */
	public static LeakedResource fromQuery(String resource, String version, String namespace, String labelSelector) {
		if (resource == null || resource.isEmpty()) {
			throw new InvalidRemedyParameter("resource",
					"name the resource as kubectl does: events, jobs.batch," + " ephemeralreports.reports.kyverno.io");
		}
		int dot = resource.indexOf('.');
		String plural = (dot < 0) ? resource : resource.substring(0, dot);
		String group = (dot < 0) ? "" : resource.substring(dot + 1);
		if ((dot >= 0 && group.isEmpty()) || !DNS_LABEL.matcher(plural).matches()
				|| (!group.isEmpty() && !ApfSubject.isDnsSubdomain(group))) {
			throw new InvalidRemedyParameter("resource", "<plural>.<group> with a plural of 1-63 lower case letters,"
					+ " digits and '-' and a group that is a DNS-1123 subdomain (e.g. ephemeralreports.reports.kyverno.io),"
					+ " or the plural alone for the core group");
		}
		ServedResources.Served served = ServedResources.SERVED.get(resource);
		String chosenVersion = (version != null && !version.isEmpty()) ? version
				: group.isEmpty() ? "v1" : (served != null) ? served.version() : null;
		if (chosenVersion == null) {
			throw new InvalidRemedyParameter("version", "the guide does not know which version this group serves: give"
					+ " version= as kubectl api-resources shows it (v1, v1beta1, ...)");
		}
		String chosenNamespace = namespace(namespace);
		if (chosenNamespace == null && served != null && served.namespaced()) {
			throw new InvalidRemedyParameter("namespace", "this resource is namespaced and the apiserver deletes a"
					+ " collection in one namespace at a time: give namespace= (a DNS-1123 label)");
		}
		return new LeakedResource(group, chosenVersion, plural, chosenNamespace, LabelSelector.of(labelSelector));
	}

	/**
	 * The resource a counted object type is, in a version the caller learnt from
	 * discovery.
	 */
	public static LeakedResource of(ObjectCount count, String version, String namespace) {
		return new LeakedResource(count.group(), version, count.resource(), namespace, null);
	}

	public boolean isCoreGroup() {
		return this.group.isEmpty();
	}

	/** "jobs.batch", "configmaps": how kubectl and quotas name it. */
	public String qualifiedName() {
		return this.group.isEmpty() ? this.resource : this.resource + "." + this.group;
	}

	/**
	 * The collection's path on the apiserver: /api/v1/namespaces/acme/configmaps,
	 * /apis/reports.kyverno.io/v1/namespaces/acme/ephemeralreports,
	 * /apis/reports.kyverno.io/v1/clusterephemeralreports.
	 */
	public String collectionPath() {
		String groupVersion = this.group.isEmpty() ? "/api/v1" : "/apis/" + this.group + "/" + this.version;
		String scope = (this.namespace != null) ? "/namespaces/" + this.namespace : "";
		return groupVersion + scope + "/" + this.resource;
	}

	/** "in namespace acme", "cluster-wide": for sentences. */
	public String where() {
		return (this.namespace != null) ? "in namespace " + this.namespace : "cluster-wide";
	}

	public LeakedResource withoutSelector() {
		return new LeakedResource(this.group, this.version, this.resource, this.namespace, null);
	}

}
