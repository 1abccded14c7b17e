package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.List;

import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.cpdoctor.source.apiserver.WebhookModels.MUTATING;
import static dev.cpdoctor.source.apiserver.WebhookModels.VALIDATING;
import static dev.cpdoctor.source.apiserver.WebhookModels.endpoint;
import static dev.cpdoctor.source.apiserver.WebhookModels.service;
import static dev.cpdoctor.source.apiserver.WebhookModels.slice;
import static dev.cpdoctor.source.apiserver.WebhookModels.slicesOf;
import static dev.cpdoctor.source.apiserver.WebhookModels.validating;
import static dev.cpdoctor.source.apiserver.WebhookModels.validatingWebhook;
import static dev.cpdoctor.source.apiserver.WebhookModels.ok;
import static dev.cpdoctor.source.apiserver.WebhookModels.failed;
import static dev.cpdoctor.source.apiserver.WebhookModels.webhookSource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ready endpoints of webhooks' services, read from their EndpointSlices by the real
 * Kubernetes client from a local apiserver stand-in.
 */
class ServiceEndpointsTests {

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	@BeforeEach
	void aClusterWithoutWebhooks() {
		WebhookModels.withoutWebhooks(this.apiserver);
	}

	@Test
	void aFailClosedKyvernoWebhookWithoutReadyEndpointsShowsTheRiskSigns() {
		// failurePolicy and timeoutSeconds left out: the API defaults are Fail and 10 s.
		this.apiserver.serve(get(urlPathEqualTo(MUTATING)),
				new V1MutatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(new V1MutatingWebhookConfiguration()
						.metadata(new V1ObjectMeta().name("kyverno-resource-mutating-webhook-cfg"))
						.webhooks(List.of(new V1MutatingWebhook().name("mutate.kyverno.svc-fail")
							.clientConfig(service("kyverno", "kyverno-svc"))
							.sideEffects("NoneOnDryRun")
							.admissionReviewVersions(List.of("v1")))))));
		this.apiserver.serve(slicesOf("kyverno", "kyverno-svc"), new V1EndpointSliceList().metadata(new V1ListMeta())
			.items(List.of(slice("kyverno-svc-x7k2p", "IPv4", endpoint("10.244.1.17", false)))));

		AdmissionWebhook webhook = ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)).value()
			.get(0);

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
	void readyEndpointsCountReadyAndUnsetOnceAcrossSlicesAndAddressFamilies() {
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList()
			.metadata(new V1ListMeta())
			.items(List.of(
					validating(
							"cert-manager-webhook",
							validatingWebhook("webhook.cert-manager.io", "Fail",
									service("cert-manager", "cert-manager-webhook")),
							validatingWebhook("webhook2.cert-manager.io", "Fail",
									service("cert-manager", "cert-manager-webhook"))),
					validating("dual-stack", validatingWebhook("dual.example.com", "Fail", service("apps", "dual"))))));
		this.apiserver.serve(slicesOf("cert-manager", "cert-manager-webhook"),
				new V1EndpointSliceList().metadata(new V1ListMeta())
					.items(List.of(
							// ready; ready unset and no conditions at all (both read as
							// ready); not ready
							slice("a", "IPv4", endpoint("10.244.1.5", true), endpoint("10.244.2.9", null),
									new V1Endpoint().addresses(List.of("10.244.2.10")), endpoint("10.244.3.3", false)),
							// the same pod again in a second slice, as during an update
							slice("b", "IPv4", endpoint("10.244.1.5", true)))));
		this.apiserver.serve(slicesOf("apps", "dual"),
				new V1EndpointSliceList().metadata(new V1ListMeta())
					.items(List.of(slice("d4", "IPv4", endpoint("10.244.4.4", true), endpoint("10.244.4.5", false)),
							slice("d6", "IPv6", endpoint("fd00::4:4", true), endpoint("fd00::4:5", false)))));

		List<AdmissionWebhook> webhooks = ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab))
			.value();

		assertThat(webhooks).extracting(AdmissionWebhook::readyEndpoints).containsExactly(3, 3, 1);
		assertThat(webhooks).noneMatch(AdmissionWebhook::isBlockingNow);
		this.apiserver.verify(1,
				getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/v1/namespaces/cert-manager/.*")));
		this.apiserver.verify(1, getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/v1/namespaces/apps/.*")));
	}

	@Test
	void forbiddenEndpointSlicesLeaveReadinessUnknownButTheWebhooksListed() {
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList()
			.metadata(new V1ListMeta())
			.items(List.of(validating("kyverno-policy-validating-webhook-cfg",
					validatingWebhook("validate-policy.kyverno.svc", "Fail", service("kyverno", "kyverno-svc"))))));
		this.apiserver.status(slicesOf("kyverno", "kyverno-svc"), 403);

		SourceResult.Ok<List<AdmissionWebhook>> result = ok(
				webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab));

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

}
