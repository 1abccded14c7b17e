package dev.cpdoctor.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1APIGroup;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointConditions;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaList;
import io.kubernetes.client.openapi.models.V1GroupVersionForDiscovery;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;

import dev.cpdoctor.ApiserverAnswers;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

/**
 * The stubs of one cluster's stand-in apiserver, at its path prefix (/name) on the shared
 * server of {@link StubApiservers}; every JSON body a model of the Kubernetes client,
 * answered as {@link ApiserverAnswers} do.
 */
final class StubApiserver {

	static final String ADMISSION = "/apis/admissionregistration.k8s.io/v1/";

	static final String FLOWCONTROL = "/apis/flowcontrol.apiserver.k8s.io";

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

	private final String prefix;

	StubApiserver(WireMockServer server, String name) {
		this.server = server;
		this.prefix = "/" + name;
	}

	/** The model as the 200 answer to a GET of the path. */
	private void serve(String path, Object model) {
		this.server.stubFor(get(urlPathEqualTo(this.prefix + path)).willReturn(ApiserverAnswers.model(model)));
	}

	/** A Status answer, as the apiserver fails a call. */
	StubApiserver fails(String path, int status, String reason, String message) {
		this.server.stubFor(
				get(urlPathEqualTo(this.prefix + path)).willReturn(ApiserverAnswers.failure(status, reason, message)));
		return this;
	}

	/**
	 * /version (the client asks /version/) of a v1.30.0 apiserver, the release of the
	 * /metrics recording.
	 */
	StubApiserver version() {
		this.server.stubFor(get(urlPathMatching(this.prefix + "/version/?")).willReturn(ApiserverAnswers.version()));
		return this;
	}

	StubApiserver metrics(String body) {
		this.server.stubFor(get(urlPathEqualTo(this.prefix + "/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			.withBody(body)));
		return this;
	}

	/** /readyz?verbose and /livez?verbose passing every check. */
	StubApiserver healthyProbes() {
		return probe("/readyz", 200, null, 0).probe("/livez", 200, null, 0);
	}

	/**
	 * One probe's verbose answer: with failing null every check passes (200), else that
	 * check is [-] and the answer is 500, as kube-apiserver answers; delayed by
	 * delayMillis.
	 */
	StubApiserver probe(String path, int status, String failing, int delayMillis) {
		String name = path.substring(1);
		StringBuilder body = new StringBuilder();
		for (String check : path.equals("/readyz") ? READYZ_CHECKS : LIVEZ_CHECKS) {
			body.append(check.equals(failing) ? "[-]" + check + " failed: reason withheld\n" : "[+]" + check + " ok\n");
		}
		body.append(name).append((failing != null) ? " check failed\n" : " check passed\n");
		this.server.stubFor(get(urlPathEqualTo(this.prefix + path)).willReturn(aResponse().withStatus(status)
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
	StubApiserver flowcontrolVersions(String... versions) {
		List<V1GroupVersionForDiscovery> served = new ArrayList<>();
		for (String version : versions) {
			served.add(new V1GroupVersionForDiscovery().groupVersion("flowcontrol.apiserver.k8s.io/" + version)
				.version(version));
		}
		this.server.stubFor(get(urlPathMatching(this.prefix + FLOWCONTROL + "/?"))
			.willReturn(ApiserverAnswers.model(new V1APIGroup().apiVersion("v1")
				.kind("APIGroup")
				.name("flowcontrol.apiserver.k8s.io")
				.versions(served)
				.preferredVersion(served.get(0)))));
		return this;
	}

	/** The FlowSchemas LIST in one version, one page. */
	StubApiserver flowSchemas(String version, V1FlowSchema... schemas) {
		List<V1FlowSchema> items = new ArrayList<>();
		for (V1FlowSchema schema : schemas) {
			items.add(schema.apiVersion("flowcontrol.apiserver.k8s.io/" + version));
		}
		serve(FLOWCONTROL + "/" + version + "/flowschemas",
				new V1FlowSchemaList().apiVersion("flowcontrol.apiserver.k8s.io/" + version)
					.kind("FlowSchemaList")
					.metadata(new V1ListMeta().resourceVersion("48213"))
					.items(items));
		return this;
	}

	StubApiserver validatingWebhooks(V1ValidatingWebhookConfiguration... configurations) {
		serve(ADMISSION + "validatingwebhookconfigurations",
				new V1ValidatingWebhookConfigurationList().apiVersion("admissionregistration.k8s.io/v1")
					.kind("ValidatingWebhookConfigurationList")
					.metadata(new V1ListMeta().resourceVersion("1234"))
					.items(List.of(configurations)));
		return this;
	}

	StubApiserver mutatingWebhooks(V1MutatingWebhookConfiguration... configurations) {
		serve(ADMISSION + "mutatingwebhookconfigurations",
				new V1MutatingWebhookConfigurationList().apiVersion("admissionregistration.k8s.io/v1")
					.kind("MutatingWebhookConfigurationList")
					.metadata(new V1ListMeta().resourceVersion("1234"))
					.items(List.of(configurations)));
		return this;
	}

	/** kube-system with the labels a kubeadm cluster gives it. */
	StubApiserver kubeSystem() {
		serve("/api/v1/namespaces/kube-system",
				new V1Namespace().apiVersion("v1")
					.kind("Namespace")
					.metadata(new V1ObjectMeta().name("kube-system")
						.labels(Map.of("kubernetes.io/metadata.name", "kube-system"))));
		return this;
	}

	/**
	 * The EndpointSlices of a service: one IPv4 slice with this many ready and one
	 * not-ready endpoint.
	 */
	StubApiserver endpointSlices(String namespace, String service, int ready) {
		List<V1Endpoint> endpoints = new ArrayList<>();
		for (int i = 0; i < ready; i++) {
			endpoints.add(new V1Endpoint().addresses(List.of("10.244.1." + (10 + i)))
				.conditions(new V1EndpointConditions().ready(true).serving(true).terminating(false)));
		}
		endpoints.add(new V1Endpoint().addresses(List.of("10.244.2.99"))
			.conditions(new V1EndpointConditions().ready(false).serving(false).terminating(false)));
		serve("/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices",
				new V1EndpointSliceList().apiVersion("discovery.k8s.io/v1")
					.kind("EndpointSliceList")
					.metadata(new V1ListMeta().resourceVersion("1234"))
					.items(List.of(new V1EndpointSlice().apiVersion("discovery.k8s.io/v1")
						.kind("EndpointSlice")
						.metadata(new V1ObjectMeta().name(service + "-x7k2p")
							.namespace(namespace)
							.labels(Map.of("kubernetes.io/service-name", service)))
						.addressType("IPv4")
						.endpoints(endpoints))));
		return this;
	}

	/** The Warning events of all namespaces, one page. */
	StubApiserver events(CoreV1Event... events) {
		serve("/api/v1/events",
				new CoreV1EventList().apiVersion("v1")
					.kind("EventList")
					.metadata(new V1ListMeta().resourceVersion("1234"))
					.items(List.of(events)));
		return this;
	}

}
