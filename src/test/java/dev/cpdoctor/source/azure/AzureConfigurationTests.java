package dev.cpdoctor.source.azure;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourcesConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure's sources as the application wires them: an AKS cluster with a Log Analytics
 * workspace gets its audit route (both forms and their KQL), one with a resource id its
 * platform metric and managed cluster; every other cluster none. Nothing calls Azure.
 */
class AzureConfigurationTests {

	private static final String WORKSPACE = "11111111-2222-3333-4444-555555555555";

	private static final String ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	private final ApplicationContextRunner runner = WiringRunners.clusters()
		.withUserConfiguration(AzureConfiguration.class, SourcesConfiguration.class)
		.withPropertyValues("cpdoctor.azure.credential=none", "cpdoctor.clusters[0].name=prod-weu",
				"cpdoctor.clusters[0].provider=aks", "cpdoctor.clusters[0].log-analytics.workspace-id=" + WORKSPACE,
				"cpdoctor.clusters[0].azure.resource-id=" + ID, "cpdoctor.clusters[1].name=lab");

	@Test
	void aLogAnalyticsClusterGetsItsAuditRouteInBothFormsWithItsQueries() {
		this.runner.run((context) -> {
			ClusterSources sources = context.getBean(ClusterSources.class);
			Cluster prod = cluster(context.getBean(ClusterCatalog.class), "prod-weu");
			Cluster lab = cluster(context.getBean(ClusterCatalog.class), "lab");
			assertThat(sources.hasDocumentedForm(prod)).isTrue();
			assertThat(sources.queryText(prod)).isPresent();
			assertThat(sources.hasDocumentedForm(lab)).isFalse();
			assertThat(sources.queryText(lab)).isEmpty();
		});
	}

	@Test
	void anAksClusterWithAResourceIdGetsThePlatformMetricAndItsManagedCluster() {
		this.runner.run((context) -> {
			ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
			List<ClusterRoute<PlatformEtcdUsage>> platform = context
				.<ClusterRoute<PlatformEtcdUsage>>getBeanProvider(
						ResolvableType.forClassWithGenerics(ClusterRoute.class, PlatformEtcdUsage.class))
				.orderedStream()
				.toList();
			assertThat(ClusterRoute.find(platform, cluster(catalog, "prod-weu"))).isPresent();
			assertThat(ClusterRoute.find(platform, cluster(catalog, "lab"))).isEmpty();
			assertThat(context.getBean(AksManagedClusterSource.class).managedCluster(cluster(catalog, "lab")).error())
				.startsWith("no Azure resource id");
		});
	}

	private static Cluster cluster(ClusterCatalog catalog, String name) {
		return catalog.find(name).orElseThrow();
	}

}
