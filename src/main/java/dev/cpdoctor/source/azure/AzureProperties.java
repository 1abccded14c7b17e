package dev.cpdoctor.source.azure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reaching Azure, prefix {@code cpdoctor.azure}.
 *
 * @param credential default | cli | managed-identity | workload-identity | client-secret | none
 * (none: no token is sent, for a proxy that authenticates itself)
 * @param tenantId for client-secret
 * @param clientId for client-secret; for managed-identity a user-assigned identity
 * @param clientSecret for client-secret
 * @param serverTimeout how long Log Analytics may run a query (sent as Prefer: wait)
 * @param metricsEndpoint the Azure Resource Manager endpoint for platform metrics; empty for the public cloud
 */
@ConfigurationProperties("cpdoctor.azure")
public record AzureProperties(@DefaultValue("default") Credential credential, String tenantId, String clientId,
		String clientSecret, @DefaultValue("60s") Duration serverTimeout, java.net.URI metricsEndpoint) {

	public enum Credential {
		DEFAULT, CLI, MANAGED_IDENTITY, WORKLOAD_IDENTITY, CLIENT_SECRET, NONE
	}

	public AzureProperties {
		if (credential == Credential.CLIENT_SECRET && (tenantId == null || clientId == null || clientSecret == null)) {
			throw new IllegalArgumentException(
					"cpdoctor.azure.credential=client-secret needs cpdoctor.azure.tenant-id, client-id and client-secret");
		}
	}

}
