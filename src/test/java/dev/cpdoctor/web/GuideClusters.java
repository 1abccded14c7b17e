package dev.cpdoctor.web;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.test.context.DynamicPropertyRegistry;

import static dev.cpdoctor.web.AuditRequest.traffic;
import static dev.cpdoctor.web.KubeModels.backOff;
import static dev.cpdoctor.web.KubeModels.failedWebhookCall;
import static dev.cpdoctor.web.KubeModels.flowSchema;
import static dev.cpdoctor.web.KubeModels.mutating;
import static dev.cpdoctor.web.KubeModels.mutatingWebhook;
import static dev.cpdoctor.web.KubeModels.validating;
import static dev.cpdoctor.web.KubeModels.validatingWebhook;

/**
 * The clusters of {@link GuideAgainstApiserversTests}, one per scenario so the caches of
 * one never answer for another: what each one's stand-in apiserver serves, the audit data
 * each gets, and how the application's configuration names them.
 */
final class GuideClusters {

	/**
	 * A Deployment's controller that LISTs all pods in a loop, without informer or limit:
	 * cause 3.
	 */
	static final String FLOODER = "inventory-controller/v0.4.1 (linux/amd64) kubernetes/1a2b3c4"
			+ "/system:serviceaccount:acme:inventory-controller";

	static final String AKS_FLOODER = "report-exporter/1.8.2 (linux/amd64) kubernetes/9f8e7d6"
			+ "/system:serviceaccount:monitoring:report-exporter";

	static final String LEAKED = "ephemeralreports.reports.kyverno.io";

	static final long LEAKED_COUNT = 48_213;

	static final String KYVERNO_CONFIGURATION = "kyverno-resource-mutating-webhook-cfg";

	static final String KYVERNO_WEBHOOK = "mutate.kyverno.svc-fail";

	static final String GUARD = "aks-managed-apiserver-guard";

	/**
	 * One cluster per scenario, each its own path prefix on the stand-in apiserver. Audit
	 * data: the webhook for all but aks (its audit log file) and leak (none).
	 */
	static final List<String> CLUSTERS = List.of("healthy", "webhook", "leak", "flood", "aks", "etcdfail", "slow",
			"broken");

	static final Instant NOW = Instant.now();

	private GuideClusters() {
	}

	static String token(String cluster) {
		return "audit-" + cluster + "-6b1d";
	}

	/**
	 * The application's start-up configuration: the clusters, one per scenario, each
	 * through its own context of the kubeconfig; its audit data comes through the webhook
	 * for all but aks (its audit log file) and leak (none).
	 */
	static void register(DynamicPropertyRegistry registry, Path kubeconfig, Path auditLog) {
		registry.add("cpdoctor.kubeconfig.path", kubeconfig::toString);
		// Probes of the slow cluster wait out this; every other answer comes at once.
		registry.add("cpdoctor.apiserver.timeout", () -> "2s");
		// The test scrapes each cluster once itself, so the samples do not depend on a
		// timer.
		registry.add("cpdoctor.apiserver.initial-delay", () -> "1h");
		registry.add("cpdoctor.audit.poll-interval", () -> "200ms");
		for (int i = 0; i < CLUSTERS.size(); i++) {
			String name = CLUSTERS.get(i);
			registry.add("cpdoctor.clusters[" + i + "].name", () -> name);
			registry.add("cpdoctor.clusters[" + i + "].provider", () -> name.equals("aks") ? "aks" : "self-managed");
			registry.add("cpdoctor.clusters[" + i + "].context", () -> name);
			if (name.equals("aks")) {
				registry.add("cpdoctor.clusters[" + i + "].audit.log-path", auditLog::toString);
			}
			else if (!name.equals("leak")) {
				registry.add("cpdoctor.clusters[" + i + "].audit.webhook-token", () -> token(name));
			}
		}
	}

	/**
	 * What every cluster serves unless its scenario says otherwise: a healthy v1.30
	 * apiserver.
	 */
	private static StubApiserver healthy(StubApiservers apiservers, String name) {
		return apiservers.cluster(name)
			.version()
			.metrics(StubApiservers.metrics())
			.healthyProbes()
			.flowcontrolVersions("v1", "v1beta3")
			.flowSchemas("v1", flowSchema("exempt", 1, "exempt"),
					flowSchema("system-leader-election", 100, "leader-election"),
					flowSchema("kube-system-service-accounts", 900, "workload-high"),
					flowSchema("global-default", 9900, "global-default"))
			.kubeSystem()
			.validatingWebhooks(validating("gatekeeper-validating-webhook-configuration",
					validatingWebhook("validation.gatekeeper.sh", "Ignore", "gatekeeper-system",
							"gatekeeper-webhook-service", true, 3)))
			.mutatingWebhooks(mutating("cert-manager-webhook",
					mutatingWebhook("webhook.cert-manager.io", "Fail", "cert-manager", "cert-manager-webhook", true,
							10)))
			.endpointSlices("gatekeeper-system", "gatekeeper-webhook-service", 3)
			.endpointSlices("cert-manager", "cert-manager-webhook", 2)
			.events(backOff("shop", "checkout-7d9c6b5f4-x2v8q", NOW.minusSeconds(300)));
	}

