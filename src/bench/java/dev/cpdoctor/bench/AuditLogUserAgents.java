package dev.cpdoctor.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.cpdoctor.bench.AuditLogModel.Identity;
import dev.cpdoctor.bench.AuditLogModel.Op;

import static dev.cpdoctor.bench.AuditLogGenerator.USER_AGENTS;
import static dev.cpdoctor.bench.AuditLogGenerator.ascii;
import static dev.cpdoctor.bench.AuditLogModel.APPS;
import static dev.cpdoctor.bench.AuditLogModel.NAMESPACES;

/**
 * The clients of the generated cluster, {@value AuditLogGenerator#USER_AGENTS} user
 * agents with their weights (of requests): kubelets, the controller manager's controllers
 * and leader election, the scheduler, a LIST-flooding backup operator, the usual add-ons,
 * then a long tail of scripts, people with kubectl and operators with Zipf-like weights.
 * The order of the random draws is part of the generated file: a change here changes
 * every log.
 */
final class AuditLogUserAgents {

	static final String K8S = "v1.30.4 (linux/amd64) kubernetes/0ab5b2f";

	private static final String[] CONTROLLERS = { "replicaset-controller", "deployment-controller",
			"endpointslice-controller", "job-controller", "node-lifecycle-controller", "generic-garbage-collector",
			"namespace-controller", "resourcequota-controller", "daemon-set-controller", "statefulset-controller" };

	private static final double[] CONTROLLER_WEIGHTS = { 4, 3, 4, 1.5, 2.5, 3, 0.6, 1.2, 1.2, 0.8 };

