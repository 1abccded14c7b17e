package dev.cpdoctor.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster catalog as the application wires it from cpdoctor.clusters[] and stored
 * history, and the configurations it refuses at start-up.
 */
class ClusterConfigurationTests {

	private final ApplicationContextRunner runner = WiringRunners.clusters();

	@Test
	void configuredClustersComeFirstThenTheDemo() {
		this.runner.withPropertyValues("cpdoctor.clusters[0].name=prod-weu", "cpdoctor.clusters[0].provider=aks")
			.run((context) -> {
				ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
				assertThat(catalog.all()).extracting(Cluster::name).containsExactly("prod-weu", "demo");
				assertThat(catalog.find("prod-weu").orElseThrow().provider()).isEqualTo(Provider.AKS);
				assertThat(catalog.defaultCluster()).map(Cluster::name).contains("prod-weu");
			});
	}

	@Test
	void withoutTheDemoOnlyTheConfiguredClustersAreOffered() {
		this.runner.withPropertyValues("cpdoctor.demo.enabled=false", "cpdoctor.clusters[0].name=lab")
			.run((context) -> assertThat(context.getBean(ClusterCatalog.class).all()).extracting(Cluster::name)
				.containsExactly("lab"));
	}

	@Test
	void clustersKnownOnlyFromStoredHistoryAreOfferedOffline() {
		new ApplicationContextRunner().withUserConfiguration(ClusterConfiguration.class)
			.withPropertyValues("cpdoctor.kubeconfig.offer-current-context=false")
			.withBean(StoredClusters.class, () -> () -> List.of("bundle-17", "demo"))
			.run((context) -> {
				ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
				assertThat(catalog.all()).extracting(Cluster::name).containsExactly("demo", "bundle-17");
				assertThat(catalog.find("bundle-17").orElseThrow().provider()).isEqualTo(Provider.OFFLINE);
			});
	}

	@Test
	void aClusterWithBothLogAnalyticsAndAnAuditSourceFailsStartUp() {
		this.runner
			.withPropertyValues("cpdoctor.clusters[0].name=prod-weu",
					"cpdoctor.clusters[0].log-analytics.workspace-id=11111111-2222-3333-4444-555555555555",
					"cpdoctor.clusters[0].audit.webhook-token=t0k3n")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("Cluster 'prod-weu' has both cpdoctor.clusters[].log-analytics")
				.hasMessageContaining("choose one audit source"));
	}

	@Test
	void theDemosNameIsTheDemosWhileTheDemoIsOn() {
		this.runner.withPropertyValues("cpdoctor.clusters[0].name=demo")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("the name 'demo' belongs to the built-in demo"));
		this.runner.withPropertyValues("cpdoctor.demo.enabled=false", "cpdoctor.clusters[0].name=demo")
			.run((context) -> assertThat(context.getBean(ClusterCatalog.class).find("demo").orElseThrow().provider())
				.isEqualTo(Provider.SELF_MANAGED));
	}

}
