package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointConditions;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;

import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's webhook and EndpointSlice models as the tests of the webhook source serve
 * them from the stand-in apiserver.
 */
final class WebhookModels {

	static final String VALIDATING = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

	static final String MUTATING = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";

	static final String KUBE_SYSTEM = "/api/v1/namespaces/kube-system";

	private WebhookModels() {
	}

	/**
	 * A cluster without webhooks, kube-system labelled with its name only; tests add what
	 * they need (the newest stub wins).
	 */
	static void withoutWebhooks(ApiserverStandIn apiserver) {
		apiserver.serve(get(urlPathEqualTo(VALIDATING)),
				new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta()));
		apiserver.serve(get(urlPathEqualTo(MUTATING)),
				new V1MutatingWebhookConfigurationList().metadata(new V1ListMeta()));
		apiserver.serve(get(urlPathEqualTo(KUBE_SYSTEM)), new V1Namespace().metadata(
				new V1ObjectMeta().name("kube-system").labels(Map.of("kubernetes.io/metadata.name", "kube-system"))));
	}

	static MappingBuilder slicesOf(String namespace, String service) {
		return get(urlPathEqualTo("/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices"))
			.withQueryParam("labelSelector", equalTo("kubernetes.io/service-name=" + service));
	}

	static AdmissionregistrationV1WebhookClientConfig service(String namespace, String name) {
		return new AdmissionregistrationV1WebhookClientConfig()
			.service(new AdmissionregistrationV1ServiceReference().namespace(namespace)
				.name(name)
				.port(443)
				.path("/mutate"));
	}

	static V1ValidatingWebhook validatingWebhook(String name, String failurePolicy,
			AdmissionregistrationV1WebhookClientConfig client) {
		return new V1ValidatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(client)
			.sideEffects("None")
			.admissionReviewVersions(List.of("v1"));
	}

	static V1ValidatingWebhookConfiguration validating(String name, V1ValidatingWebhook... webhooks) {
		return new V1ValidatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("ValidatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(name))
			.webhooks(List.of(webhooks));
	}

	/**
	 * An endpoint whose conditions say ready true, false or nothing (null: serving set,
	 * ready unset).
	 */
	static V1Endpoint endpoint(String address, Boolean ready) {
		return new V1Endpoint().addresses(List.of(address))
			.conditions(new V1EndpointConditions().ready(ready).serving(true));
	}

	static V1EndpointSlice slice(String name, String family, V1Endpoint... endpoints) {
		return new V1EndpointSlice().addressType(family)
			.metadata(new V1ObjectMeta().name(name).labels(Map.of("kubernetes.io/service-name", "svc")))
			.endpoints(List.of(endpoints));
	}

	/** The webhook source of the stand-in apiserver, each call bounded by the timeout. */
	static WebhookSource webhookSource(ApiserverStandIn apiserver, Duration timeout) {
		return apiserver.sources(timeout).webhooks((cluster) -> true);
	}

	/** The answer, which must be one. */
	static <T> SourceResult.Ok<T> ok(SourceResult<T> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Ok.class);
		return (SourceResult.Ok<T>) result;
	}

	/** Why it failed, which it must have. */
	static String failed(SourceResult<?> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Failed.class);
		return ((SourceResult.Failed<?>) result).reason();
	}

}
