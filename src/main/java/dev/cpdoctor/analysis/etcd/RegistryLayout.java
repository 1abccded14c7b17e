package dev.cpdoctor.analysis.etcd;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How kube-apiserver lays out its objects in etcd (with the default
 * {@code --etcd-prefix=/registry}):
 * {@code /registry/<resource prefix>/<namespace>/<name>}, or
 * {@code /registry/<resource prefix>/<name>} for cluster-scoped ones. Both directions: a
 * resource to its prefix, and a key back to its resource and namespace.
 *
 * <p>
 * The resource prefix:
 * <ul>
 * <li>resources of kube-apiserver's own groups ({@link #BUILT_IN_GROUPS}: the core group,
 * apps, batch, ...): the resource name alone, without the group - /registry/jobs/,
 * /registry/deployments/, /registry/configmaps/;</li>
 * <li>except the prefixes compiled into Kubernetes
 * (pkg/kubeapiserver/default_storage_factory_builder.go, SpecialDefaultResourcePrefixes):
 * services under services/specs, endpoints under services/endpoints, nodes under minions,
 * replicationcontrollers under controllers, ingresses (networking.k8s.io and extensions)
 * under ingress;</li>
 * <li>events.k8s.io events share the core group's storage: /registry/events/;</li>
 * <li>CustomResourceDefinitions and APIServices, stored by the apiextensions and
 * aggregator servers, and every custom resource: group and resource -
 * /registry/apiextensions.k8s.io/customresourcedefinitions/,
 * /registry/reports.kyverno.io/ephemeralreports/.</li>
 * </ul>
 * Besides objects the apiserver keeps a few bookkeeping keys:
 * /registry/masterleases/&lt;ip&gt; (endpoint reconciler leases),
 * /registry/ranges/serviceips and /registry/ranges/servicenodeports (allocators). They
 * read as cluster-scoped keys of resources "masterleases" and "ranges". Groups
 * kube-apiserver serves without storing anything (authentication.k8s.io,
 * authorization.k8s.io) and the aggregated metrics APIs hold nothing in etcd. Not
 * handled: other aggregated API servers with storage of their own (OpenShift's
 * *.openshift.io, which keep their own layout) and an apiserver run with another
 * --etcd-prefix; a group added to Kubernetes after this list would be taken for a custom
 * resource's.
 */
public final class RegistryLayout {

	public static final String DEFAULT_ETCD_PREFIX = "/registry";

	/**
	 * The groups kube-apiserver stores itself, keyed by resource name alone (as of
	 * Kubernetes 1.34).
	 */
	public static final Set<String> BUILT_IN_GROUPS = Set.of("", "apps", "batch", "autoscaling", "policy", "extensions",
			"rbac.authorization.k8s.io", "networking.k8s.io", "storage.k8s.io", "scheduling.k8s.io",
			"coordination.k8s.io", "discovery.k8s.io", "node.k8s.io", "certificates.k8s.io",
			"admissionregistration.k8s.io", "flowcontrol.apiserver.k8s.io", "events.k8s.io", "resource.k8s.io",
			"storagemigration.k8s.io", "internal.apiserver.k8s.io", "settings.k8s.io");

	/** Built-in groups whose servers key by group and resource. */
	public static final Set<String> GROUP_KEYED_BUILT_INS = Set.of("apiextensions.k8s.io", "apiregistration.k8s.io");

	/** Served, never stored in etcd. */
	public static final Set<String> NOT_STORED = Set.of("authentication.k8s.io", "authorization.k8s.io",
			"metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io");

	/** SpecialDefaultResourcePrefixes, keyed "group/resource". */
	static final Map<String, String> SPECIAL = Map.of("/services", "services/specs", "/endpoints", "services/endpoints",
			"/nodes", "minions", "/replicationcontrollers", "controllers", "networking.k8s.io/ingresses", "ingress",
			"extensions/ingresses", "ingress");

	/**
	 * The special prefixes back to the resource they hold (ingress: the current group's).
	 */
	private static final Map<String, GroupResource> SPECIAL_BACK = Map.of("services/specs",
			new GroupResource("", "services"), "services/endpoints", new GroupResource("", "endpoints"), "minions",
			new GroupResource("", "nodes"), "controllers", new GroupResource("", "replicationcontrollers"), "ingress",
			new GroupResource("networking.k8s.io", "ingresses"));

	/**
	 * The first segments that take a second one to name the resource prefix
	 * (services/specs).
	 */
	private static final Set<String> TWO_SEGMENT_BUILT_INS = Set.of("services");

	/** A group ("" for core) and resource. */
	public record GroupResource(String group, String resource) {
	}

	private RegistryLayout() {
	}

	/**
	 * services -> services/specs, jobs (batch) -> jobs, ephemeralreports
	 * (reports.kyverno.io) -> reports.kyverno.io/ephemeralreports; empty when the
	 * apiserver keeps nothing of the group in etcd.
	 */
	public static Optional<String> resourcePrefix(String group, String resource) {
		if (NOT_STORED.contains(group)) {
			return Optional.empty();
		}
		String special = SPECIAL.get(group + "/" + resource);
		if (special != null) {
			return Optional.of(special);
		}
		if (BUILT_IN_GROUPS.contains(group)) {
			return Optional.of(resource);
		}
		return Optional.of(group + "/" + resource);
	}

	/**
	 * Where a key belongs: /registry/pods/acme/web-1 is pods in acme,
	 * /registry/services/specs/acme/api is services in acme, /registry/minions/node-1 is
	 * nodes (cluster-scoped), /registry/reports.kyverno.io/ephemeralreports/acme/r-1 is
	 * that custom resource in acme. Keys outside the etcd prefix, or too short to name a
	 * resource, are {@link RegistryKey#OUTSIDE}.
	 * @param key the raw key bytes (etcd keys are bytes; kube-apiserver's are ASCII)
	 */
	public static RegistryKey parse(byte[] key) {
		return parse(new String(key, StandardCharsets.UTF_8));
	}

	public static RegistryKey parse(String key) {
		String root = DEFAULT_ETCD_PREFIX + "/";
		if (!key.startsWith(root)) {
			return RegistryKey.OUTSIDE;
		}
		String[] parts = key.substring(root.length()).split("/", -1);
		if (parts.length < 2 || parts[0].isEmpty()) {
			return RegistryKey.OUTSIDE;
		}
		int used;
		String prefix;
		GroupResource gr;
		if (parts[0].contains(".")) {
			// group-keyed: CRDs, APIServices, custom resources
			if (parts.length < 3) {
				return RegistryKey.OUTSIDE;
			}
			prefix = parts[0] + "/" + parts[1];
			gr = new GroupResource(parts[0], parts[1]);
			used = 2;
		}
		else if (TWO_SEGMENT_BUILT_INS.contains(parts[0]) && parts.length >= 3
				&& SPECIAL_BACK.containsKey(parts[0] + "/" + parts[1])) {
			prefix = parts[0] + "/" + parts[1];
			gr = SPECIAL_BACK.get(prefix);
			used = 2;
		}
		else {
			prefix = parts[0];
			gr = SPECIAL_BACK.getOrDefault(prefix, new GroupResource("", prefix));
			used = 1;
		}
		int rest = parts.length - used;
		String namespace = (rest >= 2) ? parts[used] : null;
		return new RegistryKey(prefix, gr.group(), gr.resource(), namespace);
	}

}
