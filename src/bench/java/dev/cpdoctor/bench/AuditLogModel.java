package dev.cpdoctor.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static dev.cpdoctor.bench.AuditLogGenerator.ascii;

/**
 * The cluster a generated audit log describes: its resources, namespaces, object and node
 * names, and its clients ({@link AuditLogUserAgents}) with the tables that pick one for a
 * burst of requests, in normal times and during the LIST flood. Deterministic for a seed.
 */
final class AuditLogModel {

	enum Verb {

		GET, LIST, WATCH, CREATE, UPDATE, PATCH, DELETE;

		final byte[] json = ascii(name().toLowerCase(Locale.ROOT));

	}

	record Resource(String key, byte[] objectRefHead, byte[] pathBase, byte[] plural, byte[] subresourcePath,
			byte[] objectRefTail, boolean namespaced, boolean longRunning, byte[] kind) {
	}

	/**
	 * One kind of request a client makes: a verb on a resource, in one namespace, any, or
	 * all.
	 */
	record Op(Verb verb, Resource resource, String scope, double weight, double medianMs, double sigma) {

		boolean longRunning() {
			return this.verb == Verb.WATCH || this.resource.longRunning();
		}

	}

	/**
	 * user, sourceIPs and userAgent rendered once:
	 * {@code "user":{...},"sourceIPs":[...],"userAgent":"..."}.
	 */
	record Identity(byte[] json) {
	}

	static final String[] NAMESPACES = { "default", "kube-system", "payments", "checkout", "catalog", "search",
			"monitoring", "logging", "ingress-nginx", "cert-manager", "argocd", "kyverno", "velero", "data-pipeline",
			"ml-serving", "auth", "notifications", "billing", "reporting", "frontend", "backend", "batch-jobs",
			"istio-system", "flux-system", "team-a", "team-b", "team-c", "staging", "qa", "sandbox" };

	static final String[] APPS = { "web", "api", "worker", "redis", "postgres", "kafka", "zookeeper", "nginx", "envoy",
			"fluent-bit", "prometheus", "grafana", "loki", "tempo", "cart", "orders", "inventory", "pricing",
			"recommender", "indexer", "scheduler", "mailer", "gateway", "auth-proxy", "session", "feature-flags" };

	final Resource[] resources;

	final byte[][] namespaces;

	final byte[][] names;

	final byte[][] nodeNames;

	final AuditLogAgent[] agents;

	/**
	 * Agent index by a 16-bit random number, in normal times and during the LIST flood.
	 */
	final short[] pickNormal = new short[1 << 16];

	final short[] pickIncident = new short[1 << 16];

	final int floodAgent;

	AuditLogModel(long seed) {
		SplittableRandom random = new SplittableRandom(seed * 31 + 7);
		this.namespaces = Arrays.stream(NAMESPACES).map(AuditLogGenerator::ascii).toArray(byte[][]::new);
		this.names = new byte[4096][];
		for (int i = 0; i < this.names.length; i++) {
			this.names[i] = ascii(APPS[random.nextInt(APPS.length)] + "-" + alnum(random, 10) + "-" + alnum(random, 5));
		}
		this.nodeNames = new byte[40][];
		for (int i = 0; i < this.nodeNames.length; i++) {
			this.nodeNames[i] = ascii(nodeName(i));
		}
		List<Resource> resources = new ArrayList<>();
		resources.add(newResource("pods", "", "v1", "", true, false, "pods"));
		resources.add(newResource("pods/status", "", "v1", "status", true, false, "pods"));
		resources.add(newResource("pods/log", "", "v1", "log", true, true, "pods"));
		resources.add(newResource("pods/exec", "", "v1", "exec", true, true, "pods"));
		resources.add(newResource("nodes", "", "v1", "", false, false, "nodes"));
		resources.add(newResource("nodes/status", "", "v1", "status", false, false, "nodes"));
		resources.add(newResource("configmaps", "", "v1", "", true, false, "configmaps"));
		resources.add(newResource("secrets", "", "v1", "", true, false, "secrets"));
		resources.add(newResource("services", "", "v1", "", true, false, "services"));
		resources.add(newResource("events", "", "v1", "", true, false, "events"));
		resources.add(newResource("endpointslices.discovery.k8s.io", "discovery.k8s.io", "v1", "", true, false,
				"endpointslices"));
		resources
			.add(newResource("leases.coordination.k8s.io", "coordination.k8s.io", "v1", "", true, false, "leases"));
		resources.add(newResource("deployments.apps", "apps", "v1", "", true, false, "deployments"));
		resources.add(newResource("replicasets.apps", "apps", "v1", "", true, false, "replicasets"));
		resources.add(newResource("jobs.batch", "batch", "v1", "", true, false, "jobs"));
		resources.add(newResource("policyreports.wgpolicyk8s.io", "wgpolicyk8s.io", "v1alpha2", "", true, false,
				"policyreports"));
		this.resources = resources.toArray(Resource[]::new);
		AuditLogUserAgents catalogue = new AuditLogUserAgents(this, random);
		this.agents = catalogue.agents();
		int flood = catalogue.floodAgent();
		this.floodAgent = flood;
		double[] normal = catalogue.weights();
		double[] incident = normal.clone();
		incident[flood] *= 4;
		fill(this.pickNormal, normal, this.agents);
		fill(this.pickIncident, incident, this.agents);
	}

