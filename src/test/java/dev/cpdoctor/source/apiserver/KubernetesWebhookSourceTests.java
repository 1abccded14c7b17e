package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.ApiserverAnswers;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
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
import static dev.cpdoctor.source.apiserver.WebhookModels.KUBE_SYSTEM;
import static dev.cpdoctor.source.apiserver.WebhookModels.MUTATING;
import static dev.cpdoctor.source.apiserver.WebhookModels.VALIDATING;
import static dev.cpdoctor.source.apiserver.WebhookModels.validating;
import static dev.cpdoctor.source.apiserver.WebhookModels.validatingWebhook;
import static dev.cpdoctor.source.apiserver.WebhookModels.ok;
import static dev.cpdoctor.source.apiserver.WebhookModels.failed;
import static dev.cpdoctor.source.apiserver.WebhookModels.webhookSource;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook configurations and kube-system's labels read by the real Kubernetes client from
 * a local apiserver stand-in serving the client's own models, serialised with the
 * client's JSON (their services' endpoints: ServiceEndpointsTests; the failed calls:
 * WebhookCallEventsTests).
 */
class KubernetesWebhookSourceTests {

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	@BeforeEach
	void aClusterWithoutWebhooks() {
		WebhookModels.withoutWebhooks(this.apiserver);
	}

	// ---------------------------------------------------------------- webhooks

