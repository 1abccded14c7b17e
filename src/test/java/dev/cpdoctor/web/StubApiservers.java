package dev.cpdoctor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointConditions;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaList;
import io.kubernetes.client.openapi.models.V1FlowSchemaSpec;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationReference;
import io.kubernetes.client.openapi.models.V1RuleWithOperations;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.VersionInfo;

import dev.cpdoctor.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Stand-in apiservers for whole-app tests of the guide: one WireMock server, one path
 * prefix per cluster, every JSON body a model of the Kubernetes Java client serialized by
 * the client's own {@link JSON} (so the bodies have the shape the client reads), /metrics
 * the recorded v1.30 scrape of ../shared (optionally with one object count rewritten),
 * and the kubeconfig pointing at it.
 */
final class StubApiservers implements AutoCloseable {

	static final String TOKEN = "guide-token-4c1e";

	static final String ADMISSION = "/apis/admissionregistration.k8s.io/v1/";

	static final String FLOWCONTROL = "/apis/flowcontrol.apiserver.k8s.io";

	/** A LIST in the journal: a GET of a collection the guide reads. */
	private static final Pattern LIST = Pattern.compile(
			".*/(validatingwebhookconfigurations|mutatingwebhookconfigurations|endpointslices|events|flowschemas)");

