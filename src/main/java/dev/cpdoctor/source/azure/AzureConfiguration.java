package dev.cpdoctor.source.azure;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.CachingAksManagedClusterSource;
import dev.cpdoctor.source.CachingAuditAnalytics;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;
import dev.cpdoctor.source.loganalytics.LogAnalyticsAuditAnalytics;

/**
 * What Azure knows of AKS clusters: their audit log in Log Analytics, the platform's etcd
 * usage metric, the managed cluster resource. One credential; nothing calls Azure until a
 * page asks.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AzureProperties.class)
public class AzureConfiguration {

	@Bean
	AzureSources azureSources(AzureProperties azure) {
		return new AzureSources(azure);
	}

	/**
	 * The clusters with cpdoctor.clusters[].log-analytics: KQL costs money and workspace
	 * capacity, so answers are cached and concurrent identical questions share one query.
	 */
	@Bean
	ClusterRoute<AuditSources> logAnalyticsAudit(ClusterProperties clusters, AzureSources azure, Clock clock) {
		Map<String, AuditSources> audit = new LinkedHashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			ClusterProperties.LogAnalytics la = entry.logAnalytics();
			if (la == null || la.workspaceId() == null || la.workspaceId().isBlank()) {
				continue;
			}
			TableMode mode = switch (la.tableMode()) {
				case AKS_AUDIT -> TableMode.AKS_AUDIT;
				case AZURE_DIAGNOSTICS -> TableMode.AZURE_DIAGNOSTICS;
				case AUTO -> null;
			};
			String resourceId = (entry.azure() != null) ? entry.azure().resourceId() : null;
			LogAnalyticsAuditAnalytics corrected = azure.audit(la.workspaceId(), la.endpoint(), mode, resourceId,
					Form.CORRECTED);
			audit.put(entry.name(),
					new AuditSources(
							new CachingAuditAnalytics(corrected, CachingAuditAnalytics.Ttl.defaults(), 10_000, clock),
							new CachingAuditAnalytics(corrected.inForm(Form.DOCUMENTED),
									CachingAuditAnalytics.Ttl.defaults(), 10_000, clock),
							corrected));
		}
		return ClusterRoute.byName(audit);
	}

	/**
	 * AKS clusters with cpdoctor.clusters[].azure.resource-id:
	 * etcd_database_usage_percentage.
	 */
	@Bean
	ClusterRoute<PlatformEtcdUsage> aksEtcdUsage(ClusterProperties clusters, AzureSources azure) {
		Map<String, PlatformEtcdUsage> platform = new LinkedHashMap<>();
		clusters.aksResourceIds().forEach((name, id) -> platform.put(name, azure.etcdUsageMetric(id)));
		return ClusterRoute.byName(platform);
	}

	/**
	 * The managed cluster resource of AKS clusters with a resource id (its SKU tier for
	 * cause 3), read from Azure Resource Manager on demand, kept ten minutes (a failure
	 * one).
	 */
	@Bean
	AksManagedClusterSource aksManagedClusterSource(AzureSources azure, ClusterProperties clusters) {
		return new CachingAksManagedClusterSource(azure.managedClusters(clusters.aksResourceIds()),
				CachingAksManagedClusterSource.Ttl.defaults());
	}

}
