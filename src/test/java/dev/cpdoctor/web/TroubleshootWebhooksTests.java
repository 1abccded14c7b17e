package dev.cpdoctor.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.source.apiserver.KubernetesMetricsScraperTests;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The troubleshoot page's webhook panel fed by real clusters' apiservers: rows, warnings,
 * failures.
 */
class TroubleshootWebhooksTests {

	private static final String ADMISSION = "/apis/admissionregistration.k8s.io/v1/";

	@TempDir
	static Path dir;

	static WireMockServer apiserver;

	static TestApp app;

	/**
	 * An application of its own for the class: its clusters are the stand-in apiserver's.
	 */
	@BeforeAll
	static void start() throws IOException {
		apiserver = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		apiserver.start();
		for (String cluster : List.of("live", "broken")) {
			serve("/" + cluster + "/version/", KubernetesMetricsScraperTests.VERSION_JSON);
		}
		serve("/live" + ADMISSION + "mutatingwebhookconfigurations",
				JSON.serialize(new V1MutatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(new V1MutatingWebhookConfiguration()
						.metadata(new V1ObjectMeta().name("kyverno-resource-mutating-webhook-cfg"))
						.webhooks(List.of(new V1MutatingWebhook().name("mutate.kyverno.svc-fail")
							.failurePolicy("Fail")
							.clientConfig(service("kyverno", "kyverno-svc"))
							.sideEffects("NoneOnDryRun")
							.admissionReviewVersions(List.of("v1"))))))));
		serve("/live" + ADMISSION + "validatingwebhookconfigurations",
				JSON.serialize(new V1ValidatingWebhookConfigurationList().metadata(new V1ListMeta())
					.items(List.of(new V1ValidatingWebhookConfiguration()
						.metadata(new V1ObjectMeta().name("gatekeeper-validating-webhook-configuration"))
						.webhooks(List.of(new V1ValidatingWebhook().name("validation.gatekeeper.sh")
							.failurePolicy("Ignore")
							.clientConfig(service("gatekeeper-system", "gatekeeper-webhook-service"))
							.sideEffects("None")
							.admissionReviewVersions(List.of("v1"))))))));
		serve("/live/api/v1/namespaces/kube-system", JSON.serialize(new V1Namespace().metadata(
				new V1ObjectMeta().name("kube-system").labels(Map.of("kubernetes.io/metadata.name", "kube-system")))));
		serve("/live/apis/discovery.k8s.io/v1/namespaces/kyverno/endpointslices",
				JSON.serialize(new V1EndpointSliceList().metadata(new V1ListMeta()).items(List.of())));
		apiserver
			.stubFor(get(urlPathEqualTo("/live/apis/discovery.k8s.io/v1/namespaces/gatekeeper-system/endpointslices"))
				.willReturn(aResponse().withStatus(403)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"kind\":\"Status\",\"code\":403}")));
		apiserver.stubFor(get(urlPathMatching("/broken" + ADMISSION + ".*")).willReturn(aResponse().withStatus(500)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"kind\":\"Status\",\"code\":500}")));
		Path file = Files.writeString(dir.resolve("kubeconfig"), kubeconfig(List.of("live", "broken")));
		app = TestApp.start(Map.of("cpdoctor.data-dir", dir.resolve("data").toString(), "cpdoctor.kubeconfig.path",
				file.toString(), "cpdoctor.apiserver.timeout", "2s", "cpdoctor.apiserver.initial-delay", "1h",
				"cpdoctor.clusters[0].name", "live", "cpdoctor.clusters[0].provider", "self-managed",
				"cpdoctor.clusters[0].context", "live", "cpdoctor.clusters[1].name", "broken",
				"cpdoctor.clusters[1].provider", "self-managed", "cpdoctor.clusters[1].context", "broken"));
	}

	/**
	 * A kubeconfig with a context per cluster, each the stand-in apiserver's path prefix
	 * of its name.
	 */
	private static String kubeconfig(List<String> clusters) {
		StringBuilder kubeconfig = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
		for (String c : clusters) {
			kubeconfig.append("- name: ")
				.append(c)
				.append("\n  cluster:\n    server: http://127.0.0.1:")
				.append(apiserver.port())
				.append('/')
				.append(c)
				.append('\n');
		}
		kubeconfig.append("contexts:\n");
		for (String c : clusters) {
			kubeconfig.append("- name: ")
				.append(c)
				.append("\n  context:\n    cluster: ")
				.append(c)
				.append("\n    user: admin\n");
		}
		return kubeconfig.append("current-context: live\nusers:\n- name: admin\n  user:\n    token: page-token\n")
			.toString();
	}

	private static AdmissionregistrationV1WebhookClientConfig service(String namespace, String name) {
		return new AdmissionregistrationV1WebhookClientConfig()
			.service(new AdmissionregistrationV1ServiceReference().namespace(namespace).name(name));
	}

	private static void serve(String path, String body) {
		apiserver.stubFor(get(urlPathEqualTo(path))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		apiserver.stop();
	}

	@Test
	void theBlockingWebhookIsARiskyRowAndWhatIsUnknownIsSaid() throws Exception {
		HttpResponse<String> page = app.get("/troubleshoot?cluster=live");
		assertThat(page.statusCode()).isEqualTo(200);
		String panel = page.body()
			.substring(page.body().indexOf("id=\"panel-webhooks\""),
					page.body().indexOf("</section>", page.body().indexOf("id=\"panel-webhooks\"")));
		assertThat(panel).contains("class=\"risky\"")
			.contains("mutate.kyverno.svc-fail")
			.contains("kyverno/kyverno-svc")
			.contains("has no ready endpoints")
			.contains("validation.gatekeeper.sh")
			.contains(">unknown<")
			.contains("class=\"warning\"")
			.contains("ready endpoints of gatekeeper-system/gatekeeper-webhook-service are unknown");

		app.get("/troubleshoot?cluster=live");
		assertThat(apiserver
			.findAll(getRequestedFor(urlPathEqualTo("/live" + ADMISSION + "mutatingwebhookconfigurations"))))
			.as("the second view is served from the cache")
			.hasSize(1);
	}

	@Test
	void aFailingApiserverIsAnErrorInThePanelNotAFailingPage() throws Exception {
		HttpResponse<String> page = app.get("/troubleshoot?cluster=broken");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body())
			.contains("<p class=\"error\">LIST validatingwebhookconfigurations answered HTTP 500</p>")
			.contains("id=\"symptom-");
	}

}
