package dev.cpdoctor.source.azuremonitor;

import java.time.Instant;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.monitor.query.MetricsQueryClient;
import com.azure.monitor.query.MetricsQueryClientBuilder;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.PlatformEtcdUsage.Usage;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real metrics query client against a local server speaking the Azure Monitor metrics
 * API.
 */
public class AksEtcdUsageMetricTests {

	static final String RESOURCE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-22T07:00:00Z"),
			Instant.parse("2026-11-22T08:00:00Z"));

	private static final Cluster AKS = new Cluster("prod-weu", Provider.AKS, KubeAccess.none(), null, "configuration");

	private WireMockServer azure;

	private AksEtcdUsageMetric metric;

	@BeforeEach
	void start() {
		this.azure = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.azure.start();
		HttpPipelinePolicy token = (context, next) -> {
			context.getHttpRequest().setHeader(HttpHeaderName.AUTHORIZATION, "Bearer test-token");
			return next.process();
		};
		MetricsQueryClient client = new MetricsQueryClientBuilder().endpoint("http://127.0.0.1:" + this.azure.port())
			.httpClient(new JdkHttpClientBuilder().build())
			.addPolicy(token)
			.buildClient();
		this.metric = new AksEtcdUsageMetric(client, RESOURCE_ID);
	}

	@AfterEach
	void stop() {
		this.azure.stop();
	}

	public static String metricsBody() {
		return """
				{"cost":59,"timespan":"2026-11-22T07:00:00Z/2026-11-22T08:00:00Z","interval":"PT5M",
				 "value":[{"id":"%s/providers/Microsoft.Insights/metrics/etcd_database_usage_percentage",
				   "type":"Microsoft.Insights/metrics",
				   "name":{"value":"etcd_database_usage_percentage","localizedValue":"etcd database usage percentage"},
				   "unit":"Percent",
				   "timeseries":[{"metadatavalues":[],"data":[
				     {"timeStamp":"2026-11-22T07:45:00Z","maximum":41.25,"average":40.0},
				     {"timeStamp":"2026-11-22T07:50:00Z","maximum":43.5,"average":42.0},
				     {"timeStamp":"2026-11-22T07:55:00Z"}]}],
				   "errorCode":"Success"}],
				 "namespace":"Microsoft.ContainerService/managedClusters","resourceregion":"westeurope"}"""
			.formatted(RESOURCE_ID);
	}

	@Test
	void theNewestValueOfThePlatformMetric() {
		this.azure.stubFor(get(urlPathMatching("(?i).*/providers/microsoft.insights/metrics")).willReturn(
				aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(metricsBody())));
		SourceResult<Usage> usage = this.metric.latest(AKS, WINDOW);
		assertThat(usage).isEqualTo(SourceResult.ok(new Usage(Instant.parse("2026-11-22T07:50:00Z"), 43.5,
				"etcd_database_usage_percentage (AKS platform metric)")));
		// Cached: a second look within the minute asks nothing.
		this.metric.latest(AKS, WINDOW);
		this.azure.verify(1,
				getRequestedFor(urlPathMatching(
						"(?i)/subscriptions/[^/].*/managedClusters/prod-weu/providers/microsoft.insights/metrics"))
					.withQueryParam("metricnames", equalTo("etcd_database_usage_percentage"))
					.withHeader("Authorization", equalTo("Bearer test-token")));
	}

	@Test
	void aMissingRoleIsExplained() {
		this.azure.stubFor(get(urlPathMatching("(?i).*/providers/microsoft.insights/metrics")).willReturn(aResponse()
			.withStatus(403)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"error\":{\"code\":\"AuthorizationFailed\",\"message\":\"does not have authorization\"}}")));
		SourceResult<Usage> usage = this.metric.latest(AKS, WINDOW);
		assertThat(usage).isInstanceOfSatisfying(SourceResult.Failed.class,
				(failed) -> assertThat(failed.reason()).contains("HTTP 403").contains("Monitoring Reader"));
	}

}
