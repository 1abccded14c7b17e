package dev.cpdoctor.troubleshoot;

import java.util.Map;
import java.util.Set;

/**
 * Where the apiserver keeps a resource's objects in etcd: {@code /registry/<resource prefix>/<namespace>/<name>},
 * or {@code /registry/<resource prefix>/<name>} for cluster-scoped ones (with the default
 * {@code --etcd-prefix=/registry}).
 *
 * <p>The resource prefix:
 * <ul>
 * <li>resources of kube-apiserver's own groups ({@link #BUILT_IN_GROUPS}: the core group, apps,
 * batch, ...): the resource name alone, without the group - /registry/jobs/,
 * /registry/deployments/, /registry/configmaps/;</li>
 * <li>except the prefixes compiled into Kubernetes (pkg/kubeapiserver/default_storage_factory_builder.go,
 * SpecialDefaultResourcePrefixes): services under services/specs, endpoints under
 * services/endpoints, nodes under minions, replicationcontrollers under controllers, ingresses
 * (networking.k8s.io and extensions) under ingress;</li>
 * <li>events.k8s.io events share the core group's storage: /registry/events/;</li>
 * <li>CustomResourceDefinitions and APIServices, stored by the apiextensions and aggregator
 * servers, and every custom resource: group and resource - /registry/apiextensions.k8s.io/customresourcedefinitions/,
 * /registry/reports.kyverno.io/ephemeralreports/.</li>
 * </ul>
 * Groups kube-apiserver serves without storing anything (authentication.k8s.io,
 * authorization.k8s.io) and the aggregated metrics APIs are refused: etcd holds none of them.
 * Not handled: other aggregated API servers with storage of their own (OpenShift's *.openshift.io,
 * which keep their own layout) and an apiserver run with another --etcd-prefix; a group added to
 * Kubernetes after this list would be taken for a custom resource's - the look-before-deleting
 * step of the last resort shows 0 keys then.
 */
public final class EtcdRegistryPath {

	public static final String DEFAULT_ETCD_PREFIX = "/registry";

	/** The groups kube-apiserver stores itself, keyed by resource name alone (as of Kubernetes 1.34). */
	static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy", "extensions",
			"rbac.authorization.k8s.io", "networking.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
			"coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io",
			"admissionregistration.k8s.io", "flowcontrol.apiserver.k8s.io", "events.k8s.io", "resource.k8s.io",
			"storagemigration.k8s.io", "internal.apiserver.k8s.io", "settings.k8s.io");

	/** Built-in groups whose servers key by group and resource. */
	static final Set<String> GROUP_KEYED_BUILT_INS = Set.of("apiextensions.k8s.io", "apiregistration.k8s.io");

	/** Served, never stored in etcd. */
	static final Set<String> NOT_STORED = Set.of("authentication.k8s.io", "authorization.k8s.io", "metrics.k8s.io",
			"custom.metrics.k8s.io", "external.metrics.k8s.io");

	/** SpecialDefaultResourcePrefixes, keyed "group/resource". */
	static final Map<String, String> SPECIAL = Map.of("/services", "services/specs", "/endpoints", "services/endpoints",
			"/nodes", "minions", "/replicationcontrollers", "controllers", "networking.k8s.io/ingresses", "ingress",
			"extensions/ingresses", "ingress");

	private EtcdRegistryPath() {
	}

	/**
	 * services -> services/specs, jobs (batch) -> jobs, ephemeralreports (reports.kyverno.io) ->
	 * reports.kyverno.io/ephemeralreports.
	 * @throws InvalidRemedyParameter naming group when nothing of the group is in etcd
	 */
	public static String resourcePrefix(String group, String resource) {
		if (NOT_STORED.contains(group)) {
			throw new InvalidRemedyParameter("group", "the apiserver keeps nothing of this group in etcd (reviews,"
					+ " or metrics served by another server)");
		}
		String special = SPECIAL.get(group + "/" + resource);
		if (special != null) {
			return special;
		}
		if (BUILT_IN_GROUPS.contains(group)) {
			return resource;
		}
		return group + "/" + resource;
	}

	/**
	 * The key prefix holding every object of the target, always ending in '/', so that namespace
	 * acme does not also take acme-prod: /registry/services/specs/acme/,
	 * /registry/reports.kyverno.io/clusterephemeralreports/. Without a namespace that is every object
	 * of the resource - in every namespace, if the resource is namespaced.
	 */
	public static String keyPrefix(LeakedResource target) {
		String prefix = DEFAULT_ETCD_PREFIX + "/" + resourcePrefix(target.group(), target.resource()) + "/";
		return (target.namespace() != null) ? prefix + target.namespace() + "/" : prefix;
	}

}
