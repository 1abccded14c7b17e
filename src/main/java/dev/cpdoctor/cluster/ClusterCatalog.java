package dev.cpdoctor.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clusters the dashboard offers: configured ones first, then the current kubeconfig
 * context, then the demo. Built from files and properties only; nothing here touches the
 * network.
 */
public final class ClusterCatalog {

	private static final Logger log = LoggerFactory.getLogger(ClusterCatalog.class);

	public static final String DEMO_NAME = "demo";

	/** Origin of clusters from cpdoctor.clusters[]. */
	public static final String CONFIGURED = "configuration";

	/**
	 * Origin prefix of the kubeconfig's current context, offered without being
	 * configured.
	 */
	public static final String DISCOVERED = "kubeconfig ";

	/** Replaced whole on every registration (copy on write): reads never lock. */
	private volatile Map<String, Cluster> clusters;

	public ClusterCatalog(List<Cluster> clusters) {
		Map<String, Cluster> byName = new LinkedHashMap<>();
		for (Cluster cluster : clusters) {
			if (byName.putIfAbsent(cluster.name(), cluster) != null) {
				throw new IllegalArgumentException("Cluster name '" + cluster.name() + "' is configured twice");
			}
		}
		this.clusters = Collections.unmodifiableMap(byName);
	}

	/**
	 * The catalog of the configuration, plus an offline cluster for every name that has
	 * stored history but is not configured (uploaded dumps survive a restart).
	 */
	public static ClusterCatalog from(ClusterProperties properties, List<String> clustersWithHistory) {
		ClusterCatalog catalog = from(properties);
		for (String name : clustersWithHistory) {
			if (catalog.find(name).isEmpty() && !name.equals(DEMO_NAME)) {
				catalog.offline(name);
			}
		}
		return catalog;
	}

	/**
	 * The cluster of that name, registering it as an offline cluster (known only from
	 * uploaded /metrics dumps) when none is configured.
	 * @throws IllegalArgumentException when the name is not a valid cluster name
	 */
	public synchronized Cluster offline(String name) {
		return offline(name, "uploaded /metrics dumps");
	}

	/**
	 * The cluster of that name, registering it as an offline cluster known from
	 * {@code origin} (e.g. "imported audit logs") when none is configured.
	 * @throws IllegalArgumentException when the name is not a valid cluster name
	 */
	public synchronized Cluster offline(String name, String origin) {
		Cluster existing = this.clusters.get(name);
		if (existing != null) {
			return existing;
		}
		Cluster cluster = new Cluster(name, Provider.OFFLINE, KubeAccess.none(), null, origin);
		Map<String, Cluster> copy = new LinkedHashMap<>(this.clusters);
		copy.put(name, cluster);
		this.clusters = Collections.unmodifiableMap(copy);
		log.info("Registered offline cluster '{}'", name);
		return cluster;
	}

	public static ClusterCatalog from(ClusterProperties properties) {
		List<Cluster> clusters = new ArrayList<>();
		for (ClusterProperties.ClusterEntry entry : properties.clusters()) {
			if (properties.demo().enabled() && DEMO_NAME.equals(entry.name())) {
				throw new IllegalArgumentException("cpdoctor.clusters[]: the name '" + DEMO_NAME
						+ "' belongs to the built-in demo; rename the cluster or set cpdoctor.demo.enabled=false");
			}
			clusters.add(fromEntry(entry));
		}
		if (properties.kubeconfig().offerCurrentContext()) {
			List<Path> files = properties.kubeconfig().files();
			KubeconfigFile.readCurrentContext(files).ifPresent((current) -> {
				String derived = nameFor(current.context());
				boolean nameTaken = derived.equals(DEMO_NAME)
						|| clusters.stream().anyMatch((c) -> c.name().equals(derived));
				String name = nameTaken ? withSuffix(derived, "-kubeconfig") : derived;
				boolean alreadyConfigured = clusters.stream()
					.anyMatch((c) -> c.name().equals(name) || current.context().equals(c.access().kubeconfigContext()));
				if (!alreadyConfigured) {
					clusters.add(new Cluster(name, Provider.guessFromServer(current.server()),
							KubeAccess.context(current.context(), current.server()), null, DISCOVERED + files.get(0)));
				}
			});
		}
		if (properties.demo().enabled() && clusters.stream().noneMatch((c) -> c.name().equals(DEMO_NAME))) {
			clusters.add(new Cluster(DEMO_NAME, Provider.DEMO, KubeAccess.none(), null, "built-in demo scenario"));
		}
		log.info("Cluster catalog: {}", clusters.stream().map(Cluster::name).toList());
		return new ClusterCatalog(clusters);
	}

	private static Cluster fromEntry(ClusterProperties.ClusterEntry entry) {
		if (entry.name() == null || entry.name().isBlank()) {
			throw new IllegalArgumentException("cpdoctor.clusters[]: every cluster needs a name");
		}
		KubeAccess access;
		if (entry.inCluster()) {
			access = KubeAccess.inCluster();
		}
		else if (entry.context() != null && !entry.context().isBlank()) {
			access = KubeAccess.context(entry.context(), null);
		}
		else {
			access = KubeAccess.none();
		}
		return new Cluster(entry.name(), entry.provider(), access, entry.etcdQuota(), CONFIGURED);
	}

	/**
	 * A cluster name from a kubeconfig context name, which may hold characters not
	 * allowed in a cluster name (an EKS context is an ARN:
	 * arn:aws:eks:region:account:cluster/name).
	 */
	static String nameFor(String context) {
		String name = context.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
		name = name.replaceAll("^[^a-z0-9]+", "").replaceAll("[^a-z0-9]+$", "");
		if (name.length() > 63) {
			name = name.substring(name.length() - 63).replaceAll("^[^a-z0-9]+", "");
		}
		return name.isEmpty() ? "kubeconfig" : name;
	}

	/**
	 * name + suffix, the name shortened so that the result stays a valid 63-character
	 * name.
	 */
	static String withSuffix(String name, String suffix) {
		String head = name.substring(0, Math.min(name.length(), 63 - suffix.length())).replaceAll("[^a-z0-9]+$", "");
		return head + suffix;
	}

	/**
	 * Whether the cluster is the kubeconfig's current context, offered but not
	 * configured.
	 */
	public static boolean isDiscovered(Cluster cluster) {
		return cluster.origin().startsWith(DISCOVERED);
	}

	public List<Cluster> all() {
		return List.copyOf(this.clusters.values());
	}

	public Optional<Cluster> find(String name) {
		return Optional.ofNullable(this.clusters.get(name));
	}

	/**
	 * The cluster a bare URL shows: the first configured one; else the demo (a kubeconfig
	 * context that was merely discovered is offered in the picker, not opened unasked);
	 * else whatever there is.
	 */
	public Optional<Cluster> defaultCluster() {
		return this.clusters.values()
			.stream()
			.filter((c) -> c.origin().equals(CONFIGURED))
			.findFirst()
			.or(() -> find(DEMO_NAME))
			.or(() -> this.clusters.values().stream().findFirst());
	}

}
