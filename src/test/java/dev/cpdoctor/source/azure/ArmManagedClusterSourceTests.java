package dev.cpdoctor.source.azure;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The managed cluster read through the real azure-core pipeline (retry policy, bearer
 * token policy, JDK HttpClient) from a local HTTPS server speaking Azure Resource
 * Manager: the token policy refuses plain HTTP, as it should.
 */
class ArmManagedClusterSourceTests {

	static final String RESOURCE_ID = "/subscriptions/00000000-1111-2222-3333-444444444444/resourceGroups/rg-prod"
			+ "/providers/Microsoft.ContainerService/managedClusters/aks-prod";

	static final String PATH = RESOURCE_ID;

	private static final Cluster AKS = new Cluster("aks-prod", Provider.AKS, KubeAccess.none(), null, "configuration");

	private WireMockServer arm;

	private final List<List<String>> scopes = new CopyOnWriteArrayList<>();

	private AzureSources sources;

	@BeforeEach
	void start() {
		this.arm = new WireMockServer(options().dynamicPort().dynamicHttpsPort().bindAddress("127.0.0.1"));
		this.arm.start();
		TokenCredential fake = (request) -> {
			this.scopes.add(request.getScopes());
			return Mono.just(new AccessToken("fake-arm-token", OffsetDateTime.now().plusHours(1)));
		};
		this.sources = new AzureSources(properties(AzureProperties.Credential.CLI, Duration.ofSeconds(5)))
			.withCredential(fake);
	}

	@AfterEach
	void stop() {
		this.arm.stop();
	}

	static AzureProperties properties(AzureProperties.Credential credential, Duration timeout) {
		return new AzureProperties(credential, null, null, null, Duration.ofSeconds(60), null, null, timeout);
	}

	/**
	 * Through HTTPS with the bearer token policy (the production pipeline, a test trust
	 * store).
	 */
	private ArmManagedClusterSource source(Duration timeout) {
		var http = new JdkHttpClientBuilder(HttpClient.newBuilder().sslContext(trustAll())).responseTimeout(timeout)
			.build();
		return new ArmManagedClusterSource(this.sources.managementPipeline(http, AzureSources.retryOptions()),
				URI.create("https://127.0.0.1:" + this.arm.httpsPort() + "/"), Map.of("aks-prod", RESOURCE_ID),
				timeout);
	}

	static String fixture(String tier) throws IOException {
		try (InputStream in = ArmManagedClusterSourceTests.class.getResourceAsStream("managed-cluster-free.json")) {
			String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			return json.replace("\"tier\": \"Free\"", "\"tier\": \"" + tier + "\"");
		}
	}

