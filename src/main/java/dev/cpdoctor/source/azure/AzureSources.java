package dev.cpdoctor.source.azure;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpPipelineBuilder;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.BearerTokenAuthenticationPolicy;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.HttpPipelinePolicy;
import com.azure.core.http.policy.RequestRetryCondition;
import com.azure.core.http.policy.RetryOptions;
import com.azure.core.http.policy.RetryPolicy;
import com.azure.core.http.policy.UserAgentPolicy;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;
import com.azure.monitor.query.MetricsQueryClient;
import com.azure.monitor.query.MetricsQueryClientBuilder;

import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.azuremonitor.AksEtcdUsageMetric;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;
import dev.cpdoctor.source.loganalytics.LogAnalyticsAuditAnalytics;

/**
 * Builds the Azure sources: Log Analytics audit analytics (one LogsQueryClient per query
 * endpoint), the AKS etcd platform metric (one MetricsQueryClient) and the AKS managed
 * cluster resource (an azure-core pipeline to Azure Resource Manager), sharing the
 * configured credential. Nothing here calls Azure: a credential asks for a token on first
 * query.
 */
public final class AzureSources {

	private final AzureProperties properties;

	private final Map<String, LogsQueryClient> clients = new ConcurrentHashMap<>();

	private volatile TokenCredential credential;

	private volatile MetricsQueryClient metricsClient;

	public AzureSources(AzureProperties properties) {
		this.properties = properties;
	}

	/**
	 * @param tableMode null to detect the table
	 * @param clusterResourceId the AKS cluster's resource id, or null
	 */
	public LogAnalyticsAuditAnalytics audit(String workspaceId, URI endpoint, TableMode tableMode,
			String clusterResourceId, Form form) {
		return new LogAnalyticsAuditAnalytics(client(endpoint), workspaceId, tableMode, clusterResourceId, form,
				this.properties.serverTimeout());
	}

	/**
	 * The AKS platform metric etcd_database_usage_percentage of a managed cluster
	 * resource.
	 */
	public PlatformEtcdUsage etcdUsageMetric(String clusterResourceId) {
		MetricsQueryClient client = this.metricsClient;
		if (client == null) {
			MetricsQueryClientBuilder builder = new MetricsQueryClientBuilder()
				.httpClient(new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).build())
				.retryOptions(retryOptions());
			if (this.properties.metricsEndpoint() != null) {
				builder.endpoint(this.properties.metricsEndpoint().toString());
			}
			if (this.properties.credential() != AzureProperties.Credential.NONE) {
				builder.credential(credential());
			}
			client = builder.buildClient();
			this.metricsClient = client;
		}
		return new AksEtcdUsageMetric(client, clusterResourceId);
	}

	/**
	 * The managed cluster resources (SKU tier, versions, state) of the AKS clusters, read
	 * from Azure Resource Manager at cpdoctor.azure.management-endpoint.
	 * @param resourceIds cpdoctor.clusters[].azure.resource-id per cluster name
	 * (validated when read)
	 */
	public AksManagedClusterSource managedClusters(Map<String, String> resourceIds) {
		HttpClient http = new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10))
			.responseTimeout(this.properties.managementTimeout())
			.build();
		return new ArmManagedClusterSource(managementPipeline(http, retryOptions()),
				this.properties.managementEndpoint(), resourceIds, this.properties.managementTimeout());
	}

	/**
	 * The pipeline to Azure Resource Manager: our user agent, the retry policy (per
	 * attempt), then the bearer token for the management scope (azure-core sends it over
	 * HTTPS only), unless the credential is none.
	 */
	HttpPipeline managementPipeline(HttpClient http, RetryOptions retry) {
		List<HttpPipelinePolicy> policies = new ArrayList<>();
		policies.add(new UserAgentPolicy("control-plane-doctor"));
		policies.add(new RetryPolicy(retry));
		if (this.properties.credential() != AzureProperties.Credential.NONE) {
			policies.add(new BearerTokenAuthenticationPolicy(credential(), ArmManagedClusterSource.SCOPE));
		}
		return new HttpPipelineBuilder().httpClient(http).policies(policies.toArray(HttpPipelinePolicy[]::new)).build();
	}

	/**
	 * 429 and 5xx: two retries honouring Retry-After, then the failure is shown on its
	 * panel. Not 504: that is the query running past its server timeout, and running it
	 * again costs the same.
	 */
	static RetryOptions retryOptions() {
		return new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(2)
			.setBaseDelay(Duration.ofSeconds(1))
			.setMaxDelay(Duration.ofSeconds(10))).setShouldRetryCondition(AzureSources::shouldRetry);
	}

	static boolean shouldRetry(RequestRetryCondition condition) {
		if (condition.getResponse() == null) {
			return condition.getThrowable() instanceof IOException
					|| condition.getThrowable() instanceof TimeoutException;
		}
		int status = condition.getResponse().getStatusCode();
		return status == 429 || status == 408 || (status >= 500 && status != 501 && status != 504 && status != 505);
	}

	private LogsQueryClient client(URI endpoint) {
		String key = (endpoint != null) ? endpoint.toString() : "";
		return this.clients.computeIfAbsent(key, (k) -> {
			LogsQueryClientBuilder builder = new LogsQueryClientBuilder()
				.httpClient(new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).build())
				.retryOptions(retryOptions());
			if (!k.isEmpty()) {
				builder.endpoint(k);
			}
			if (this.properties.credential() != AzureProperties.Credential.NONE) {
				builder.credential(credential());
			}
			return builder.buildClient();
		});
	}

	/**
	 * The credential a test gives (a fake token source); null builds the configured one
	 * on first use.
	 */
	AzureSources withCredential(TokenCredential credential) {
		this.credential = credential;
		return this;
	}

	private TokenCredential credential() {
		TokenCredential current = this.credential;
		if (current == null) {
			current = switch (this.properties.credential()) {
				case DEFAULT -> new DefaultAzureCredentialBuilder().build();
				case CLI -> new AzureCliCredentialBuilder().build();
				case MANAGED_IDENTITY -> (this.properties.clientId() != null)
						? new ManagedIdentityCredentialBuilder().clientId(this.properties.clientId()).build()
						: new ManagedIdentityCredentialBuilder().build();
				case WORKLOAD_IDENTITY -> new WorkloadIdentityCredentialBuilder().build();
				case CLIENT_SECRET -> new ClientSecretCredentialBuilder().tenantId(this.properties.tenantId())
					.clientId(this.properties.clientId())
					.clientSecret(this.properties.clientSecret())
					.build();
				case NONE -> throw new IllegalStateException("no credential is configured");
			};
			this.credential = current;
		}
		return current;
	}

}
