package dev.cpdoctor.source.azure;

import java.net.URI;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reaching Azure, prefix {@code cpdoctor.azure}.
 *
 * @param credential default | cli | managed-identity | workload-identity | client-secret
 * | none (none: no token is sent, for a proxy that authenticates itself)
 * @param tenantId for client-secret
 * @param clientId for client-secret; for managed-identity a user-assigned identity
 * @param clientSecret for client-secret
 * @param serverTimeout how long Log Analytics may run a query (sent as Prefer: wait)
 * @param metricsEndpoint the Azure Resource Manager endpoint for platform metrics; empty
 * for the public cloud
 * @param managementEndpoint the Azure Resource Manager endpoint the managed cluster
 * resource (its SKU tier) is read from: https://management.azure.com (the public cloud,
 * whose token scope is asked for), or a proxy or a local server in tests
 * @param managementTimeout how long reading the managed cluster may take, retries
 * included
 */
@ConfigurationProperties("cpdoctor.azure")
public record AzureProperties(@DefaultValue("default") Credential credential, String tenantId, String clientId,
		String clientSecret, @DefaultValue("60s") Duration serverTimeout, URI metricsEndpoint,
		@DefaultValue("https://management.azure.com") URI managementEndpoint,
		@DefaultValue("10s") Duration managementTimeout) {

	public enum Credential {

		DEFAULT, CLI, MANAGED_IDENTITY, WORKLOAD_IDENTITY, CLIENT_SECRET, NONE

	}

	public AzureProperties {
		if (credential == Credential.CLIENT_SECRET && (tenantId == null || clientId == null || clientSecret == null)) {
			throw new IllegalArgumentException(
					"cpdoctor.azure.credential=client-secret needs cpdoctor.azure.tenant-id, client-id and client-secret");
		}
		if (managementEndpoint == null) {
			managementEndpoint = URI.create("https://management.azure.com");
		}
		if (managementTimeout == null) {
			managementTimeout = Duration.ofSeconds(10);
		}
		if (managementTimeout.isNegative() || managementTimeout.isZero()) {
			throw new IllegalArgumentException(
					"cpdoctor.azure.management-timeout must be positive, got " + managementTimeout);
		}
	}

}
