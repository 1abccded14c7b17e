package dev.cpdoctor.source.loganalytics;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.AzureCliCredentialBuilder;
import com.azure.identity.ClientSecretCredentialBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.identity.ManagedIdentityCredentialBuilder;
import com.azure.identity.WorkloadIdentityCredentialBuilder;
import com.azure.monitor.query.LogsQueryClient;
import com.azure.monitor.query.LogsQueryClientBuilder;

import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;

/**
 * Builds Log Analytics audit sources: one LogsQueryClient per query endpoint, sharing the
 * configured credential. Nothing here calls Azure: a credential asks for a token on first query.
 */
public final class LogAnalyticsSources {

	private final AzureProperties properties;

	private final Map<String, LogsQueryClient> clients = new ConcurrentHashMap<>();

	private volatile TokenCredential credential;

	public LogAnalyticsSources(AzureProperties properties) {
		this.properties = properties;
	}

	/**
	 * @param tableMode null to detect the table
	 * @param clusterResourceId the AKS cluster's resource id, or null
	 */
	public LogAnalyticsAuditAnalytics audit(String workspaceId, URI endpoint, TableMode tableMode, String clusterResourceId,
			Form form) {
		return new LogAnalyticsAuditAnalytics(client(endpoint), workspaceId, tableMode, clusterResourceId, form,
				this.properties.serverTimeout());
	}

	private LogsQueryClient client(URI endpoint) {
		String key = (endpoint != null) ? endpoint.toString() : "";
		return this.clients.computeIfAbsent(key, (k) -> {
			LogsQueryClientBuilder builder = new LogsQueryClientBuilder()
				.httpClient(new JdkHttpClientBuilder().connectionTimeout(Duration.ofSeconds(10)).build())
				// 429 and 5xx: two retries honouring Retry-After, then the failure is shown on its panel.
				.retryOptions(new RetryOptions(new ExponentialBackoffOptions().setMaxRetries(2)
					.setBaseDelay(Duration.ofSeconds(1))
					.setMaxDelay(Duration.ofSeconds(10))));
			if (!k.isEmpty()) {
				builder.endpoint(k);
			}
			if (this.properties.credential() != AzureProperties.Credential.NONE) {
				builder.credential(credential());
			}
			return builder.buildClient();
		});
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
