package dev.cpdoctor.source.azure;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production client builder (retry policy included) against a local Log Analytics.
 */
class AzureSourcesTests {

	private static final String WORKSPACE = "11111111-2222-3333-4444-555555555555";

	private static final String PATH = "/v1/workspaces/" + WORKSPACE + "/query";

	private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-22T07:00:00Z"),
			Instant.parse("2026-11-22T08:00:00Z"));

	private static final Cluster AKS = new Cluster("prod-weu", Provider.AKS, KubeAccess.none(), null, "configuration");

	private WireMockServer workspace;

	private AzureSources sources;

	@BeforeEach
	void start() {
		this.workspace = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.workspace.start();
		this.sources = new AzureSources(new AzureProperties(AzureProperties.Credential.NONE, null, null, null,
				Duration.ofSeconds(30), null, null, null));
	}

	@AfterEach
	void stop() {
		this.workspace.stop();
	}

	@Test
	void aServerTimeoutIsNotRetriedButAServerErrorIs() {
		this.workspace.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(504)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"code\":\"GatewayTimeout\",\"message\":\"Gateway timeout\"}}")));
		var source = this.sources.audit(WORKSPACE, URI.create("http://127.0.0.1:" + this.workspace.port() + "/v1"),
				TableMode.AKS_AUDIT, null, Form.CORRECTED);
		assertThat(source.topUserAgents(AKS, WINDOW, 10)).isInstanceOf(SourceResult.Failed.class);
		this.workspace.verify(1, postRequestedFor(urlEqualTo(PATH)));

		this.workspace.resetAll();
		this.workspace.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)
			.withHeader("Retry-After", "0")
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}")));
		assertThat(source.topUserAgents(AKS, WINDOW, 5)).isInstanceOf(SourceResult.Failed.class);
		this.workspace.verify(3, postRequestedFor(urlEqualTo(PATH)));
	}

}