	/**
	 * What kube-apiserver v1.30 answers to /readyz?verbose (its checks, in its order).
	 */
	private static final List<String> READYZ_CHECKS = List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync",
			"poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers",
			"poststarthook/priority-and-fairness-config-consumer", "poststarthook/start-apiextensions-controllers",
			"poststarthook/crd-informer-synced", "poststarthook/rbac/bootstrap-roles",
			"poststarthook/apiservice-registration-controller", "shutdown");

	private static final List<String> LIVEZ_CHECKS = List.of("ping", "log", "etcd",
			"poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers",
			"poststarthook/priority-and-fairness-config-consumer", "poststarthook/rbac/bootstrap-roles");

	private final WireMockServer server;

	StubApiservers() {
		this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.server.start();
	}

	WireMockServer server() {
		return this.server;
	}

	/**
	 * A kubeconfig with one cluster and context per name, each at its own path prefix,
	 * one token user.
	 */
	Path kubeconfig(Path dir, List<String> clusters) throws IOException {
		StringBuilder kubeconfig = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
		clusters.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  cluster:\n    server: http://127.0.0.1:")
			.append(this.server.port())
			.append('/')
			.append(c)
			.append('\n'));
		kubeconfig.append("contexts:\n");
		clusters.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  context:\n    cluster: ")
			.append(c)
			.append("\n    user: doctor\n"));
		kubeconfig.append("current-context: ").append(clusters.get(0)).append('\n');
		kubeconfig.append("users:\n- name: doctor\n  user:\n    token: ").append(TOKEN).append('\n');
		return Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
	}

	/** The stubs of one cluster's apiserver, at path prefix /name. */
	Apiserver cluster(String name) {
		return new Apiserver(name);
	}

	/** Every LIST the app sent to one cluster's apiserver. */
	List<LoggedRequest> lists(String cluster) {
		return this.server.findAll(anyRequestedFor(urlPathMatching("/" + cluster + "/.*")))
			.stream()
			.filter((r) -> r.getMethod().getName().equals("GET") && LIST.matcher(r.getUrl().split("\\?")[0]).matches())
			.toList();
	}

	/** Every request the app sent to the stand-in apiservers. */
	List<LoggedRequest> requests() {
		return this.server.findAll(anyRequestedFor(urlPathMatching("/.*")));
	}

	@Override
	public void close() {
		this.server.stop();
	}

	/** The recorded v1.30 /metrics scrape, as served. */
	static String metrics() {
		try {
			return Files.readString(Fixtures.path("apiserver-metrics/apiserver-v1.30.prom"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The recorded scrape with one resource's apiserver_storage_objects set to count (a
	 * line added after the family's TYPE line when the resource is not in the recording,
	 * as a CRD adds one).
	 */
	static String metricsWithObjects(String resource, long count) {
		String scrape = metrics();
		String series = "apiserver_storage_objects{resource=\"" + resource + "\"}";
		String line = series + " " + count;
		if (scrape.contains(series + " ")) {
			return scrape.replaceAll(Pattern.quote(series) + " [^\\n]+", line);
		}
		String type = "# TYPE apiserver_storage_objects gauge\n";
		if (!scrape.contains(type)) {
			throw new IllegalStateException("the recording has no apiserver_storage_objects family");
		}
		return scrape.replace(type, type + line + "\n");
	}

	static String serialize(Object model) {
		return JSON.serialize(model);
	}

	// ---------------------------------------------------------------- models

	static V1ValidatingWebhookConfiguration validating(String configuration, V1ValidatingWebhook... webhooks) {
		return new V1ValidatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("ValidatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(configuration))
			.webhooks(List.of(webhooks));
	}

	static V1MutatingWebhookConfiguration mutating(String configuration, V1MutatingWebhook... webhooks) {
		return new V1MutatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("MutatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(configuration))
			.webhooks(List.of(webhooks));
	}

	/**
	 * A validating webhook calling a service.
	 * @param excludeKubeSystem whether its namespaceSelector leaves kube-system out (by
	 * its name label)
	 */
	static V1ValidatingWebhook validatingWebhook(String name, String failurePolicy, String namespace, String service,
			boolean excludeKubeSystem, int timeoutSeconds) {
		return new V1ValidatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(service(namespace, service))
			.namespaceSelector(excludeKubeSystem ? notKubeSystem() : null)
			.rules(List.of(rule()))
			.sideEffects("None")
			.timeoutSeconds(timeoutSeconds)
			.admissionReviewVersions(List.of("v1"));
	}

	static V1MutatingWebhook mutatingWebhook(String name, String failurePolicy, String namespace, String service,
			boolean excludeKubeSystem, int timeoutSeconds) {
		return new V1MutatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(service(namespace, service))
			.namespaceSelector(excludeKubeSystem ? notKubeSystem() : null)
			.rules(List.of(rule()))
			.sideEffects("NoneOnDryRun")
			.timeoutSeconds(timeoutSeconds)
			.reinvocationPolicy("Never")
			.admissionReviewVersions(List.of("v1"));
	}

	private static AdmissionregistrationV1WebhookClientConfig service(String namespace, String name) {
		return new AdmissionregistrationV1WebhookClientConfig()
			.service(new AdmissionregistrationV1ServiceReference().namespace(namespace).name(name).port(443));
	}

	private static V1LabelSelector notKubeSystem() {
		return new V1LabelSelector()
			.matchExpressions(List.of(new V1LabelSelectorRequirement().key("kubernetes.io/metadata.name")
				.operator("NotIn")
				.values(List.of("kube-system"))));
	}

	private static V1RuleWithOperations rule() {
		return new V1RuleWithOperations().apiGroups(List.of("*"))
			.apiVersions(List.of("*"))
			.operations(List.of("CREATE", "UPDATE"))
			.resources(List.of("*/*"))
			.scope("*");
	}

	/**
	 * A Warning event as the ReplicaSet controller writes it when a webhook call fails.
	 */
	static CoreV1Event failedWebhookCall(String namespace, String replicaSet, String message, int count, Instant last) {
		OffsetDateTime at = last.atOffset(ZoneOffset.UTC);
		return new CoreV1Event().apiVersion("v1")
			.kind("Event")
			.metadata(new V1ObjectMeta().name(replicaSet + ".17f9a3c2b1d0e4f5")
				.namespace(namespace)
				.creationTimestamp(at.minusMinutes(30)))
			.involvedObject(new V1ObjectReference().apiVersion("apps/v1")
				.kind("ReplicaSet")
				.name(replicaSet)
				.namespace(namespace))
			.reason("FailedCreate")
			.message(message)
			.type("Warning")
			.count(count)
			.firstTimestamp(at.minusMinutes(30))
			.lastTimestamp(at)
			.source(new V1EventSource().component("replicaset-controller"));
	}

	/**
	 * Another Warning event, not about a webhook: the list is not only what the check
	 * looks for.
	 */
	static CoreV1Event backOff(String namespace, String pod, Instant last) {
		OffsetDateTime at = last.atOffset(ZoneOffset.UTC);
		return new CoreV1Event().apiVersion("v1")
			.kind("Event")
			.metadata(new V1ObjectMeta().name(pod + ".17f9a3c2b1d0aaaa").namespace(namespace).creationTimestamp(at))
			.involvedObject(new V1ObjectReference().apiVersion("v1").kind("Pod").name(pod).namespace(namespace))
			.reason("BackOff")
			.message("Back-off restarting failed container app in pod " + pod)
			.type("Warning")
			.count(4)
			.lastTimestamp(at)
			.source(new V1EventSource().component("kubelet"));
	}

	static V1FlowSchema flowSchema(String name, int precedence, String priorityLevel) {
		return new V1FlowSchema().kind("FlowSchema")
			.metadata(new V1ObjectMeta().name(name))
			.spec(new V1FlowSchemaSpec().matchingPrecedence(precedence)
				.priorityLevelConfiguration(new V1PriorityLevelConfigurationReference().name(priorityLevel)));
	}

	// ---------------------------------------------------------------- audit events

	/**
	 * One request as the apiserver's audit backends record it (stage ResponseComplete).
	 */
	record AuditRequest(String userAgent, String username, String verb, String resource, String apiGroup,
			Instant received, double latencyMs) {

		String json() {
			String group = this.apiGroup.isEmpty() ? "/api/v1" : "/apis/" + this.apiGroup + "/v1";
			String uri = group + ("list".equals(this.verb) ? "/" + this.resource + "?limit=500"
					: "/namespaces/acme/" + this.resource + "/item-1");
			Instant completed = this.received.plusNanos(Math.round(this.latencyMs * 1_000_000));
			String id = UUID
				.nameUUIDFromBytes((this.userAgent + this.verb + this.received).getBytes(StandardCharsets.UTF_8))
				.toString();
			return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + id
					+ "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"" + uri + "\",\"verb\":\"" + this.verb
					+ "\",\"user\":{\"username\":\"" + this.username + "\",\"groups\":[\"system:authenticated\"]},"
					+ "\"sourceIPs\":[\"10.224.0.17\"],\"userAgent\":\"" + this.userAgent
					+ "\",\"objectRef\":{\"resource\":\"" + this.resource + "\","
					+ ("list".equals(this.verb) ? "" : "\"namespace\":\"acme\",\"name\":\"item-1\",")
					+ "\"apiGroup\":\"" + this.apiGroup
					+ "\",\"apiVersion\":\"v1\"},\"responseStatus\":{\"metadata\":{},\"code\":200},"
					+ "\"requestReceivedTimestamp\":\"" + this.received + "\",\"stageTimestamp\":\"" + completed
					+ "\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}";
		}

	}

	/**
	 * count requests of one client spread evenly over spread from start, latencies evenly
	 * from minMs to maxMs (so the P99 is known: just under maxMs).
	 */
	static List<AuditRequest> traffic(String userAgent, String username, String verb, String resource, String apiGroup,
			int count, Instant start, Duration spread, double minMs, double maxMs) {
		List<AuditRequest> requests = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			double latency = (count == 1) ? maxMs : minMs + (maxMs - minMs) * i / (count - 1);
			requests.add(new AuditRequest(userAgent, username, verb, resource, apiGroup,
					start.plusMillis(spread.toMillis() * i / count), Math.round(latency * 1000) / 1000.0));
		}
		return requests;
	}

	/** An audit.k8s.io/v1 EventList, as the webhook backend POSTs a batch. */
	static String eventList(List<AuditRequest> requests) {
		return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
				+ String.join(",", requests.stream().map(AuditRequest::json).toList()) + "]}";
	}

	/** JSON lines, as the log backend writes --audit-log-path. */
	static String jsonLines(List<AuditRequest> requests) {
		StringBuilder lines = new StringBuilder();
		requests.forEach((r) -> lines.append(r.json()).append('\n'));
		return lines.toString();
	}

	/** The stubs of one cluster's apiserver. */
	final class Apiserver {

		private final String prefix;

		private Apiserver(String name) {
			this.prefix = "/" + name;
		}

		private void json(String path, int status, String body) {
			StubApiservers.this.server.stubFor(get(urlPathEqualTo(this.prefix + path)).willReturn(
					aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
		}

		/** A Status answer, as the apiserver fails a call. */
		Apiserver fails(String path, int status, String reason, String message) {
			json(path, status,
					serialize(new V1Status().apiVersion("v1")
						.kind("Status")
						.status("Failure")
						.reason(reason)
						.message(message)
						.code(status)));
			return this;
		}

		/**
		 * /version (the client asks /version/) of a v1.30.0 apiserver, the release of the
		 * /metrics recording.
		 */
		Apiserver version() {
			StubApiservers.this.server
				.stubFor(get(urlPathMatching(this.prefix + "/version/?")).willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(serialize(new VersionInfo().major("1")
						.minor("30")
						.gitVersion("v1.30.0")
						.gitCommit("7c48c2bd72b9bf5c44d21d7338cc7bea77d0ad2a")
						.gitTreeState("clean")
						.buildDate("2024-04-17T17:27:03Z")
						.goVersion("go1.22.2")
						.compiler("gc")
						.platform("linux/arm64")))));
			return this;
		}

		Apiserver metrics(String body) {
			StubApiservers.this.server
				.stubFor(get(urlPathEqualTo(this.prefix + "/metrics")).willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
					.withBody(body)));
			return this;
		}

		/** /readyz?verbose and /livez?verbose passing every check. */
		Apiserver healthyProbes() {
			return probe("/readyz", 200, null, 0).probe("/livez", 200, null, 0);
		}

		/**
		 * One probe's verbose answer: with failing null every check passes (200), else
		 * that check is [-] and the answer is 500, as kube-apiserver answers; delayed by
		 * delayMillis.
		 */
		Apiserver probe(String path, int status, String failing, int delayMillis) {
			String name = path.substring(1);
			StringBuilder body = new StringBuilder();
			for (String check : path.equals("/readyz") ? READYZ_CHECKS : LIVEZ_CHECKS) {
				body.append(
						check.equals(failing) ? "[-]" + check + " failed: reason withheld\n" : "[+]" + check + " ok\n");
			}
			body.append(name).append((failing != null) ? " check failed\n" : " check passed\n");
			StubApiservers.this.server
				.stubFor(get(urlPathEqualTo(this.prefix + path)).willReturn(aResponse().withStatus(status)
					.withHeader("Content-Type", "text/plain; charset=utf-8")
					.withHeader("X-Content-Type-Options", "nosniff")
					.withBody(body.toString())
					.withFixedDelay(delayMillis)));
			return this;
		}

		/**
		 * API discovery of the flowcontrol group serving exactly these versions, newest
		 * first.
		 */
		Apiserver flowcontrolVersions(String... versions) {
			List<V1GroupVersionForDiscovery> served = new ArrayList<>();
			for (String version : versions) {
				served.add(new V1GroupVersionForDiscovery().groupVersion("flowcontrol.apiserver.k8s.io/" + version)
					.version(version));
			}
			StubApiservers.this.server
				.stubFor(get(urlPathMatching(this.prefix + FLOWCONTROL + "/?")).willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody(serialize(new V1APIGroup().apiVersion("v1")
						.kind("APIGroup")
						.name("flowcontrol.apiserver.k8s.io")
						.versions(served)
						.preferredVersion(served.get(0))))));
			return this;
		}

		/** The FlowSchemas LIST in one version, one page. */
		Apiserver flowSchemas(String version, V1FlowSchema... schemas) {
			List<V1FlowSchema> items = new ArrayList<>();
			for (V1FlowSchema schema : schemas) {
				items.add(schema.apiVersion("flowcontrol.apiserver.k8s.io/" + version));
			}
			json(FLOWCONTROL + "/" + version + "/flowschemas", 200,
					serialize(new V1FlowSchemaList().apiVersion("flowcontrol.apiserver.k8s.io/" + version)
						.kind("FlowSchemaList")
						.metadata(new V1ListMeta().resourceVersion("48213"))
						.items(items)));
			return this;
		}

		Apiserver validatingWebhooks(V1ValidatingWebhookConfiguration... configurations) {
			json(ADMISSION + "validatingwebhookconfigurations", 200,
					serialize(new V1ValidatingWebhookConfigurationList().apiVersion("admissionregistration.k8s.io/v1")
						.kind("ValidatingWebhookConfigurationList")
						.metadata(new V1ListMeta().resourceVersion("1234"))
						.items(List.of(configurations))));
			return this;
		}

		Apiserver mutatingWebhooks(V1MutatingWebhookConfiguration... configurations) {
			json(ADMISSION + "mutatingwebhookconfigurations", 200,
					serialize(new V1MutatingWebhookConfigurationList().apiVersion("admissionregistration.k8s.io/v1")
						.kind("MutatingWebhookConfigurationList")
						.metadata(new V1ListMeta().resourceVersion("1234"))
						.items(List.of(configurations))));
			return this;
		}

		/** kube-system with the labels a kubeadm cluster gives it. */
		Apiserver kubeSystem() {
			json("/api/v1/namespaces/kube-system", 200,
					serialize(new V1Namespace().apiVersion("v1")
						.kind("Namespace")
						.metadata(new V1ObjectMeta().name("kube-system")
							.labels(Map.of("kubernetes.io/metadata.name", "kube-system")))));
			return this;
		}

		/**
		 * The EndpointSlices of a service: one IPv4 slice with this many ready and one
		 * not-ready endpoint.
		 */
		Apiserver endpointSlices(String namespace, String service, int ready) {
			List<V1Endpoint> endpoints = new ArrayList<>();
			for (int i = 0; i < ready; i++) {
				endpoints.add(new V1Endpoint().addresses(List.of("10.244.1." + (10 + i)))
					.conditions(new V1EndpointConditions().ready(true).serving(true).terminating(false)));
			}
			endpoints.add(new V1Endpoint().addresses(List.of("10.244.2.99"))
				.conditions(new V1EndpointConditions().ready(false).serving(false).terminating(false)));
			json("/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices", 200,
					serialize(new V1EndpointSliceList().apiVersion("discovery.k8s.io/v1")
						.kind("EndpointSliceList")
						.metadata(new V1ListMeta().resourceVersion("1234"))
						.items(List.of(new V1EndpointSlice().apiVersion("discovery.k8s.io/v1")
							.kind("EndpointSlice")
							.metadata(new V1ObjectMeta().name(service + "-x7k2p")
								.namespace(namespace)
								.labels(Map.of("kubernetes.io/service-name", service)))
							.addressType("IPv4")
							.endpoints(endpoints)))));
			return this;
		}

		/** The Warning events of all namespaces, one page. */
		Apiserver events(CoreV1Event... events) {
			json("/api/v1/events", 200,
					serialize(new CoreV1EventList().apiVersion("v1")
						.kind("EventList")
						.metadata(new V1ListMeta().resourceVersion("1234"))
						.items(List.of(events))));
			return this;
		}

	}

}
