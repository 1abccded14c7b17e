package dev.cpdoctor.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes an apiserver audit log as the log backend does (--audit-log-path,
 * --audit-log-format=json): one audit.k8s.io/v1 Event per line, level Metadata, for the
 * audit ingest benchmark (issue 5).
 * <p>
 * What the file holds, deterministic for a seed and a size:
 * <ul>
 * <li>{@value #USER_AGENTS} distinct user agents with a realistic skew: kubelets, the
 * controller manager's controllers, the scheduler, a LIST-flooding backup operator, the
 * usual add-ons, then a long tail of operators, kubectl versions and scripts (Zipf-like
 * weights).</li>
 * <li>Each client has its own mix of verbs and resources (get, list, watch, create,
 * update, patch, delete on pods, nodes, configmaps, secrets, leases.coordination.k8s.io,
 * deployments.apps, ... and the subresources pods/status, pods/log, pods/exec,
 * nodes/status), and issues its requests in bursts, as informers and reconcile loops
 * do.</li>
 * <li>Every request writes a RequestReceived line and, later in the file and interleaved
 * with other requests' lines, a ResponseComplete line with the same auditID; long-running
 * requests (watch, pods/log, pods/exec) write ResponseStarted in between. The file is
 * ordered by stageTimestamp.</li>
 * <li>Latency is log-normal per operation, scaled per client; watches last 5 to 10
 * minutes. Codes are mostly 200/201 with some 404 (get, delete), 409 (update, patch,
 * create), 429 and 500. Between 40 % and 65 % of the span the backup operator floods
 * LISTs and everyone's LIST latency climbs.</li>
 * <li>Timestamps are RFC 3339 with microseconds, as the apiserver writes them; the file
 * spans {@link #SPAN_HOURS} hours whatever its size (the request rate follows the
 * size).</li>
 * </ul>
 * Every line is written into one reusable byte array and that through a
 * BufferedOutputStream: no String.format or string concatenation per event.
 */
public final class AuditLogGenerator {

	static final int USER_AGENTS = 200;

	static final int SPAN_HOURS = 3;

	static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

	static final long DEFAULT_SEED = 20261122;

	private static final long SPAN_MICROS = SPAN_HOURS * 3_600_000_000L;

	private static final double INCIDENT_FROM = 0.40;

	private static final double INCIDENT_TO = 0.65;

	/** What a generated file holds. */
	public record Stats(Path file, long bytes, long lines, long requests, long longRunning, Instant first, Instant last,
			int userAgents, long adjacentPairs, long nanos) {
	}

	private AuditLogGenerator() {
	}

	/** {@code AuditLogGenerator FILE [SIZE [SEED]]}: SIZE like 1GiB, 200m or bytes. */
	public static void main(String[] args) throws IOException {
		Path file = Path.of(args[0]);
		long size = (args.length > 1) ? parseSize(args[1]) : 1L << 30;
		long seed = (args.length > 2) ? Long.parseLong(args[2]) : DEFAULT_SEED;
		Stats stats = generate(file, size, seed);
		System.out.printf(
				"%s: %,d bytes, %,d lines, %,d requests (%,d long-running), %s .. %s, %,d of %,d requests' "
						+ "stage lines right after the previous one, %.1f s%n",
				stats.file(), stats.bytes(), stats.lines(), stats.requests(), stats.longRunning(), stats.first(),
				stats.last(), stats.adjacentPairs(), stats.requests(), stats.nanos() / 1e9);
	}

	/** "1GiB", "1g", "512MiB", "200m", "64k" (binary units) or a number of bytes. */
	public static long parseSize(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
		t = t.endsWith("ib") ? t.substring(0, t.length() - 2) : t.endsWith("b") ? t.substring(0, t.length() - 1) : t;
		long unit = 1;
		char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
		switch (last) {
			case 'k' -> unit = 1L << 10;
			case 'm' -> unit = 1L << 20;
			case 'g' -> unit = 1L << 30;
			default -> unit = 1;
		}
		String number = (unit == 1) ? t : t.substring(0, t.length() - 1);
		return Math.round(Double.parseDouble(number) * unit);
	}

	/**
	 * Writes about {@code targetBytes} (a little more: the requests in flight at the end
	 * complete).
	 */
	public static Stats generate(Path file, long targetBytes, long seed) throws IOException {
		long started = System.nanoTime();
		Model model = new Model(seed);
		// Calibration: how many bytes a burst of requests writes, so the file spans
		// SPAN_HOURS.
		Writer calibration = new Writer(model, new SplittableRandom(seed ^ 0x5DEECE66DL),
				OutputStream.nullOutputStream(), 1_000, Long.MAX_VALUE);
		calibration.run(20_000);
		double bytesPerBurst = (double) calibration.bytes / calibration.bursts;
		double meanGapMicros = SPAN_MICROS / (targetBytes / bytesPerBurst);
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			Writer writer = new Writer(model, new SplittableRandom(seed), out, meanGapMicros, targetBytes);
			writer.run(Long.MAX_VALUE);
			return new Stats(file, writer.bytes, writer.lines, writer.requests, writer.longRunning,
					Instant.EPOCH.plusNanos(writer.firstMicros * 1000),
					Instant.EPOCH.plusNanos(writer.lastMicros * 1000), model.agents.length, writer.adjacent,
					System.nanoTime() - started);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The cluster: resources, namespaces, names, nodes, clients.

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

	static final class Agent {

		final String userAgent;

		final Identity[] identities;

		final Op[] ops;

		final double[] opCumulative;

		final double burstMean;

		final double latencyFactor;

		final byte[] annotations;

		final double errorScale;

		Agent(String userAgent, Identity[] identities, List<Op> ops, double burstMean, double latencyFactor,
				String reason, double errorScale) {
			this.userAgent = userAgent;
			this.identities = identities;
			this.ops = ops.toArray(Op[]::new);
			this.opCumulative = new double[this.ops.length];
			double sum = 0;
			for (int i = 0; i < this.ops.length; i++) {
				sum += this.ops[i].weight();
				this.opCumulative[i] = sum;
			}
			for (int i = 0; i < this.ops.length; i++) {
				this.opCumulative[i] /= sum;
			}
			this.burstMean = burstMean;
			this.latencyFactor = latencyFactor;
			this.annotations = ascii(",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\","
					+ "\"authorization.k8s.io/reason\":\"" + reason.replace("\"", "\\\"") + "\"}");
			this.errorScale = errorScale;
		}

		Op pick(double u) {
			for (int i = 0; i < this.opCumulative.length; i++) {
				if (u < this.opCumulative[i]) {
					return this.ops[i];
				}
			}
			return this.ops[this.ops.length - 1];
		}

	}

	static final String K8S = "v1.30.4 (linux/amd64) kubernetes/0ab5b2f";

	static final String[] NAMESPACES = { "default", "kube-system", "payments", "checkout", "catalog", "search",
			"monitoring", "logging", "ingress-nginx", "cert-manager", "argocd", "kyverno", "velero", "data-pipeline",
			"ml-serving", "auth", "notifications", "billing", "reporting", "frontend", "backend", "batch-jobs",
			"istio-system", "flux-system", "team-a", "team-b", "team-c", "staging", "qa", "sandbox" };

	private static final String[] APPS = { "web", "api", "worker", "redis", "postgres", "kafka", "zookeeper", "nginx",
			"envoy", "fluent-bit", "prometheus", "grafana", "loki", "tempo", "cart", "orders", "inventory", "pricing",
			"recommender", "indexer", "scheduler", "mailer", "gateway", "auth-proxy", "session", "feature-flags" };

	static final class Model {

		final Resource[] resources;

		final byte[][] namespaces;

		final byte[][] names;

		final byte[][] nodeNames;

		final Agent[] agents;

		/**
		 * Agent index by a 16-bit random number, in normal times and during the LIST
		 * flood.
		 */
		final short[] pickNormal = new short[1 << 16];

		final short[] pickIncident = new short[1 << 16];

		final int floodAgent;

		Model(long seed) {
			SplittableRandom random = new SplittableRandom(seed * 31 + 7);
			this.namespaces = Arrays.stream(NAMESPACES).map(AuditLogGenerator::ascii).toArray(byte[][]::new);
			this.names = new byte[4096][];
			for (int i = 0; i < this.names.length; i++) {
				this.names[i] = ascii(
						APPS[random.nextInt(APPS.length)] + "-" + alnum(random, 10) + "-" + alnum(random, 5));
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
			List<Agent> agents = new ArrayList<>();
			List<Double> weights = new ArrayList<>();
			int flood = agents(random, agents, weights);
			this.agents = agents.toArray(Agent[]::new);
			this.floodAgent = flood;
			double[] normal = weights.stream().mapToDouble(Double::doubleValue).toArray();
			double[] incident = normal.clone();
			incident[flood] *= 4;
			fill(this.pickNormal, normal, this.agents);
			fill(this.pickIncident, incident, this.agents);
		}

		/** Weights are of requests: a burst is picked with weight / burst size. */
		private static void fill(short[] table, double[] requestWeights, Agent[] agents) {
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

		private int agents(SplittableRandom random, List<Agent> agents, List<Double> weights) {
			Identity[] kubelets = new Identity[this.nodeNames.length];
			for (int i = 0; i < kubelets.length; i++) {
				kubelets[i] = identity("system:node:" + nodeName(i), "[\"system:nodes\",\"system:authenticated\"]",
						nodeIp(i), "kubelet/" + K8S);
			}
			add(agents, weights, 22,
					new Agent("kubelet/" + K8S, kubelets, ops("get leases.coordination.k8s.io kube-node-lease 20; "
							+ "update leases.coordination.k8s.io kube-node-lease 20; patch nodes/status - 6; get nodes - 6; "
							+ "get pods ns 8; patch pods/status ns 10; get configmaps ns 4; get secrets ns 4; "
							+ "watch configmaps ns 1; watch secrets ns 1; watch pods all 0.3; list services all 0.2; "
							+ "create events ns 3"), 1.6, 1.0, "", 1.0));
			String[] controllers = { "replicaset-controller", "deployment-controller", "endpointslice-controller",
					"job-controller", "node-lifecycle-controller", "generic-garbage-collector", "namespace-controller",
					"resourcequota-controller", "daemon-set-controller", "statefulset-controller" };
			double[] controllerWeights = { 4, 3, 4, 1.5, 2.5, 3, 0.6, 1.2, 1.2, 0.8 };
			String[] controllerOps = {
					"get replicasets.apps ns 4; update replicasets.apps ns 3; create pods ns 2; delete pods ns 1; "
							+ "list pods ns 1; watch replicasets.apps all 0.05; watch pods all 0.05; create events ns 1",
					"get deployments.apps ns 3; update deployments.apps ns 3; create replicasets.apps ns 0.5; "
							+ "patch replicasets.apps ns 1; list replicasets.apps ns 1; watch deployments.apps all 0.05",
					"list endpointslices.discovery.k8s.io ns 2; create endpointslices.discovery.k8s.io ns 0.5; "
							+ "update endpointslices.discovery.k8s.io ns 4; delete endpointslices.discovery.k8s.io ns 0.5; "
							+ "watch services all 0.05; get services ns 1",
					"get jobs.batch ns 3; update jobs.batch ns 2; create pods ns 1; delete pods ns 0.5; watch jobs.batch all 0.05",
					"get nodes - 3; patch nodes - 1; list pods all 0.3; get leases.coordination.k8s.io kube-node-lease 3; "
							+ "watch nodes - 0.05",
					"list pods all 0.5; list replicasets.apps all 0.5; delete pods ns 2; delete replicasets.apps ns 1; "
							+ "get pods ns 3; watch configmaps all 0.05",
					"list configmaps ns 1; list secrets ns 1; delete configmaps ns 0.5; get configmaps ns 1",
					"list pods ns 2; list services ns 1; list configmaps ns 1; list secrets ns 1; update configmaps ns 0.2",
					"get pods ns 3; create pods ns 1; delete pods ns 0.5; patch nodes - 0.3; create events ns 1",
					"get pods ns 3; create pods ns 0.5; update pods/status ns 0.3; list pods ns 1; create events ns 0.5" };
			for (int i = 0; i < controllers.length; i++) {
				String ua = "kube-controller-manager/" + K8S + "/system:serviceaccount:kube-system:" + controllers[i];
				add(agents, weights, controllerWeights[i],
						new Agent(ua,
								new Identity[] { identity("system:serviceaccount:kube-system:" + controllers[i],
										serviceAccountGroups("kube-system"), "10.0.0.10", ua) },
								ops(controllerOps[i]), 4, 0.9,
								"RBAC: allowed by ClusterRoleBinding \"system:controller:" + controllers[i]
										+ "\" of ClusterRole \"system:controller:" + controllers[i]
										+ "\" to ServiceAccount \"" + controllers[i] + "/kube-system\"",
								1.0));
			}
			String kcmLeader = "kube-controller-manager/" + K8S + "/leader-election";
			add(agents, weights, 2.5, new Agent(kcmLeader,
					new Identity[] { identity("system:kube-controller-manager", "[\"system:authenticated\"]",
							"10.0.0.10", kcmLeader) },
					ops("get leases.coordination.k8s.io kube-system 1; update leases.coordination.k8s.io kube-system 1"),
					1, 0.8, "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of ClusterRole "
							+ "\"system:kube-controller-manager\" to User \"system:kube-controller-manager\"",
					1.0));
			String scheduler = "kube-scheduler/" + K8S + "/scheduler";
			add(agents, weights, 4, new Agent(scheduler,
					new Identity[] {
							identity("system:kube-scheduler", "[\"system:authenticated\"]", "10.0.0.10", scheduler) },
					ops("get leases.coordination.k8s.io kube-system 2; "
							+ "update leases.coordination.k8s.io kube-system 2; create events ns 1; patch pods/status ns 0.5; "
							+ "watch pods all 0.02; watch nodes - 0.02"),
					2, 0.8,
					"RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of ClusterRole \"system:kube-scheduler\" "
							+ "to User \"system:kube-scheduler\"",
					1.0));
			// The LIST-flooding operator: lists secrets and configmaps of every namespace
			// in a loop.
			String backup = "backup-inventory-operator/v0.9.2 (linux/amd64) kubernetes/$Format";
			int flood = agents.size();
			add(agents, weights, 12, new Agent(backup,
					new Identity[] { identity("system:serviceaccount:velero:backup-inventory",
							serviceAccountGroups("velero"), "10.244.7.31", backup) },
					ops("list secrets ns 4; list configmaps ns 3; list pods ns 2; list secrets all 0.6; "
							+ "get leases.coordination.k8s.io velero 0.2"),
					14, 2.2,
					"RBAC: allowed by ClusterRoleBinding \"backup-inventory\" of ClusterRole \"cluster-admin\" to "
							+ "ServiceAccount \"backup-inventory/velero\"",
					6.0));
			String[][] addOns = { { "kube-proxy/" + K8S, "kube-system", "kube-proxy", "2.5",
					"list endpointslices.discovery.k8s.io all 0.2; "
							+ "watch endpointslices.discovery.k8s.io all 0.3; watch services all 0.3; get nodes - 1" },
					{ "coredns/v1.11.3 (linux/amd64) kubernetes/$Format", "kube-system", "coredns", "1.5",
							"watch services all 0.3; watch endpointslices.discovery.k8s.io all 0.3; list services all 0.2" },
					{ "cilium-agent/v1.16.1 (linux/amd64) kubernetes/$Format", "kube-system", "cilium", "3",
							"get nodes - 2; patch nodes/status - 1; watch pods all 0.1; list pods all 0.1; "
									+ "get leases.coordination.k8s.io kube-system 1" },
					{ "metrics-server/v0.7.1 (linux/amd64) kubernetes/$Format", "kube-system", "metrics-server", "1.5",
							"list nodes - 1; get nodes - 2; watch nodes - 0.05" },
					{ "cluster-autoscaler/v1.30.2 (linux/amd64) kubernetes/$Format", "kube-system",
							"cluster-autoscaler", "2",
							"list pods all 1; list nodes - 1; get configmaps kube-system 1; update configmaps kube-system 1; "
									+ "get leases.coordination.k8s.io kube-system 1; update leases.coordination.k8s.io kube-system 1" },
					{ "kyverno/v1.12.5 (linux/amd64) kubernetes/$Format", "kyverno", "kyverno-admission-controller",
							"3.5",
							"create policyreports.wgpolicyk8s.io ns 1; update policyreports.wgpolicyk8s.io ns 2; "
									+ "get policyreports.wgpolicyk8s.io ns 1; delete policyreports.wgpolicyk8s.io ns 1; "
									+ "list policyreports.wgpolicyk8s.io ns 0.5; update leases.coordination.k8s.io kyverno 1" },
					{ "argocd-application-controller/v2.12.3 (linux/amd64) kubernetes/$Format", "argocd",
							"argocd-application-controller", "3",
							"list deployments.apps all 0.3; list services all 0.2; "
									+ "get deployments.apps ns 2; patch deployments.apps ns 0.5; list configmaps all 0.2; "
									+ "watch deployments.apps all 0.05" },
					{ "prometheus/v2.54.1 (linux/amd64) kubernetes/$Format", "monitoring", "prometheus", "1.2",
							"list pods all 0.3; list endpointslices.discovery.k8s.io all 0.3; list services all 0.2; "
									+ "watch pods all 0.1" },
					{ "cert-manager-controller/v1.15.3 (linux/amd64) kubernetes/$Format", "cert-manager",
							"cert-manager", "1",
							"get secrets ns 2; update secrets ns 0.2; get leases.coordination.k8s.io kube-system 1; "
									+ "update leases.coordination.k8s.io kube-system 1" },
					{ "ingress-nginx-controller/v1.11.2 (linux/amd64) kubernetes/$Format", "ingress-nginx",
							"ingress-nginx", "1",
							"get configmaps ingress-nginx 1; update leases.coordination.k8s.io ingress-nginx 1; "
									+ "list services all 0.1; watch secrets all 0.05" },
					{ "external-dns/0.14.2 (linux/amd64) kubernetes/$Format", "kube-system", "external-dns", "0.6",
							"list services all 1; list pods all 0.2; list nodes - 0.2" },
					{ "velero-server/v1.14.1 (linux/amd64) kubernetes/$Format", "velero", "velero", "0.6",
							"list pods all 0.2; get secrets velero 1; create events velero 0.5; list configmaps all 0.1" },
					{ "fluent-bit/v3.1.7 (linux/amd64) kubernetes/$Format", "logging", "fluent-bit", "1",
							"get pods ns 3; watch pods all 0.02" } };
			for (String[] addOn : addOns) {
				String ua = addOn[0];
				add(agents, weights, Double.parseDouble(addOn[3]),
						new Agent(ua,
								new Identity[] { identity("system:serviceaccount:" + addOn[1] + ":" + addOn[2],
										serviceAccountGroups(addOn[1]), podIp(random), ua) },
								ops(addOn[4]), 1 + random.nextInt(4), 0.7 + random.nextDouble(),
								"RBAC: allowed by ClusterRoleBinding \"" + addOn[2] + "\" of ClusterRole \"" + addOn[2]
										+ "\" to ServiceAccount \"" + addOn[2] + "/" + addOn[1] + "\"",
								1.0));
			}
			// The long tail: operators, people with kubectl, scripts; Zipf-like weights.
			String[] people = { "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com",
					"erin@example.com", "frank@example.com", "grace@example.com", "heidi@example.com" };
			String[] platforms = { "linux/amd64", "darwin/arm64", "darwin/amd64", "windows/amd64", "linux/arm64" };
			String[] kubectlOps = { "get pods ns 5; list pods ns 4; get deployments.apps ns 2; get pods/log ns 1; "
					+ "get pods/exec ns 0.3; list events ns 1; delete pods ns 0.3; patch deployments.apps ns 0.5",
					"list pods all 2; get nodes - 1; list nodes - 1; get secrets ns 0.5; list configmaps ns 1; "
							+ "update configmaps ns 0.2; watch pods ns 0.1" };
			String[] operatorOps = { "get configmaps ns 2; update configmaps ns 1; list pods ns 1; watch pods ns 0.05; "
					+ "get leases.coordination.k8s.io ns 2; update leases.coordination.k8s.io ns 2; create events ns 0.5",
					"get deployments.apps ns 2; patch deployments.apps ns 1; list replicasets.apps ns 1; "
							+ "watch deployments.apps all 0.02; get leases.coordination.k8s.io ns 2; update leases.coordination.k8s.io ns 2",
					"get secrets ns 2; create secrets ns 0.3; update secrets ns 0.5; delete secrets ns 0.1; list secrets ns 0.5; "
							+ "watch secrets ns 0.02",
					"create jobs.batch ns 1; get jobs.batch ns 3; delete jobs.batch ns 0.5; list pods ns 1; get pods/log ns 0.3" };
			String[] scripts = { "Go-http-client/2.0", "Go-http-client/1.1", "python-requests/2.32.3",
					"OpenAPI-Generator/30.1.0/python", "curl/8.5.0", "kube-state-metrics/v2.13.0", "Lens/6.5.2",
					"k9s/v0.32.5 (linux/amd64) kubernetes/$Format", "helm/v3.15.4 (linux/amd64) kubernetes/$Format",
					"kustomize-controller/v1.3.0 (linux/amd64) kubernetes/$Format",
					"source-controller/v1.3.0 (linux/amd64) kubernetes/$Format",
					"terraform-provider-kubernetes/2.31.0" };
			int rank = 0;
			int scriptIndex = 0;
			while (agents.size() < USER_AGENTS) {
				rank++;
				double weight = 2.0 / Math.pow(rank, 1.05);
				String ua;
				Identity identity;
				List<Op> ops;
				String reason;
				int kind = rank % 3;
				if (scriptIndex < scripts.length && rank % 5 == 0) {
					ua = scripts[scriptIndex++];
					String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
					identity = identity("system:serviceaccount:" + ns + ":automation-" + rank, serviceAccountGroups(ns),
							podIp(random), ua);
					ops = ops(operatorOps[random.nextInt(operatorOps.length)]);
					reason = "RBAC: allowed by RoleBinding \"automation\" of Role \"automation\" to ServiceAccount \"automation-"
							+ rank + "/" + ns + "\"";
				}
				else if (kind == 0) {
					String person = people[random.nextInt(people.length)];
					ua = "kubectl/v1." + (26 + random.nextInt(6)) + "." + random.nextInt(12) + " ("
							+ platforms[random.nextInt(platforms.length)] + ") kubernetes/" + hex(random, 7);
					identity = identity(person, "[\"oidc:platform-team\",\"system:authenticated\"]",
							"203.0.113." + (1 + random.nextInt(250)), ua);
					ops = ops(kubectlOps[random.nextInt(kubectlOps.length)]);
					reason = "RBAC: allowed by ClusterRoleBinding \"platform-team\" of ClusterRole \"edit\" to Group \"oidc:platform-team\"";
				}
				else {
					String ns = NAMESPACES[random.nextInt(NAMESPACES.length)];
					String name = APPS[random.nextInt(APPS.length)] + "-operator";
					ua = name + "/v0." + random.nextInt(20) + "." + random.nextInt(10)
							+ " (linux/amd64) kubernetes/$Format";
					if (rank % 7 == 0) {
						ua = "team-" + (char) ('a' + rank % 26) + "-" + ua;
					}
					identity = identity("system:serviceaccount:" + ns + ":" + name, serviceAccountGroups(ns),
							podIp(random), ua);
					ops = ops(operatorOps[random.nextInt(operatorOps.length)]);
					reason = "RBAC: allowed by RoleBinding \"" + name + "\" of Role \"" + name
							+ "\" to ServiceAccount \"" + name + "/" + ns + "\"";
				}
				String key = ua;
				if (agents.stream().anyMatch((a) -> a.userAgent.equals(key))) {
					continue;
				}
				add(agents, weights, weight, new Agent(ua, new Identity[] { identity }, ops, 1 + random.nextInt(3),
						0.6 + 1.4 * random.nextDouble(), reason, (kind == 0) ? 2.0 : 1.0));
			}
			return flood;
		}

		private static void add(List<Agent> agents, List<Double> weights, double weight, Agent agent) {
			agents.add(agent);
			weights.add(weight);
		}

		/**
		 * "verb resource scope weight; ...": scope a namespace, "ns" (any), "all"
		 * (cluster-wide) or "-".
		 */
		private List<Op> ops(String spec) {
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

	}

	// ---------------------------------------------------------------------------------------------
	// The writer: bursts of requests, a queue of pending stages ordered by time, one line
	// at a time.

	static final int RECEIVED = 0;

	static final int STARTED = 1;

	static final int COMPLETE = 2;

	/** One request in flight: its next stage is written at {@code time}. */
	static final class Request {

		long time;

		long seq;

		int stage;

		long hi;

		long lo;

		long received;

		long started;

		long complete;

		Agent agent;

		Op op;

		Identity identity;

		byte[] namespace;

		byte[] name;

		int code;

		long resourceVersion;

		int watchSeconds;

	}

	static final class Writer {

		final Model model;

		final SplittableRandom random;

		final OutputStream out;

		final double meanGapMicros;

		final long targetBytes;

		final PriorityQueue<Request> pending = new PriorityQueue<>(
				(a, b) -> (a.time != b.time) ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));

		final Line line = new Line();

		final long startMicros = START.getEpochSecond() * 1_000_000L;

		long bytes;

		long lines;

		long requests;

		long longRunning;

		long bursts;

		long seq;

		long firstMicros = Long.MAX_VALUE;

		long lastMicros;

		long resourceVersion = 48_210_377;

		long adjacent;

		long previousLineId = -1;

		int previousStage = -1;

		Writer(Model model, SplittableRandom random, OutputStream out, double meanGapMicros, long targetBytes) {
			this.model = model;
			this.random = random;
			this.out = out;
			this.meanGapMicros = meanGapMicros;
			this.targetBytes = targetBytes;
		}

		void run(long maxBursts) throws IOException {
			long now = this.startMicros;
			double averageLine = 700;
			while (this.bursts < maxBursts) {
				// Stop issuing requests when the file, with what is still in flight,
				// reaches the target.
				if (this.lines > 0) {
					averageLine = (double) this.bytes / this.lines;
				}
				if (this.bytes + (long) (this.pending.size() * 1.5 * averageLine) >= this.targetBytes) {
					break;
				}
				burst(now);
				now += Math.max(1, Math.round(-Math.log(1 - this.random.nextDouble()) * this.meanGapMicros));
				while (!this.pending.isEmpty() && this.pending.peek().time < now) {
					write(this.pending.poll());
				}
			}
			while (!this.pending.isEmpty()) {
				write(this.pending.poll());
			}
		}

		private void burst(long at) {
			this.bursts++;
			double progress = (double) (at - this.startMicros) / SPAN_MICROS;
			boolean incident = progress >= INCIDENT_FROM && progress < INCIDENT_TO;
			short[] table = incident ? this.model.pickIncident : this.model.pickNormal;
			Agent agent = this.model.agents[table[this.random.nextInt(1 << 16)]];
			int size = 1 + (int) (-Math.log(1 - this.random.nextDouble()) * (agent.burstMean - 1));
			long t = at;
			Identity identity = agent.identities[this.random.nextInt(agent.identities.length)];
			for (int i = 0; i < size; i++) {
				request(agent, identity, t, incident);
				t += 40 + this.random.nextInt(400);
			}
		}

		private void request(Agent agent, Identity identity, long at, boolean incident) {
			Op op = agent.pick(this.random.nextDouble());
			Request r = new Request();
			r.hi = (this.random.nextLong() & ~0xF000L) | 0x4000L;
			r.lo = (this.random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
			r.agent = agent;
			r.op = op;
			r.identity = identity;
			r.received = at;
			r.namespace = switch (op.scope()) {
				case "ns" -> this.model.namespaces[this.random.nextInt(this.model.namespaces.length)];
				case "all", "-" -> null;
				default -> ascii(op.scope());
			};
			if (!op.resource().namespaced()) {
				r.namespace = null;
			}
			r.name = op.resource().key().startsWith("nodes") || "kube-node-lease".equals(op.scope())
					? this.model.nodeNames[this.random.nextInt(this.model.nodeNames.length)]
					: this.model.names[this.random.nextInt(this.model.names.length)];
			r.resourceVersion = this.resourceVersion += 1 + this.random.nextInt(7);
			// Code and latency.
			double u = this.random.nextDouble();
			double scale = agent.errorScale * (incident ? 3 : 1);
			int code = (op.verb() == Verb.CREATE) ? 201 : 200;
			double latency;
			if (u < 0.003 * scale) {
				code = 429;
			}
			else if (u < 0.0035 * scale) {
				code = 500;
			}
			else if (u < 0.0035 * scale + 0.04 * agent.errorScale) {
				switch (op.verb()) {
					case GET, DELETE -> code = 404;
					case UPDATE, PATCH, CREATE -> code = 409;
					default -> {
					}
				}
			}
			if (op.verb() == Verb.WATCH) {
				r.watchSeconds = 300 + this.random.nextInt(300);
				latency = r.watchSeconds * 1000.0 + this.random.nextDouble() * 50;
				code = 200;
			}
			else if (code == 429) {
				latency = 0.2 + this.random.nextDouble() * 2;
			}
			else {
				double median = op.medianMs() * agent.latencyFactor;
				if (incident && op.verb() == Verb.LIST) {
					median *= 3;
				}
				if (code == 500) {
					median = Math.max(median, 30);
				}
				latency = 0.15 + median * Math.exp(op.sigma() * this.random.nextGaussian());
			}
			r.code = code;
			long latencyMicros = Math.max(1, Math.round(latency * 1000));
			r.complete = at + latencyMicros;
			if (op.longRunning()) {
				r.started = at + Math.min(latencyMicros - 1, 200 + this.random.nextInt(3000));
				this.longRunning++;
			}
			r.stage = RECEIVED;
			r.time = at;
			r.seq = this.seq++;
			this.pending.add(r);
			this.requests++;
		}

		private void write(Request r) throws IOException {
			Line l = this.line;
			l.reset();
			l.put(EVENT_HEAD);
			l.uuid(r.hi, r.lo);
			l.put((r.stage == RECEIVED) ? STAGE_RECEIVED : (r.stage == STARTED) ? STAGE_STARTED : STAGE_COMPLETE);
			requestUri(l, r);
			l.put(VERB);
			l.put(r.op.verb().json);
			l.put(QUOTE_COMMA);
			l.put(r.identity.json());
			objectRef(l, r);
			if (r.stage != RECEIVED) {
				responseStatus(l, r);
			}
			l.put(RECEIVED_TS);
			l.timestamp(r.received);
			l.put(STAGE_TS);
			long stageTime = (r.stage == RECEIVED) ? r.received : (r.stage == STARTED) ? r.started : r.complete;
			l.timestamp(stageTime);
			l.put((byte) '"');
			if (r.stage != RECEIVED) {
				l.put(r.agent.annotations);
			}
			l.put(EVENT_TAIL);
			this.out.write(l.bytes, 0, l.length);
			this.bytes += l.length;
			this.lines++;
			this.firstMicros = Math.min(this.firstMicros, stageTime);
			this.lastMicros = stageTime;
			if (r.stage != RECEIVED && this.previousLineId == r.seq) {
				this.adjacent++;
			}
			this.previousLineId = r.seq;
			if (r.stage == RECEIVED) {
				r.stage = r.op.longRunning() ? STARTED : COMPLETE;
				r.time = (r.stage == STARTED) ? r.started : r.complete;
				this.pending.add(r);
			}
			else if (r.stage == STARTED) {
				r.stage = COMPLETE;
				r.time = r.complete;
				this.pending.add(r);
			}
		}

		private void requestUri(Line l, Request r) {
			Resource res = r.op.resource();
			Verb verb = r.op.verb();
			l.put(REQUEST_URI);
			l.put(res.pathBase());
			if (r.namespace != null) {
				l.put(NAMESPACES_PATH);
				l.put(r.namespace);
			}
			l.put((byte) '/');
			l.put(res.plural());
			boolean named = verb != Verb.LIST && verb != Verb.WATCH
					&& !(verb == Verb.CREATE && res.subresourcePath().length == 0);
			if (named) {
				l.put((byte) '/');
				l.put(r.name);
				l.put(res.subresourcePath());
			}
			switch (verb) {
				case LIST -> l.put((r.seq & 1) == 0 ? LIST_QUERY : LIST_QUERY_SELECTOR);
				case WATCH -> {
					l.put(WATCH_QUERY_RV);
					l.number(r.resourceVersion);
					l.put(WATCH_QUERY_TIMEOUT);
					l.number(r.watchSeconds / 60);
					l.put((byte) 'm');
					l.number(r.watchSeconds % 60);
					l.put(WATCH_QUERY_SECONDS);
					l.number(r.watchSeconds);
					l.put(WATCH_QUERY_TAIL);
				}
				default -> {
					if (res.key().equals("pods/exec")) {
						l.put(EXEC_QUERY);
					}
					else if (res.key().equals("pods/log")) {
						l.put(LOG_QUERY);
					}
					else if (res.key().startsWith("leases")) {
						l.put(TIMEOUT_QUERY);
					}
				}
			}
			l.put(QUOTE_COMMA);
		}

		private void objectRef(Line l, Request r) {
			Resource res = r.op.resource();
			l.put(res.objectRefHead());
			if (r.namespace != null) {
				l.put(NAMESPACE_FIELD);
				l.put(r.namespace);
				l.put((byte) '"');
			}
			Verb verb = r.op.verb();
			if (verb != Verb.LIST && verb != Verb.WATCH) {
				l.put(NAME_FIELD);
				l.put(r.name);
				l.put((byte) '"');
			}
			l.put(res.objectRefTail());
		}

		private void responseStatus(Line l, Request r) {
			int code = (r.stage == STARTED) ? 200 : r.code;
			if (code < 400) {
				l.put(STATUS_OK);
				l.number(code);
				l.put((byte) '}');
				return;
			}
			l.put(STATUS_FAILURE);
			byte[] kind = r.op.resource().kind();
			switch (code) {
				case 404 -> {
					l.put(kind);
					l.put(ESCAPED_SPACE_QUOTE);
					l.put(r.name);
					l.put(NOT_FOUND);
				}
				case 409 -> {
					l.put(CONFLICT_HEAD);
					l.put(kind);
					l.put(ESCAPED_SPACE_QUOTE);
					l.put(r.name);
					l.put(CONFLICT_TAIL);
				}
				case 429 -> l.put(TOO_MANY);
				default -> l.put(INTERNAL);
			}
			l.number(code);
			l.put((byte) '}');
		}

	}

	private static final byte[] EVENT_HEAD = ascii(
			"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"");

	private static final byte[] STAGE_RECEIVED = ascii("\",\"stage\":\"RequestReceived\"");

	private static final byte[] STAGE_STARTED = ascii("\",\"stage\":\"ResponseStarted\"");

	private static final byte[] STAGE_COMPLETE = ascii("\",\"stage\":\"ResponseComplete\"");

	private static final byte[] REQUEST_URI = ascii(",\"requestURI\":\"");

	private static final byte[] NAMESPACES_PATH = ascii("/namespaces/");

	private static final byte[] LIST_QUERY = ascii("?limit=500&resourceVersion=0");

	private static final byte[] LIST_QUERY_SELECTOR = ascii(
			"?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dhelm&limit=500");

	private static final byte[] WATCH_QUERY_RV = ascii("?allowWatchBookmarks=true&resourceVersion=");

	private static final byte[] WATCH_QUERY_TIMEOUT = ascii("&timeout=");

	private static final byte[] WATCH_QUERY_SECONDS = ascii("s&timeoutSeconds=");

	private static final byte[] WATCH_QUERY_TAIL = ascii("&watch=true");

	private static final byte[] EXEC_QUERY = ascii(
			"?command=%2Fbin%2Fsh&container=app&stdin=true&stdout=true&tty=true");

	private static final byte[] LOG_QUERY = ascii("?container=app&follow=true&tailLines=100");

	private static final byte[] TIMEOUT_QUERY = ascii("?timeout=10s");

	private static final byte[] VERB = ascii("\"verb\":\"");

	private static final byte[] QUOTE_COMMA = ascii("\",");

	private static final byte[] NAMESPACE_FIELD = ascii(",\"namespace\":\"");

	private static final byte[] NAME_FIELD = ascii(",\"name\":\"");

	private static final byte[] STATUS_OK = ascii(",\"responseStatus\":{\"metadata\":{},\"code\":");

	private static final byte[] STATUS_FAILURE = ascii(
			",\"responseStatus\":{\"metadata\":{},\"status\":\"Failure\",\"message\":\"");

	private static final byte[] ESCAPED_SPACE_QUOTE = ascii(" \\\"");

	private static final byte[] NOT_FOUND = ascii("\\\" not found\",\"reason\":\"NotFound\",\"code\":");

	private static final byte[] CONFLICT_HEAD = ascii("Operation cannot be fulfilled on ");

	private static final byte[] CONFLICT_TAIL = ascii(
			"\\\": the object has been modified; please apply your changes to the "
					+ "latest version and try again\",\"reason\":\"Conflict\",\"code\":");

	private static final byte[] TOO_MANY = ascii(
			"Too many requests, please try again later.\",\"reason\":\"TooManyRequests\","
					+ "\"details\":{\"retryAfterSeconds\":1},\"code\":");

	private static final byte[] INTERNAL = ascii(
			"etcdserver: request timed out\",\"reason\":\"InternalError\",\"code\":");

	private static final byte[] RECEIVED_TS = ascii(",\"requestReceivedTimestamp\":\"");

	private static final byte[] STAGE_TS = ascii("\",\"stageTimestamp\":\"");

	private static final byte[] EVENT_TAIL = ascii("}\n");

	private static final byte[] HEX = ascii("0123456789abcdef");

	/**
	 * One line being written: a growable byte array with the few encoders the events
	 * need.
	 */
	static final class Line {

		byte[] bytes = new byte[4096];

		int length;

		private long day = Long.MIN_VALUE;

		private byte[] datePrefix;

		void reset() {
			this.length = 0;
		}

		private void ensure(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
			}
		}

		void put(byte b) {
			ensure(1);
			this.bytes[this.length++] = b;
		}

		void put(byte[] b) {
			ensure(b.length);
			System.arraycopy(b, 0, this.bytes, this.length, b.length);
			this.length += b.length;
		}

		void number(long value) {
			ensure(20);
			if (value == 0) {
				this.bytes[this.length++] = '0';
				return;
			}
			int digits = 0;
			for (long v = value; v > 0; v /= 10) {
				digits++;
			}
			int end = this.length + digits;
			for (long v = value; v > 0; v /= 10) {
				this.bytes[--end] = (byte) ('0' + v % 10);
			}
			this.length += digits;
		}

		/** 8-4-4-4-12 lower-case hex. */
		void uuid(long hi, long lo) {
			ensure(36);
			hex(hi >>> 32, 8);
			this.bytes[this.length++] = '-';
			hex(hi >>> 16, 4);
			this.bytes[this.length++] = '-';
			hex(hi, 4);
			this.bytes[this.length++] = '-';
			hex(lo >>> 48, 4);
			this.bytes[this.length++] = '-';
			hex(lo, 12);
		}

		private void hex(long value, int digits) {
			for (int i = digits - 1; i >= 0; i--) {
				this.bytes[this.length + i] = HEX[(int) (value & 0xF)];
				value >>>= 4;
			}
			this.length += digits;
		}

		/** 2026-11-22T10:00:00.123456Z from microseconds since the epoch. */
		void timestamp(long micros) {
			ensure(32);
			long day = Math.floorDiv(micros, 86_400_000_000L);
			if (day != this.day) {
				this.day = day;
				this.datePrefix = ascii(LocalDate.ofEpochDay(day) + "T");
			}
			put(this.datePrefix);
			long inDay = micros - day * 86_400_000_000L;
			long seconds = inDay / 1_000_000;
			two((int) (seconds / 3600));
			this.bytes[this.length++] = ':';
			two((int) (seconds / 60 % 60));
			this.bytes[this.length++] = ':';
			two((int) (seconds % 60));
			this.bytes[this.length++] = '.';
			long fraction = inDay % 1_000_000;
			for (int i = 5; i >= 0; i--) {
				this.bytes[this.length + i] = (byte) ('0' + fraction % 10);
				fraction /= 10;
			}
			this.length += 6;
			this.bytes[this.length++] = 'Z';
		}

		private void two(int value) {
			this.bytes[this.length++] = (byte) ('0' + value / 10);
			this.bytes[this.length++] = (byte) ('0' + value % 10);
		}

	}

	// ---------------------------------------------------------------------------------------------

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

	private static Identity identity(String username, String groupsJson, String ip, String userAgent) {
		return new Identity(ascii("\"user\":{\"username\":\"" + username + "\",\"groups\":" + groupsJson
				+ "},\"sourceIPs\":[\"" + ip + "\"],\"userAgent\":\"" + userAgent + "\""));
	}

	private static String serviceAccountGroups(String namespace) {
		return "[\"system:serviceaccounts\",\"system:serviceaccounts:" + namespace + "\",\"system:authenticated\"]";
	}

	private static String nodeName(int i) {
		return "ip-10-0-" + (10 + i / 8) + "-" + (20 + i * 7 % 200) + ".eu-west-1.compute.internal";
	}

	private static String nodeIp(int i) {
		return "10.0." + (10 + i / 8) + "." + (20 + i * 7 % 200);
	}

	private static String podIp(SplittableRandom random) {
		return "10.244." + random.nextInt(40) + "." + (2 + random.nextInt(250));
	}

	private static String alnum(SplittableRandom random, int length) {
		String chars = "bcdfghjklmnpqrstvwxz2456789";
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append(chars.charAt(random.nextInt(chars.length())));
		}
		return sb.toString();
	}

	private static String hex(SplittableRandom random, int length) {
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append("0123456789abcdef".charAt(random.nextInt(16)));
		}
		return sb.toString();
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