	private static final String[] CONTROLLER_OPS = {
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

	private static final String[][] ADD_ONS = {
			{ "kube-proxy/" + K8S, "kube-system", "kube-proxy", "2.5",
					"list endpointslices.discovery.k8s.io all 0.2; "
							+ "watch endpointslices.discovery.k8s.io all 0.3; watch services all 0.3; get nodes - 1" },
			{ "coredns/v1.11.3 (linux/amd64) kubernetes/$Format", "kube-system", "coredns", "1.5",
					"watch services all 0.3; watch endpointslices.discovery.k8s.io all 0.3; list services all 0.2" },
			{ "cilium-agent/v1.16.1 (linux/amd64) kubernetes/$Format", "kube-system", "cilium", "3",
					"get nodes - 2; patch nodes/status - 1; watch pods all 0.1; list pods all 0.1; "
							+ "get leases.coordination.k8s.io kube-system 1" },
			{ "metrics-server/v0.7.1 (linux/amd64) kubernetes/$Format", "kube-system", "metrics-server", "1.5",
					"list nodes - 1; get nodes - 2; watch nodes - 0.05" },
			{ "cluster-autoscaler/v1.30.2 (linux/amd64) kubernetes/$Format", "kube-system", "cluster-autoscaler", "2",
					"list pods all 1; list nodes - 1; get configmaps kube-system 1; update configmaps kube-system 1; "
							+ "get leases.coordination.k8s.io kube-system 1; update leases.coordination.k8s.io kube-system 1" },
			{ "kyverno/v1.12.5 (linux/amd64) kubernetes/$Format", "kyverno", "kyverno-admission-controller", "3.5",
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
			{ "cert-manager-controller/v1.15.3 (linux/amd64) kubernetes/$Format", "cert-manager", "cert-manager", "1",
					"get secrets ns 2; update secrets ns 0.2; get leases.coordination.k8s.io kube-system 1; "
							+ "update leases.coordination.k8s.io kube-system 1" },
			{ "ingress-nginx-controller/v1.11.2 (linux/amd64) kubernetes/$Format", "ingress-nginx", "ingress-nginx",
					"1",
					"get configmaps ingress-nginx 1; update leases.coordination.k8s.io ingress-nginx 1; "
							+ "list services all 0.1; watch secrets all 0.05" },
			{ "external-dns/0.14.2 (linux/amd64) kubernetes/$Format", "kube-system", "external-dns", "0.6",
					"list services all 1; list pods all 0.2; list nodes - 0.2" },
			{ "velero-server/v1.14.1 (linux/amd64) kubernetes/$Format", "velero", "velero", "0.6",
					"list pods all 0.2; get secrets velero 1; create events velero 0.5; list configmaps all 0.1" },
			{ "fluent-bit/v3.1.7 (linux/amd64) kubernetes/$Format", "logging", "fluent-bit", "1",
					"get pods ns 3; watch pods all 0.02" } };

	private static final String[] PEOPLE = { "alice@example.com", "bob@example.com", "carol@example.com",
			"dave@example.com", "erin@example.com", "frank@example.com", "grace@example.com", "heidi@example.com" };

	private static final String[] PLATFORMS = { "linux/amd64", "darwin/arm64", "darwin/amd64", "windows/amd64",
			"linux/arm64" };

	private static final String[] KUBECTL_OPS = {
			"get pods ns 5; list pods ns 4; get deployments.apps ns 2; get pods/log ns 1; "
					+ "get pods/exec ns 0.3; list events ns 1; delete pods ns 0.3; patch deployments.apps ns 0.5",
			"list pods all 2; get nodes - 1; list nodes - 1; get secrets ns 0.5; list configmaps ns 1; "
					+ "update configmaps ns 0.2; watch pods ns 0.1" };

	private static final String[] OPERATOR_OPS = {
			"get configmaps ns 2; update configmaps ns 1; list pods ns 1; watch pods ns 0.05; "
					+ "get leases.coordination.k8s.io ns 2; update leases.coordination.k8s.io ns 2; create events ns 0.5",
			"get deployments.apps ns 2; patch deployments.apps ns 1; list replicasets.apps ns 1; "
					+ "watch deployments.apps all 0.02; get leases.coordination.k8s.io ns 2; update leases.coordination.k8s.io ns 2",
			"get secrets ns 2; create secrets ns 0.3; update secrets ns 0.5; delete secrets ns 0.1; list secrets ns 0.5; "
					+ "watch secrets ns 0.02",
			"create jobs.batch ns 1; get jobs.batch ns 3; delete jobs.batch ns 0.5; list pods ns 1; get pods/log ns 0.3" };

	private static final String[] SCRIPTS = { "Go-http-client/2.0", "Go-http-client/1.1", "python-requests/2.32.3",
			"OpenAPI-Generator/30.1.0/python", "curl/8.5.0", "kube-state-metrics/v2.13.0", "Lens/6.5.2",
			"k9s/v0.32.5 (linux/amd64) kubernetes/$Format", "helm/v3.15.4 (linux/amd64) kubernetes/$Format",
			"kustomize-controller/v1.3.0 (linux/amd64) kubernetes/$Format",
			"source-controller/v1.3.0 (linux/amd64) kubernetes/$Format", "terraform-provider-kubernetes/2.31.0" };

	private final AuditLogModel model;

	private final SplittableRandom random;

	private final List<AuditLogAgent> agents = new ArrayList<>();

	private final List<Double> weights = new ArrayList<>();

	private final int floodAgent;

	private int scriptIndex;

	AuditLogUserAgents(AuditLogModel model, SplittableRandom random) {
		this.model = model;
		this.random = random;
		kubelets();
		controllers();
		controlPlane();
		this.floodAgent = this.agents.size();
		floodingOperator();
		addOns();
		longTail();
	}

	AuditLogAgent[] agents() {
		return this.agents.toArray(AuditLogAgent[]::new);
	}

	/** Per agent, its share of the requests (not yet normalized). */
	double[] weights() {
		return this.weights.stream().mapToDouble(Double::doubleValue).toArray();
	}

	/**
	 * The index of the LIST-flooding operator, whose weight grows during the incident.
	 */
	int floodAgent() {
		return this.floodAgent;
	}

	private void kubelets() {
		Identity[] kubelets = new Identity[this.model.nodeNames.length];
		for (int i = 0; i < kubelets.length; i++) {
			kubelets[i] = identity("system:node:" + AuditLogModel.nodeName(i),
					"[\"system:nodes\",\"system:authenticated\"]", nodeIp(i), "kubelet/" + K8S);
		}
		add(22, new AuditLogAgent("kubelet/" + K8S, kubelets, ops("get leases.coordination.k8s.io kube-node-lease 20; "
				+ "update leases.coordination.k8s.io kube-node-lease 20; patch nodes/status - 6; get nodes - 6; "
				+ "get pods ns 8; patch pods/status ns 10; get configmaps ns 4; get secrets ns 4; "
				+ "watch configmaps ns 1; watch secrets ns 1; watch pods all 0.3; list services all 0.2; "
				+ "create events ns 3"), 1.6, 1.0, "", 1.0));
	}

	private void controllers() {
		for (int i = 0; i < CONTROLLERS.length; i++) {
			String ua = "kube-controller-manager/" + K8S + "/system:serviceaccount:kube-system:" + CONTROLLERS[i];
			add(CONTROLLER_WEIGHTS[i],
					new AuditLogAgent(ua,
							new Identity[] { identity("system:serviceaccount:kube-system:" + CONTROLLERS[i],
									serviceAccountGroups("kube-system"), "10.0.0.10", ua) },
							ops(CONTROLLER_OPS[i]), 4, 0.9,
							"RBAC: allowed by ClusterRoleBinding \"system:controller:" + CONTROLLERS[i]
									+ "\" of ClusterRole \"system:controller:" + CONTROLLERS[i]
									+ "\" to ServiceAccount \"" + CONTROLLERS[i] + "/kube-system\"",
							1.0));
		}
	}

	/** The controller manager's leader election and the scheduler. */
	private void controlPlane() {
		String kcmLeader = "kube-controller-manager/" + K8S + "/leader-election";
		add(2.5, new AuditLogAgent(kcmLeader,
				new Identity[] { identity("system:kube-controller-manager", "[\"system:authenticated\"]", "10.0.0.10",
						kcmLeader) },
				ops("get leases.coordination.k8s.io kube-system 1; update leases.coordination.k8s.io kube-system 1"), 1,
				0.8, "RBAC: allowed by ClusterRoleBinding \"system:kube-controller-manager\" of ClusterRole "
						+ "\"system:kube-controller-manager\" to User \"system:kube-controller-manager\"",
				1.0));
		String scheduler = "kube-scheduler/" + K8S + "/scheduler";
		add(4, new AuditLogAgent(scheduler,
				new Identity[] {
						identity("system:kube-scheduler", "[\"system:authenticated\"]", "10.0.0.10", scheduler) },
				ops("get leases.coordination.k8s.io kube-system 2; "
						+ "update leases.coordination.k8s.io kube-system 2; create events ns 1; patch pods/status ns 0.5; "
						+ "watch pods all 0.02; watch nodes - 0.02"),
				2, 0.8,
				"RBAC: allowed by ClusterRoleBinding \"system:kube-scheduler\" of ClusterRole \"system:kube-scheduler\" "
						+ "to User \"system:kube-scheduler\"",
				1.0));
	}

	/**
	 * The LIST-flooding operator: lists secrets and configmaps of every namespace in a
	 * loop.
	 */
	private void floodingOperator() {
		String backup = "backup-inventory-operator/v0.9.2 (linux/amd64) kubernetes/$Format";
		add(12, new AuditLogAgent(backup,
				new Identity[] { identity("system:serviceaccount:velero:backup-inventory",
						serviceAccountGroups("velero"), "10.244.7.31", backup) },
				ops("list secrets ns 4; list configmaps ns 3; list pods ns 2; list secrets all 0.6; "
						+ "get leases.coordination.k8s.io velero 0.2"),
				14, 2.2, "RBAC: allowed by ClusterRoleBinding \"backup-inventory\" of ClusterRole \"cluster-admin\" to "
						+ "ServiceAccount \"backup-inventory/velero\"",
				6.0));
	}

	private void addOns() {
		for (String[] addOn : ADD_ONS) {
			String ua = addOn[0];
			add(Double.parseDouble(addOn[3]),
					new AuditLogAgent(ua,
							new Identity[] { identity("system:serviceaccount:" + addOn[1] + ":" + addOn[2],
									serviceAccountGroups(addOn[1]), podIp(this.random), ua) },
							ops(addOn[4]), 1 + this.random.nextInt(4), 0.7 + this.random.nextDouble(),
							"RBAC: allowed by ClusterRoleBinding \"" + addOn[2] + "\" of ClusterRole \"" + addOn[2]
									+ "\" to ServiceAccount \"" + addOn[2] + "/" + addOn[1] + "\"",
							1.0));
		}
	}

	/** The long tail: operators, people with kubectl, scripts; Zipf-like weights. */
	private void longTail() {
		int rank = 0;
		while (this.agents.size() < USER_AGENTS) {
			rank++;
			double weight = 2.0 / Math.pow(rank, 1.05);
			int kind = rank % 3;
			TailClient client = tailClient(rank, kind);
			if (this.agents.stream().anyMatch((a) -> a.userAgent.equals(client.userAgent()))) {
				continue;
			}
			add(weight,
					new AuditLogAgent(client.userAgent(), new Identity[] { client.identity() }, client.ops(),
							1 + this.random.nextInt(3), 0.6 + 1.4 * this.random.nextDouble(), client.reason(),
							(kind == 0) ? 2.0 : 1.0));
		}
	}

	/** One client of the long tail before its burst size and latency are drawn. */
	private record TailClient(String userAgent, Identity identity, List<Op> ops, String reason) {
	}

	private TailClient tailClient(int rank, int kind) {
		if (this.scriptIndex < SCRIPTS.length && rank % 5 == 0) {
			return script(SCRIPTS[this.scriptIndex++], rank);
		}
		return (kind == 0) ? person() : operator(rank);
	}

	private TailClient script(String ua, int rank) {
		String ns = NAMESPACES[this.random.nextInt(NAMESPACES.length)];
		Identity identity = identity("system:serviceaccount:" + ns + ":automation-" + rank, serviceAccountGroups(ns),
				podIp(this.random), ua);
		List<Op> ops = ops(OPERATOR_OPS[this.random.nextInt(OPERATOR_OPS.length)]);
		return new TailClient(ua, identity, ops,
				"RBAC: allowed by RoleBinding \"automation\" of Role \"automation\" to ServiceAccount \"automation-"
						+ rank + "/" + ns + "\"");
	}

	private TailClient person() {
		String person = PEOPLE[this.random.nextInt(PEOPLE.length)];
		String ua = "kubectl/v1." + (26 + this.random.nextInt(6)) + "." + this.random.nextInt(12) + " ("
				+ PLATFORMS[this.random.nextInt(PLATFORMS.length)] + ") kubernetes/" + hex(this.random, 7);
		Identity identity = identity(person, "[\"oidc:platform-team\",\"system:authenticated\"]",
				"203.0.113." + (1 + this.random.nextInt(250)), ua);
		List<Op> ops = ops(KUBECTL_OPS[this.random.nextInt(KUBECTL_OPS.length)]);
		return new TailClient(ua, identity, ops,
				"RBAC: allowed by ClusterRoleBinding \"platform-team\" of ClusterRole \"edit\" to Group \"oidc:platform-team\"");
	}

	private TailClient operator(int rank) {
		String ns = NAMESPACES[this.random.nextInt(NAMESPACES.length)];
		String name = APPS[this.random.nextInt(APPS.length)] + "-operator";
		String ua = name + "/v0." + this.random.nextInt(20) + "." + this.random.nextInt(10)
				+ " (linux/amd64) kubernetes/$Format";
		if (rank % 7 == 0) {
			ua = "team-" + (char) ('a' + rank % 26) + "-" + ua;
		}
		Identity identity = identity("system:serviceaccount:" + ns + ":" + name, serviceAccountGroups(ns),
				podIp(this.random), ua);
		List<Op> ops = ops(OPERATOR_OPS[this.random.nextInt(OPERATOR_OPS.length)]);
		return new TailClient(ua, identity, ops, "RBAC: allowed by RoleBinding \"" + name + "\" of Role \"" + name
				+ "\" to ServiceAccount \"" + name + "/" + ns + "\"");
	}

	private void add(double weight, AuditLogAgent agent) {
		this.agents.add(agent);
		this.weights.add(weight);
	}

	private List<Op> ops(String spec) {
		return this.model.ops(spec);
	}

	private static Identity identity(String username, String groupsJson, String ip, String userAgent) {
		return new Identity(ascii("\"user\":{\"username\":\"" + username + "\",\"groups\":" + groupsJson
				+ "},\"sourceIPs\":[\"" + ip + "\"],\"userAgent\":\"" + userAgent + "\""));
	}

	private static String serviceAccountGroups(String namespace) {
		return "[\"system:serviceaccounts\",\"system:serviceaccounts:" + namespace + "\",\"system:authenticated\"]";
	}

	private static String nodeIp(int i) {
		return "10.0." + (10 + i / 8) + "." + (20 + i * 7 % 200);
	}

	private static String podIp(SplittableRandom random) {
		return "10.244." + random.nextInt(40) + "." + (2 + random.nextInt(250));
	}

	private static String hex(SplittableRandom random, int length) {
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append("0123456789abcdef".charAt(random.nextInt(16)));
		}
		return sb.toString();
	}

}