	/**
	 * What each cluster's apiserver answers: a healthy v1.30 apiserver but for what its
	 * scenario changes.
	 */
	static void stub(StubApiservers apiservers) {
		for (String name : CLUSTERS) {
			healthy(apiservers, name);
		}
		// 2: Kyverno's mutating webhook fails closed, reaches into kube-system and has no
		// ready pod.
		apiservers.cluster("webhook")
			.mutatingWebhooks(
					mutating("cert-manager-webhook",
							mutatingWebhook("webhook.cert-manager.io", "Fail", "cert-manager", "cert-manager-webhook",
									true, 10)),
					mutating(KYVERNO_CONFIGURATION,
							mutatingWebhook(KYVERNO_WEBHOOK, "Fail", "kyverno", "kyverno-svc", false, 10)))
			.endpointSlices("kyverno", "kyverno-svc", 0)
			.events(backOff("shop", "checkout-7d9c6b5f4-x2v8q", NOW.minusSeconds(300)), failedWebhookCall("kyverno",
					"kyverno-admission-controller-6d8f9c7b5d",
					"Error creating: Internal error occurred: failed calling webhook \"" + KYVERNO_WEBHOOK
							+ "\": failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/mutate/fail"
							+ "?timeout=10s\": write tcp 10.244.0.1:51234->10.96.120.7:443: write: broken pipe",
					17, NOW.minusSeconds(60)));
		// 3: a leaked custom resource.
		apiservers.cluster("leak").metrics(StubApiservers.metricsWithObjects(LEAKED, LEAKED_COUNT));
		// 4: a cluster serving flowcontrol only in v1beta3.
		apiservers.cluster("flood")
			.flowcontrolVersions("v1beta3")
			.flowSchemas("v1beta3", flowSchema("exempt", 1, "exempt"),
					flowSchema("global-default", 9900, "global-default"));
		// 4 on AKS: the guard AKS adds when LIST calls overwhelm the apiserver.
		apiservers.cluster("aks")
			.flowSchemas("v1", flowSchema("exempt", 1, "exempt"), flowSchema(GUARD, 300, GUARD),
					flowSchema("global-default", 9900, "global-default"));
		// 5: etcd fails the apiserver's readiness; and an apiserver that answers its
		// probes too late.
		apiservers.cluster("etcdfail").probe("/readyz", 500, "etcd", 0).probe("/livez", 500, "etcd", 0);
		apiservers.cluster("slow").probe("/readyz", 200, null, 5_000).probe("/livez", 200, null, 5_000);
		// 6: no RBAC for the webhook configurations, and the events fail.
		apiservers.cluster("broken")
			.fails(StubApiserver.ADMISSION + "validatingwebhookconfigurations", 403, "Forbidden",
					"validatingwebhookconfigurations.admissionregistration.k8s.io is forbidden: User \"doctor\" cannot"
							+ " list resource \"validatingwebhookconfigurations\" in API group"
							+ " \"admissionregistration.k8s.io\" at the cluster scope")
			.fails("/api/v1/events", 500, "InternalError", "etcdserver: request timed out");
	}

	/** An ordinary quarter hour of a cluster: busy, fast clients, none LISTing much. */
	static List<AuditRequest> ordinary() {
		Instant start = NOW.minus(Duration.ofMinutes(20));
		Duration spread = Duration.ofMinutes(15);
		List<AuditRequest> requests = new ArrayList<>();
		requests.addAll(traffic("kubelet/v1.30.0 (linux/amd64) kubernetes/7c48c2b", "system:node:node-1", "get",
				"nodes", "", 300, start, spread, 2, 40));
		requests.addAll(traffic("kube-controller-manager/v1.30.0 (linux/amd64) kubernetes/7c48c2b/leader-election",
				"system:kube-controller-manager", "update", "leases", "coordination.k8s.io", 200, start, spread, 3,
				30));
		requests.addAll(traffic("kube-scheduler/v1.30.0 (linux/amd64) kubernetes/7c48c2b/scheduler",
				"system:kube-scheduler", "list", "pods", "", 60, start, spread, 5, 80));
		requests.addAll(traffic("argocd-application-controller/v2.11.0",
				"system:serviceaccount:argocd:argocd-application-controller", "list", "configmaps", "", 150, start,
				spread, 10, 300));
		return requests;
	}

	static List<AuditRequest> flood(String userAgent, String username, String resource) {
		List<AuditRequest> requests = new ArrayList<>(ordinary());
		requests.addAll(traffic(userAgent, username, "list", resource, "", 600, NOW.minus(Duration.ofMinutes(20)),
				Duration.ofMinutes(15), 800, 4_000));
		return requests;
	}

	static List<AuditRequest> aksAudit() {
		return flood(AKS_FLOODER, "system:serviceaccount:monitoring:report-exporter", "secrets");
	}

	/** The audit data each cluster's webhook gets (aks reads a log file, leak none). */
	static Map<String, List<AuditRequest>> webhookAudit() {
		return Map.of("healthy", ordinary(), "webhook", ordinary(), "flood",
				flood(FLOODER, "system:serviceaccount:acme:inventory-controller", "pods"), "etcdfail", ordinary(),
				"slow", ordinary(), "broken", ordinary());
	}

}