	private void answer(int status, String body) {
		this.arm.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "application/json; charset=utf-8")
			.withHeader("x-ms-request-id", "4d3c2b1a-0000-0000-0000-000000000000")
			.withBody(body)));
	}

	@Test
	void theFreeTierWithItsVersionsAndStateAskedWithTheManagementToken() throws IOException {
		answer(200, fixture("Free"));
		SourceResult<AksManagedCluster> result = source(Duration.ofSeconds(5)).managedCluster(AKS);
		assertThat(result)
			.isEqualTo(SourceResult.ok(new AksManagedCluster("Free", "1.30", "1.30.5", "Succeeded", "Running")));
		assertThat(((SourceResult.Ok<AksManagedCluster>) result).value().isFreeTier()).isTrue();
		this.arm.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("api-version", equalTo("2024-09-01"))
			.withHeader("Authorization", equalTo("Bearer fake-arm-token")));
		assertThat(this.scopes).containsOnly(List.of("https://management.azure.com/.default"));
	}

	@Test
	void theStandardTier() throws IOException {
		answer(200, fixture("Standard"));
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS))
			.isEqualTo(SourceResult.ok(new AksManagedCluster("Standard", "1.30", "1.30.5", "Succeeded", "Running")));
	}

	@Test
	void aMissingRoleIsExplainedWithArmsMessage() {
		answer(403,
				"""
						{"error":{"code":"AuthorizationFailed","message":"The client '0c6f0a6e-1c44-4b0e-8d3f-7f5b3a1e2d10' with object id \
						'9e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b' does not have authorization to perform action \
						'Microsoft.ContainerService/managedClusters/read' over scope '%s' or the scope is invalid. If access was \
						recently granted, please refresh your credentials."}}"""
					.formatted(RESOURCE_ID));
		SourceResult<AksManagedCluster> result = source(Duration.ofSeconds(5)).managedCluster(AKS);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason())
					.startsWith("Azure Resource Manager: HTTP 403 AuthorizationFailed (the identity needs"
							+ " Microsoft.ContainerService/managedClusters/read on the cluster, e.g. the Reader role)")
					.contains("does not have authorization"));
		this.arm.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
	}

	@Test
	void anUnknownClusterNamesWhatWasLookedFor() {
		answer(404,
				"""
						{"error":{"code":"ResourceNotFound","message":"The Resource 'Microsoft.ContainerService/managedClusters/aks-prod' \
						under resource group 'rg-prod' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"}}""");
		SourceResult<AksManagedCluster> result = source(Duration.ofSeconds(5)).managedCluster(AKS);
		assertThat(result).isInstanceOfSatisfying(SourceResult.Failed.class, (failed) -> assertThat(failed.reason())
			.startsWith(
					"Azure Resource Manager: HTTP 404 ResourceNotFound (no managed cluster aks-prod in resource group"
							+ " rg-prod of subscription 00000000-1111-2222-3333-444444444444")
			.contains("was not found"));
	}

	@Test
	void aSlowAnswerFailsWithinTheTimeout() throws IOException {
		this.arm.stubFor(get(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withFixedDelay(5_000)
			.withBody(fixture("Free"))));
		SourceResult<AksManagedCluster> result = source(Duration.ofMillis(300)).managedCluster(AKS);
		assertThat(result).isEqualTo(SourceResult.failed("Azure Resource Manager did not answer within 300 ms"));
	}

	@Test
	void malformedJsonIsAFailure() {
		answer(200, "{\"id\":\"" + RESOURCE_ID + "\",\"sku\":{\"name\":\"Base\",\"tier\":");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS)).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason())
					.startsWith("Azure Resource Manager answered 200 with no managed cluster JSON"));
		answer(200, "<html><body>Sign in</body></html>");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS)).isInstanceOf(SourceResult.Failed.class);
		answer(200, "{\"id\":\"" + RESOURCE_ID + "\",\"properties\":{}}");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS))
			.isEqualTo(SourceResult.failed("Azure Resource Manager's managed cluster has no sku.tier"));
		answer(200, "{\"sku\":{\"tier\":\"Free<script>\"}}");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS))
			.isEqualTo(SourceResult.failed("Azure Resource Manager's managed cluster has an unexpected sku.tier"));
	}

	@Test
	void anAnswerOfMegabytesIsRefusedNotHeld() {
		answer(200,
				"{\"sku\":{\"tier\":\"Free\"},\"padding\":\"" + "x".repeat(ArmManagedClusterSource.MAX_BODY) + "\"}");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS)).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("larger than 1024 KiB"));
		answer(200, "{\"sku\":{\"tier\":\"Free\"},\"padding\":\"" + "x".repeat(ArmManagedClusterSource.MAX_BODY - 64)
				+ "\"}");
		assertThat(source(Duration.ofSeconds(5)).managedCluster(AKS)).isInstanceOf(SourceResult.Ok.class);
	}

	@Test
	void noOrAnInvalidResourceIdAsksNothing() {
		var http = new JdkHttpClientBuilder().build();
		var pipeline = this.sources.managementPipeline(http, AzureSources.retryOptions());
		URI endpoint = URI.create("https://127.0.0.1:" + this.arm.httpsPort());
		assertThat(new ArmManagedClusterSource(pipeline, endpoint, Map.of(), Duration.ofSeconds(1)).managedCluster(AKS))
			.isEqualTo(
					SourceResult.failed("no Azure resource id: set cpdoctor.clusters[].azure.resource-id to read it"));
		String hostile = RESOURCE_ID.replace("aks-prod", "aks-prod?api-version=1&x=$(id)");
		assertThat(new ArmManagedClusterSource(pipeline, endpoint, Map.of("aks-prod", hostile), Duration.ofSeconds(1))
			.managedCluster(AKS))
			.isInstanceOfSatisfying(SourceResult.Failed.class, (failed) -> assertThat(failed.reason())
				.startsWith("cpdoctor.clusters[].azure.resource-id is not a valid"));
		assertThat(this.arm.getAllServeEvents()).isEmpty();
	}

	/**
	 * The production builder (credential none: no token, so plain HTTP is allowed) at a
	 * configured management endpoint: a busy ARM (503) is retried, then answers.
	 */
	@Test
	void theConfiguredEndpointAndTheRetryPolicy() throws IOException {
		this.arm.stubFor(get(urlPathEqualTo(PATH)).inScenario("busy")
			.whenScenarioStateIs("Started")
			.willReturn(aResponse().withStatus(503)
				.withHeader("Retry-After", "0")
				.withHeader("Content-Type", "application/json")
				.withBody("{\"error\":{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}}"))
			.willSetStateTo("answering"));
		this.arm.stubFor(get(urlPathEqualTo(PATH)).inScenario("busy")
			.whenScenarioStateIs("answering")
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody(fixture("Premium"))));
		AzureProperties properties = new AzureProperties(AzureProperties.Credential.NONE, null, null, null,
				Duration.ofSeconds(60), null, URI.create("http://127.0.0.1:" + this.arm.port()),
				Duration.ofSeconds(10));
		var source = new AzureSources(properties).managedClusters(Map.of("aks-prod", RESOURCE_ID));
		assertThat(source.managedCluster(AKS))
			.isEqualTo(SourceResult.ok(new AksManagedCluster("Premium", "1.30", "1.30.5", "Succeeded", "Running")));
		this.arm.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
		this.arm.verify(0, getRequestedFor(urlPathEqualTo(PATH)).withHeader("Authorization", WireMock.matching(".*")));
	}

	@Test
	void theManagementEndpointDefaultsToThePublicCloud() {
		AzureProperties defaults = new AzureProperties(AzureProperties.Credential.DEFAULT, null, null, null,
				Duration.ofSeconds(60), null, null, null);
		assertThat(defaults.managementEndpoint()).isEqualTo(URI.create("https://management.azure.com"));
		assertThat(defaults.managementTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

	/** Trusts WireMock's self-signed certificate, for these tests only. */
	static SSLContext trustAll() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new X509ExtendedTrustManager() {

				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
				}

				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
				}

				@Override
				public void checkClientTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public void checkServerTrusted(X509Certificate[] chain, String authType) {
				}

				@Override
				public X509Certificate[] getAcceptedIssuers() {
					return new X509Certificate[0];
				}

			} }, new SecureRandom());
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