	@Test
	void configurationsAreReadPageByPageFollowingTheContinueToken() {
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)).withQueryParam("continue", absent()),
				new V1ValidatingWebhookConfigurationList()
					.metadata(new V1ListMeta().resourceVersion("812")._continue("page-2-token"))
					.items(List.of(validating("first", validatingWebhook("a.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://a.example.com/validate"))))));
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)).withQueryParam("continue", equalTo("page-2-token")),
				new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta().resourceVersion("812"))
					.items(List.of(validating("second", validatingWebhook("b.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://b.example.com/validate"))))));

		List<AdmissionWebhook> webhooks = ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab))
			.value();

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
	void aRepeatedContinueTokenEndsTheListWithAWarningKeepingWhatWasRead() {
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList()
			.metadata(new V1ListMeta()._continue("same-token"))
			.items(List.of(validating("looping", validatingWebhook("loop.example.com", "Ignore",
					new AdmissionregistrationV1WebhookClientConfig().url("https://loop.example.com/validate"))))));

		SourceResult.Ok<List<AdmissionWebhook>> result = ok(
				webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab));

		assertThat(result.value()).extracting(AdmissionWebhook::name)
			.containsExactly("loop.example.com", "loop.example.com");
		assertThat(result.warnings()).containsExactly("LIST validatingwebhookconfigurations: the apiserver repeated"
				+ " its continue token; the rest was not read");
		this.apiserver.verify(2, getRequestedFor(urlPathEqualTo(VALIDATING)));
	}

	@Test
	void aUrlWebhookThatIgnoresFailuresHasNoServiceAndOnlyItsLongTimeoutIsASign() {
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)), new V1ValidatingWebhookConfigurationList()
			.metadata(new V1ListMeta())
			.items(List.of(validating("external-policy",
					validatingWebhook("policy.example.com", "Ignore",
							new AdmissionregistrationV1WebhookClientConfig().url("https://policy.example.com/validate"))
						.timeoutSeconds(30)
						.namespaceSelector(new V1LabelSelector()
							.addMatchExpressionsItem(new V1LabelSelectorRequirement().key("kubernetes.io/metadata.name")
								.operator("NotIn")
								.values(List.of("kube-system", "kube-public"))))))));

		AdmissionWebhook webhook = ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)).value()
			.get(0);

		assertThat(webhook).isEqualTo(new AdmissionWebhook("external-policy", AdmissionWebhook.Kind.VALIDATING,
				"policy.example.com", "Ignore", null, null, true, 30));
		assertThat(webhook.isBlockingNow()).isFalse();
		assertThat(webhook.riskSigns()).containsExactly("timeoutSeconds 30: each matching request can hang that long");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/apis/discovery.k8s.io/.*")));
	}

	@Test
	void kubeSystemExclusionIsDecidedOnKubeSystemsOwnLabels() {
		this.apiserver.serve(get(urlPathEqualTo(KUBE_SYSTEM)),
				new V1Namespace().metadata(new V1ObjectMeta().name("kube-system")
					.labels(Map.of("kubernetes.io/metadata.name", "kube-system", "control-plane", "true"))));
		V1LabelSelector noControlPlane = new V1LabelSelector()
			.addMatchExpressionsItem(new V1LabelSelectorRequirement().key("control-plane").operator("DoesNotExist"));
		this.apiserver.serve(get(urlPathEqualTo(VALIDATING)),
				new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(validating("guarded",
							validatingWebhook("guarded.example.com", "Ignore",
									new AdmissionregistrationV1WebhookClientConfig().url("https://g.example.com"))
								.namespaceSelector(noControlPlane)))));

		assertThat(ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)).value()
			.get(0)
			.excludesKubeSystem()).isTrue();

		// Without kube-system's labels only the label every namespace carries is known:
		// no exclusion claimed.
		this.apiserver.status(get(urlPathEqualTo(KUBE_SYSTEM)), 403);
		SourceResult.Ok<List<AdmissionWebhook>> unknown = ok(
				webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab));
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
		this.apiserver.stubFor(get(urlPathEqualTo(VALIDATING))
			.willReturn(ApiserverAnswers.json(200, body.replace("\"name\":\"future.example.com\"",
					"\"name\":\"future.example.com\",\"fieldFromV1_40\":{\"x\":1}"))));

		assertThat(ok(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)).value())
			.extracting(AdmissionWebhook::name)
			.containsExactly("future.example.com");
	}

	@Test
	void aServerErrorOnTheConfigurationsIsAFailureValue() {
		this.apiserver.status(get(urlPathEqualTo(MUTATING)), 500);
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)))
			.isEqualTo("LIST mutatingwebhookconfigurations answered HTTP 500");
		this.apiserver.status(get(urlPathEqualTo(VALIDATING)), 403);
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab))).isEqualTo(
				"LIST validatingwebhookconfigurations answered HTTP 403 (forbidden: the identity lacks RBAC for it)");
	}

	@Test
	void aSlowApiserverIsNotWaitedOnPastTheTimeout() {
		this.apiserver.stubFor(
				get(urlPathEqualTo(VALIDATING)).willReturn(ApiserverAnswers.json(200, "{}").withFixedDelay(3_000)));
		long started = System.nanoTime();
		assertThat(failed(webhookSource(this.apiserver, Duration.ofMillis(500)).webhooks(this.lab)))
			.isEqualTo("LIST validatingwebhookconfigurations timed out after PT0.5S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
	}

	@Test
	void aLoginPageIsNoAnswer() {
		this.apiserver.stubFor(get(urlPathEqualTo(VALIDATING)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<html><body><form>Sign in</form></body></html>")));
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(this.lab)))
			.contains("did not answer Kubernetes JSON");
	}

	@Test
	void clustersThatMayNotBeCalledAreNot() {
		Cluster offline = new Cluster("bundle", Provider.OFFLINE, KubeAccess.none(), null, "upload");
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).webhooks(offline)))
			.contains("has no apiserver access");
		assertThat(failed(webhookSource(this.apiserver, Duration.ofSeconds(5)).failedCalls(offline)))
			.contains("has no apiserver access");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/api.*")));
	}

	// ---------------------------------------------------------------- cache

	@Test
	void concurrentViewersShareOneReadOfTheApiserver() throws Exception {
		this.apiserver
			.stubFor(
					get(urlPathEqualTo(VALIDATING))
						.willReturn(
								ApiserverAnswers
									.json(200,
											JSON.serialize(new V1ValidatingWebhookConfigurationList()
												.metadata(new V1ListMeta())
												.items(List.of(validating("slow",
														validatingWebhook("slow.example.com", "Ignore",
																new AdmissionregistrationV1WebhookClientConfig()
																	.url("https://s.example.com")))))))
									.withFixedDelay(300)));
		WebhookSource cached = new CachingWebhookSource(webhookSource(this.apiserver, Duration.ofSeconds(5)),
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