	/** Weights are of requests: a burst is picked with weight / burst size. */
	private static void fill(short[] table, double[] requestWeights, AuditLogAgent[] agents) {
		double[] burstWeights = new double[requestWeights.length];
		double sum = 0;
		for (int i = 0; i < burstWeights.length; i++) {
			burstWeights[i] = requestWeights[i] / agents[i].burstMean;
			sum += burstWeights[i];
		}
		double cumulative = 0;
		int slot = 0;
		for (int i = 0; i < burstWeights.length; i++) {
			cumulative += burstWeights[i] / sum;
			int end = (i == burstWeights.length - 1) ? table.length : (int) Math.round(cumulative * table.length);
			while (slot < end) {
				table[slot++] = (short) i;
			}
		}
	}

	Resource resource(String key) {
		for (Resource r : this.resources) {
			if (r.key().equals(key)) {
				return r;
			}
		}
		throw new IllegalArgumentException(key);
	}

	/**
	 * "verb resource scope weight; ...": scope a namespace, "ns" (any), "all"
	 * (cluster-wide) or "-".
	 */
	List<Op> ops(String spec) {
		List<Op> ops = new ArrayList<>();
		for (String part : spec.split(";")) {
			String[] f = part.trim().split(" ");
			double weight = Double.parseDouble(f[3]);
			if (weight <= 0 || !hasResource(f[1])) {
				continue;
			}
			Verb verb = Verb.valueOf(f[0].toUpperCase(Locale.ROOT));
			Resource resource = resource(f[1]);
			double median;
			double sigma = 0.6;
			switch (verb) {
				case GET -> median = 3;
				case LIST -> {
					median = "all".equals(f[2]) ? 120 : 14;
					if (f[1].equals("secrets") || f[1].equals("configmaps")) {
						median *= 2.5;
					}
					sigma = 0.8;
				}
				case WATCH -> median = 0;
				case CREATE -> median = 12;
				case UPDATE -> median = 8;
				case PATCH -> median = 9;
				case DELETE -> median = 14;
				default -> throw new IllegalStateException();
			}
			if (resource.longRunning()) {
				median = f[1].equals("pods/log") ? 4_000 : 60_000;
				sigma = 1.2;
			}
			ops.add(new Op(verb, resource, f[2], weight, median, sigma));
		}
		return ops;
	}

	private boolean hasResource(String key) {
		return Arrays.stream(this.resources).anyMatch((r) -> r.key().equals(key));
	}

	private static Resource newResource(String key, String group, String version, String subresource,
			boolean namespaced, boolean longRunning, String plural) {
		String pathBase = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
		String head = ",\"objectRef\":{\"resource\":\"" + plural + "\"";
		String tail = (group.isEmpty() ? "" : ",\"apiGroup\":\"" + group + "\"") + ",\"apiVersion\":\"" + version + "\""
				+ (subresource.isEmpty() ? "" : ",\"subresource\":\"" + subresource + "\"") + "}";
		return new Resource(key, ascii(head), ascii(pathBase), ascii(plural),
				ascii(subresource.isEmpty() ? "" : "/" + subresource), ascii(tail), namespaced, longRunning,
				ascii(plural + (group.isEmpty() ? "" : "." + group)));
	}

	static String nodeName(int i) {
		return "ip-10-0-" + (10 + i / 8) + "-" + (20 + i * 7 % 200) + ".eu-west-1.compute.internal";
	}

	private static String alnum(SplittableRandom random, int length) {
		String chars = "bcdfghjklmnpqrstvwxz2456789";
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append(chars.charAt(random.nextInt(chars.length())));
		}
		return sb.toString();
	}

}
