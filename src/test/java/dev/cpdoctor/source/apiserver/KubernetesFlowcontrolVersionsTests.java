package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * API discovery of the flowcontrol group by the real Kubernetes client against a local
 * apiserver stand-in.
 */
public class KubernetesFlowcontrolVersionsTests {

	public static final String GROUP_PATH = "/apis/flowcontrol.apiserver.k8s.io";

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	/** A discovery answer of the test resources (see their README). */
	public static String apiGroup(String release) throws IOException {
		try (InputStream in = KubernetesFlowcontrolVersionsTests.class
			.getResourceAsStream("apigroup-flowcontrol-" + release + ".json")) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

	private void serve(int status, String body) {
		this.apiserver.stubFor(get(urlPathMatching(GROUP_PATH + "/?"))
			.willReturn(aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body)));
	}

	private FlowcontrolVersions discovery(Duration timeout) {
		return this.apiserver.sources(timeout).flowcontrolVersions((cluster) -> true);
	}

	private static List<String> ok(SourceResult<List<String>> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Ok.class);
		return ((SourceResult.Ok<List<String>>) result).value();
	}

	private static String failed(SourceResult<List<String>> result) {
		assertThat(result).as(result.toString()).isInstanceOf(SourceResult.Failed.class);
		return ((SourceResult.Failed<List<String>>) result).reason();
	}

	@Test
	void v1OnlyFrom132On() throws IOException {
		serve(200, apiGroup("1.32"));
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1");
		this.apiserver.verify(1,
				getRequestedFor(urlPathEqualTo(GROUP_PATH))
					.withHeader("Authorization", equalTo("Bearer test-token-7f3a"))
					.withHeader("User-Agent", matching("control-plane-doctor/test.*"))
					.withHeader("Accept", equalTo("application/json")));
	}

	@Test
	void v1AndV1beta3From129To131() throws IOException {
		serve(200, apiGroup("1.30"));
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1", "v1beta3");
	}

	@Test
	void v1beta2AsTheNewestFrom123To125() throws IOException {
		serve(200, apiGroup("1.25"));
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1beta2", "v1beta1");
	}

	@Test
	void v1beta2Only() {
		serve(200, """
				{"kind":"APIGroup","apiVersion":"v1","name":"flowcontrol.apiserver.k8s.io",
				 "versions":[{"groupVersion":"flowcontrol.apiserver.k8s.io/v1beta2","version":"v1beta2"}],
				 "preferredVersion":{"groupVersion":"flowcontrol.apiserver.k8s.io/v1beta2","version":"v1beta2"}}""");
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1beta2");
	}

	@Test
	void fieldsTheClientsModelDoesNotKnowAreTolerated() {
		serve(200, """
				{"kind":"APIGroup","apiVersion":"v1","name":"flowcontrol.apiserver.k8s.io",
				 "versions":[{"groupVersion":"flowcontrol.apiserver.k8s.io/v1","version":"v1","freshness":"Current"}],
				 "preferredVersion":{"groupVersion":"flowcontrol.apiserver.k8s.io/v1","version":"v1"},
				 "serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}],
				 "someFutureField":{"x":1}}""");
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1");
	}

	@Test
	void versionTextThatIsNoVersionIsDropped() {
		serve(200,
				"""
						{"kind":"APIGroup","apiVersion":"v1","name":"flowcontrol.apiserver.k8s.io",
						 "versions":[{"version":"v1\\n# injected"},{"version":42},{"version":"v1beta3"},{"nothing":"here"}]}""");
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).containsExactly("v1beta3");
	}

	@Test
	void aGroupTheApiserverDoesNotServeIsAnEmptyAnswer() {
		serve(404,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\",\"code\":404}");
		assertThat(ok(discovery(Duration.ofSeconds(5)).served(this.lab))).isEmpty();
	}

	@Test
	void serverErrorsAreValues() {
		serve(500, "{\"kind\":\"Status\",\"message\":\"etcdserver: request timed out\"}");
		assertThat(failed(discovery(Duration.ofSeconds(5)).served(this.lab)))
			.isEqualTo("GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 500");
	}

	@Test
	void aLoginPageIsNoApiGroup() {
		this.apiserver.stubFor(get(urlPathMatching(GROUP_PATH + "/?")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<html><body><form>Sign in</form></body></html>")));
		assertThat(failed(discovery(Duration.ofSeconds(5)).served(this.lab))).contains("did not answer an APIGroup");
		serve(200, "{\"kind\":\"APIGroup\",\"name\":\"apps\",\"versions\":[{\"version\":\"v1\"}]}");
		assertThat(failed(discovery(Duration.ofSeconds(5)).served(this.lab))).contains("did not answer an APIGroup");
	}

	@Test
	void aSlowApiserverIsNotWaitedOnPastTheTimeout() {
		this.apiserver.stubFor(get(urlPathMatching(GROUP_PATH + "/?"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody("{}")));
		long started = System.nanoTime();
		assertThat(failed(discovery(Duration.ofMillis(500)).served(this.lab)))
			.isEqualTo("GET /apis/flowcontrol.apiserver.k8s.io timed out after PT0.5S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
	}

	@Test
	void clustersThatMayNotBeCalledAreNot() {
		Cluster demo = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "built-in");
		assertThat(failed(discovery(Duration.ofSeconds(5)).served(demo)))
			.isEqualTo("the cluster has no apiserver access");
		FlowcontrolVersions guarded = this.apiserver.sources(Duration.ofSeconds(5))
			.flowcontrolVersions((cluster) -> false);
		assertThat(failed(guarded.served(this.lab))).contains("merely discovered kubeconfig context");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching(GROUP_PATH + "/?")));
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/version/?")));
	}

}
