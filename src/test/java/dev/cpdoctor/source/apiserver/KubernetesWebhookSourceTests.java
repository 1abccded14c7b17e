package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.CoreV1EventSeries;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointConditions;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.CachingWebhookSource;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook configurations, EndpointSlices and events read by the real Kubernetes client
 * from a local apiserver stand-in serving the client's own models, serialised with the
 * client's JSON.
 */
class KubernetesWebhookSourceTests {

	static final String VALIDATING = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

	static final String MUTATING = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

	static final String KUBE_SYSTEM = "/api/v1/namespaces/kube-system";

	static final String EVENTS = "/api/v1/events";

	static final OffsetDateTime NOW = OffsetDateTime.of(2026, 3, 2, 14, 0, 0, 0, ZoneOffset.UTC);

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	@BeforeEach
	void aClusterWithoutWebhooks() {
		// A cluster without webhooks or events; tests add what they need (the newest stub
		// wins).
		serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta()));
		serve(get(urlPathEqualTo(MUTATING)), new V1MutatingWebhookConfigurationList().metadata(new V1ListMeta()));
		serve(get(urlPathEqualTo(KUBE_SYSTEM)), new V1Namespace().metadata(
				new V1ObjectMeta().name("kube-system").labels(Map.of("kubernetes.io/metadata.name", "kube-system"))));
		serve(get(urlPathEqualTo(EVENTS)), new CoreV1EventList().metadata(new V1ListMeta()));
	}

	// ---------------------------------------------------------------- fixtures

	private static ResponseDefinitionBuilder json(int status, String body) {
		return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
	}

	private void serve(MappingBuilder request, Object model) {
		this.apiserver.stubFor(request.willReturn(json(200, JSON.serialize(model))));
	}

	private void status(MappingBuilder request, int code) {
		this.apiserver.stubFor(request.willReturn(json(code,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + "}")));
	}

	private static MappingBuilder slicesOf(String namespace, String service) {
		return get(urlPathEqualTo("/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices"))
			.withQueryParam("labelSelector", equalTo("kubernetes.io/service-name=" + service));
	}

	private static AdmissionregistrationV1WebhookClientConfig service(String namespace, String name) {
		return new AdmissionregistrationV1WebhookClientConfig()
			.service(new AdmissionregistrationV1ServiceReference().namespace(namespace)
				.name(name)
				.port(443)
				.path("/mutate"));
	}

	private static V1ValidatingWebhook validatingWebhook(String name, String failurePolicy,
			AdmissionregistrationV1WebhookClientConfig client) {
		return new V1ValidatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(client)
			.sideEffects("None")
			.admissionReviewVersions(List.of("v1"));
	}

	private static V1ValidatingWebhookConfiguration validating(String name, V1ValidatingWebhook... webhooks) {
		return new V1ValidatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("ValidatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(name))
			.webhooks(List.of(webhooks));
	}

	/**
	 * An endpoint whose conditions say ready true, false or nothing (null: serving set,
	 * ready unset).
	 */
	private static V1Endpoint endpoint(String address, Boolean ready) {
		return new V1Endpoint().addresses(List.of(address))
			.conditions(new V1EndpointConditions().ready(ready).serving(true));
	}

	private static V1EndpointSlice slice(String name, String family, V1Endpoint... endpoints) {
		return new V1EndpointSlice().addressType(family)
			.metadata(new V1ObjectMeta().name(name).labels(Map.of("kubernetes.io/service-name", "svc")))
			.endpoints(List.of(endpoints));
	}

	private static CoreV1Event event(String namespace, String name, String reason, String message, Integer count,
			OffsetDateTime last) {
		return new CoreV1Event().metadata(new V1ObjectMeta().namespace(namespace).name(name + ".18a2b"))
			.involvedObject(new V1ObjectReference().kind("ReplicaSet").namespace(namespace).name(name))
			.type("Warning")
			.reason(reason)
			.message(message)
			.count(count)
			.lastTimestamp(last);
	}

	static String webhookFailure(String webhook) {
		return "Error creating: Internal error occurred: failed calling webhook \"" + webhook
				+ "\": failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s\":"
				+ " write tcp 10.244.0.1:48816->10.0.142.17:443: write: broken pipe";
	}

	private WebhookSource source(Duration timeout) {
		return this.apiserver.sources(timeout).webhooks((cluster) -> true);
	}

	private static <T> SourceResult.Ok<T> ok(SourceResult<T> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Ok.class);
		return (SourceResult.Ok<T>) result;
	}

	private static String failed(SourceResult<?> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Failed.class);
		return ((SourceResult.Failed<?>) result).reason();
	}

	// ---------------------------------------------------------------- webhooks

	@Test
	void configurationsAreReadPageByPageFollowingTheContinueToken() {
		serve(get(urlPathEqualTo(VALIDATING)).withQueryParam("continue", absent()),
				new V1ValidatingWebhookConfigurationList()
					.metadata(new V1ListMeta().resourceVersion("812")._continue("page-2-token"))
					.items(List.of(validating("first", validatingWebhook("a.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://a.example.com/validate"))))));
		serve(get(urlPathEqualTo(VALIDATING)).withQueryParam("continue", equalTo("page-2-token")),
				new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta().resourceVersion("812"))
					.items(List.of(validating("second", validatingWebhook("b.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://b.example.com/validate"))))));

		List<AdmissionWebhook> webhooks = ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value();

		assertThat(webhooks).extracting(AdmissionWebhook::configuration).containsExactly("first", "second");
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(VALIDATING)).withQueryParam("limit", equalTo("100"))
					.withQueryParam("continue", absent())
					.withHeader("Authorization", equalTo("Bearer " + ApiserverStandIn.TOKEN))
					.withHeader("User-Agent", matching("control-plane-doctor/test.*")));
		this.apiserver.verify(1, getRequestedFor(urlPathEqualTo(VALIDATING)).withQueryParam("limit", equalTo("100"))
			.withQueryParam("continue", equalTo("page-2-token")));
		this.apiserver.verify(1, getRequestedFor(urlPathEqualTo(MUTATING)).withQueryParam("limit", equalTo("100")));
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/apis/.*")).withQueryParam("limit", absent()));
	}

	@Test
	void aFailClosedKyvernoWebhookWithoutReadyEndpointsShowsTheRiskSigns() {
		// failurePolicy and timeoutSeconds left out: the API defaults are Fail and 10 s.
		serve(get(urlPathEqualTo(MUTATING)),
				new V1MutatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(new V1MutatingWebhookConfiguration()
						.metadata(new V1ObjectMeta().name("kyverno-resource-mutating-webhook-cfg"))
						.webhooks(List.of(new V1MutatingWebhook().name("mutate.kyverno.svc-fail")
							.clientConfig(service("kyverno", "kyverno-svc"))
							.sideEffects("NoneOnDryRun")
							.admissionReviewVersions(List.of("v1")))))));
		serve(slicesOf("kyverno", "kyverno-svc"), new V1EndpointSliceList().metadata(new V1ListMeta())
			.items(List.of(slice("kyverno-svc-x7k2p", "IPv4", endpoint("10.244.1.17", false)))));

		AdmissionWebhook webhook = ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value().get(0);

		assertThat(webhook)
			.isEqualTo(new AdmissionWebhook("kyverno-resource-mutating-webhook-cfg", AdmissionWebhook.Kind.MUTATING,
					"mutate.kyverno.svc-fail", "Fail", "kyverno/kyverno-svc", 0, false, 10));
		assertThat(webhook.isBlockingNow()).isTrue();
		assertThat(webhook.riskSigns()).hasSize(3)
			.anySatisfy((sign) -> assertThat(sign).contains("kyverno/kyverno-svc has no ready endpoints"))
			.anySatisfy((sign) -> assertThat(sign).startsWith("failurePolicy Fail"))
			.anySatisfy((sign) -> assertThat(sign).startsWith("no namespaceSelector excluding kube-system"));
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo("/apis/discovery.k8s.io/v1/namespaces/kyverno/endpointslices"))
					.withQueryParam("labelSelector", equalTo("kubernetes.io/service-name=kyverno-svc"))
					.withQueryParam("limit", equalTo("100")));
	}

	@Test
	void aRepeatedContinueTokenEndsTheListWithAWarningKeepingWhatWasRead() {
		serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList()
			.metadata(new V1ListMeta()._continue("same-token"))
			.items(List.of(validating("looping", validatingWebhook("loop.example.com", "Ignore",
					new AdmissionregistrationV1WebhookClientConfig().url("https://loop.example.com/validate"))))));

		SourceResult.Ok<List<AdmissionWebhook>> result = ok(source(Duration.ofSeconds(5)).webhooks(this.lab));

		assertThat(result.value()).extracting(AdmissionWebhook::name)
			.containsExactly("loop.example.com", "loop.example.com");
		assertThat(result.warnings()).containsExactly("LIST validatingwebhookconfigurations: the apiserver repeated"
				+ " its continue token; the rest was not read");
		this.apiserver.verify(2, getRequestedFor(urlPathEqualTo(VALIDATING)));
	}

	@Test
	void aUrlWebhookThatIgnoresFailuresHasNoServiceAndOnlyItsLongTimeoutIsASign() {
		serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
			.items(List.of(validating("external-policy",
					validatingWebhook("policy.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://policy.example.com/validate"))
						.timeoutSeconds(30)
						.namespaceSelector(new V1LabelSelector()
							.addMatchExpressionsItem(new V1LabelSelectorRequirement().key("kubernetes.io/metadata.name")
								.operator("NotIn")
								.values(List.of("kube-system", "kube-public"))))))));

		AdmissionWebhook webhook = ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value().get(0);

		assertThat(webhook).isEqualTo(new AdmissionWebhook("external-policy", AdmissionWebhook.Kind.VALIDATING,
				"policy.example.com", "Ignore", null, null, true, 30));
		assertThat(webhook.isBlockingNow()).isFalse();
		assertThat(webhook.riskSigns()).containsExactly("timeoutSeconds 30: each matching request can hang that long");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/.*")));
	}

	@Test
	void readyEndpointsCountReadyAndUnsetOnceAcrossSlicesAndAddressFamilies() {
		serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
			.items(List.of(
					validating(
							"cert-manager-webhook",
							validatingWebhook("webhook.cert-manager.io", "Fail",
									service("cert-manager", "cert-manager-webhook")),
							validatingWebhook("webhook2.cert-manager.io", "Fail",
									service("cert-manager", "cert-manager-webhook"))),
					validating("dual-stack", validatingWebhook("dual.example.com", "Fail", service("apps", "dual"))))));
		serve(slicesOf("cert-manager", "cert-manager-webhook"),
				new V1EndpointSliceList().metadata(new V1ListMeta())
					.items(List.of(
							// ready; ready unset and no conditions at all (both read as
							// ready); not ready
							slice("a", "IPv4", endpoint("10.244.1.5", true), endpoint("10.244.2.9", null),
									new V1Endpoint().addresses(List.of("10.244.2.10")), endpoint("10.244.3.3", false)),
							// the same pod again in a second slice, as during an update
							slice("b", "IPv4", endpoint("10.244.1.5", true)))));
		serve(slicesOf("apps", "dual"),
				new V1EndpointSliceList().metadata(new V1ListMeta())
					.items(List.of(slice("d4", "IPv4", endpoint("10.244.4.4", true), endpoint("10.244.4.5", false)),
							slice("d6", "IPv6", endpoint("fd00::4:4", true), endpoint("fd00::4:5", false)))));

		List<AdmissionWebhook> webhooks = ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value();

		assertThat(webhooks).extracting(AdmissionWebhook::readyEndpoints).containsExactly(3, 3, 1);
		assertThat(webhooks).noneMatch(AdmissionWebhook::isBlockingNow);
		this.apiserver.verify(1,
				getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/v1/namespaces/cert-manager/.*")));
		this.apiserver.verify(1, getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/v1/namespaces/apps/.*")));
	}

	@Test
	void forbiddenEndpointSlicesLeaveReadinessUnknownButTheWebhooksListed() {
		serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
			.items(List.of(validating("kyverno-policy-validating-webhook-cfg",
					validatingWebhook("validate-policy.kyverno.svc", "Fail", service("kyverno", "kyverno-svc"))))));
		status(slicesOf("kyverno", "kyverno-svc"), 403);

		SourceResult.Ok<List<AdmissionWebhook>> result = ok(source(Duration.ofSeconds(5)).webhooks(this.lab));

		assertThat(result.value()).singleElement().satisfies((webhook) -> {
			assertThat(webhook.readyEndpoints()).isNull();
			assertThat(webhook.isBlockingNow()).isFalse();
			assertThat(webhook.riskSigns()).noneMatch((sign) -> sign.contains("no ready endpoints"));
		});
		assertThat(result.warnings()).singleElement()
			.asString()
			.isEqualTo(
					"ready endpoints of kyverno/kyverno-svc are unknown: LIST endpointslices of service kyverno/kyverno-svc"
							+ " answered HTTP 403 (forbidden: the identity lacks RBAC for it)");
	}

	@Test
	void kubeSystemExclusionIsDecidedOnKubeSystemsOwnLabels() {
		serve(get(urlPathEqualTo(KUBE_SYSTEM)), new V1Namespace().metadata(new V1ObjectMeta().name("kube-system")
			.labels(Map.of("kubernetes.io/metadata.name", "kube-system", "control-plane", "true"))));
		V1LabelSelector noControlPlane = new V1LabelSelector()
			.addMatchExpressionsItem(new V1LabelSelectorRequirement().key("control-plane").operator("DoesNotExist"));
		serve(get(urlPathEqualTo(VALIDATING)),
				new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(validating("guarded",
							validatingWebhook("guarded.example.com", "Ignore",
									new AdmissionregistrationV1WebhookClientConfig().url("https://g.example.com"))
								.namespaceSelector(noControlPlane)))));

		assertThat(ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value().get(0).excludesKubeSystem()).isTrue();

		// Without kube-system's labels only the label every namespace carries is known:
		// no exclusion claimed.
		status(get(urlPathEqualTo(KUBE_SYSTEM)), 403);
		SourceResult.Ok<List<AdmissionWebhook>> unknown = ok(source(Duration.ofSeconds(5)).webhooks(this.lab));
		assertThat(unknown.value().get(0).excludesKubeSystem()).isFalse();
		assertThat(unknown.warnings()).singleElement()
			.asString()
			.startsWith("kube-system's labels are unknown (GET namespace" + " kube-system answered HTTP 403");
	}

	@Test
	void fieldsANewerApiserverAddsAreIgnored() {
		String body = JSON.serialize(new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
			.items(List.of(validating("future", validatingWebhook("future.example.com", "Fail",
					new AdmissionregistrationV1WebhookClientConfig().url("https://f.example.com"))))));
		this.apiserver.stubFor(
				get(urlPathEqualTo(VALIDATING)).willReturn(json(200, body.replace("\"name\":\"future.example.com\"",
						"\"name\":\"future.example.com\",\"fieldFromV1_40\":{\"x\":1}"))));

		assertThat(ok(source(Duration.ofSeconds(5)).webhooks(this.lab)).value()).extracting(AdmissionWebhook::name)
			.containsExactly("future.example.com");
	}

	@Test
	void aServerErrorOnTheConfigurationsIsAFailureValue() {
		status(get(urlPathEqualTo(MUTATING)), 500);
		assertThat(failed(source(Duration.ofSeconds(5)).webhooks(this.lab)))
			.isEqualTo("LIST mutatingwebhookconfigurations answered HTTP 500");
		status(get(urlPathEqualTo(VALIDATING)), 403);
		assertThat(failed(source(Duration.ofSeconds(5)).webhooks(this.lab))).isEqualTo(
				"LIST validatingwebhookconfigurations answered HTTP 403 (forbidden: the identity lacks RBAC for it)");
	}

	@Test
	void aSlowApiserverIsNotWaitedOnPastTheTimeout() {
		this.apiserver.stubFor(get(urlPathEqualTo(VALIDATING)).willReturn(json(200, "{}").withFixedDelay(3_000)));
		long started = System.nanoTime();
		assertThat(failed(source(Duration.ofMillis(500)).webhooks(this.lab)))
			.isEqualTo("LIST validatingwebhookconfigurations timed out after PT0.5S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
	}

	@Test
	void aLoginPageIsNoAnswer() {
		this.apiserver.stubFor(get(urlPathEqualTo(VALIDATING)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<html><body><form>Sign in</form></body></html>")));
		assertThat(failed(source(Duration.ofSeconds(5)).webhooks(this.lab))).contains("did not answer Kubernetes JSON");
	}

	@Test
	void clustersThatMayNotBeCalledAreNot() {
		Cluster offline = new Cluster("bundle", Provider.OFFLINE, KubeAccess.none(), null, "upload");
		assertThat(failed(source(Duration.ofSeconds(5)).webhooks(offline))).contains("has no apiserver access");
		assertThat(failed(source(Duration.ofSeconds(5)).failedCalls(offline))).contains("has no apiserver access");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/api.*")));
	}

	// ---------------------------------------------------------------- events

	@Test
	void warningEventsAreFilteredByThePhraseNewestFirstAcrossPages() {
		serve(get(urlPathEqualTo(EVENTS)).withQueryParam("continue", absent()),
				new CoreV1EventList().metadata(new V1ListMeta()._continue("events-2"))
					.items(List.of(
							event("kyverno", "kyverno-admission-controller-6d8f9c7b5d", "FailedCreate",
									webhookFailure("mutate.kyverno.svc-fail"), 37, NOW.minusMinutes(2)),
							event("default", "web-7c9f", "BackOff", "Back-off restarting failed container", 80,
									NOW.minusMinutes(1)))));
		CoreV1Event series = event("kube-system", "coredns-5d78c9869d", "FailedCreate",
				webhookFailure("validate.kyverno.svc-fail"), null, null)
			.series(new CoreV1EventSeries().count(12).lastObservedTime(NOW.minusSeconds(30)));
		serve(get(urlPathEqualTo(EVENTS)).withQueryParam("continue", equalTo("events-2")),
				new CoreV1EventList().metadata(new V1ListMeta())
					.items(List.of(series, event("apps", "api-6b7d", "FailedCreate",
							webhookFailure("mutate.kyverno.svc-fail"), 3, NOW.minusHours(3)))));

		List<WebhookCallFailure> failures = ok(source(Duration.ofSeconds(5)).failedCalls(this.lab)).value();

		assertThat(failures).extracting(WebhookCallFailure::involvedObject)
			.containsExactly("ReplicaSet/coredns-5d78c9869d", "ReplicaSet/kyverno-admission-controller-6d8f9c7b5d",
					"ReplicaSet/api-6b7d");
		assertThat(failures.get(0)).isEqualTo(new WebhookCallFailure("kube-system", "ReplicaSet/coredns-5d78c9869d",
				"FailedCreate", webhookFailure("validate.kyverno.svc-fail"), 12, NOW.minusSeconds(30).toInstant()));
		assertThat(failures.get(1).count()).isEqualTo(37);
		assertThat(failures.get(1).webhook()).isEqualTo("mutate.kyverno.svc-fail");
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(EVENTS)).withQueryParam("fieldSelector", equalTo("type=Warning"))
					.withQueryParam("limit", equalTo("250"))
					.withQueryParam("continue", absent()));
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(EVENTS)).withQueryParam("fieldSelector", equalTo("type=Warning"))
					.withQueryParam("limit", equalTo("250"))
					.withQueryParam("continue", equalTo("events-2")));
	}

	@Test
	void onlyTheNewestFailedCallsAreKept() {
		List<CoreV1Event> events = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			events.add(event("ns" + i, "rs-" + i, "FailedCreate", webhookFailure("w" + i), 1, NOW.minusMinutes(i)));
		}
		serve(get(urlPathEqualTo(EVENTS)), new CoreV1EventList().metadata(new V1ListMeta()).items(events));

		List<WebhookCallFailure> failures = ok(source(Duration.ofSeconds(5)).failedCalls(this.lab)).value();

		assertThat(failures).hasSize(WebhookSource.MAX_FAILED_CALLS);
		assertThat(failures.get(0).namespace()).isEqualTo("ns0");
		assertThat(failures.get(WebhookSource.MAX_FAILED_CALLS - 1).namespace()).isEqualTo("ns19");
	}

	@Test
	void forbiddenEventsAreAFailureValue() {
		status(get(urlPathEqualTo(EVENTS)), 403);
		assertThat(failed(source(Duration.ofSeconds(5)).failedCalls(this.lab)))
			.isEqualTo("LIST Warning events answered HTTP 403 (forbidden: the identity lacks RBAC for it)");
	}

	// ---------------------------------------------------------------- cache

	@Test
	void concurrentViewersShareOneReadOfTheApiserver() throws Exception {
		this.apiserver
			.stubFor(get(urlPathEqualTo(VALIDATING)).willReturn(json(200,
					JSON.serialize(new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
						.items(List.of(validating("slow", validatingWebhook("slow.example.com", "Ignore",
								new AdmissionregistrationV1WebhookClientConfig().url("https://s.example.com")))))))
				.withFixedDelay(300)));
		WebhookSource cached = new CachingWebhookSource(source(Duration.ofSeconds(5)),
				CachingWebhookSource.Ttl.defaults());
		int viewers = 12;
		ExecutorService pool = Executors.newFixedThreadPool(viewers);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<SourceResult<List<AdmissionWebhook>>>> answers = new ArrayList<>();
			for (int i = 0; i < viewers; i++) {
				answers.add(pool.submit(() -> {
					start.await();
					return cached.webhooks(this.lab);
				}));
			}
			start.countDown();
			for (Future<SourceResult<List<AdmissionWebhook>>> answer : answers) {
				assertThat(ok(answer.get()).value()).extracting(AdmissionWebhook::name)
					.containsExactly("slow.example.com");
			}
		}
		finally {
			pool.shutdownNow();
		}
		this.apiserver.verify(1, getRequestedFor(urlPathEqualTo(VALIDATING)));
		this.apiserver.verify(1, getRequestedFor(urlPathEqualTo(MUTATING)));
		this.apiserver.verify(1, getRequestedFor(urlPathEqualTo(KUBE_SYSTEM)));
	}

}
