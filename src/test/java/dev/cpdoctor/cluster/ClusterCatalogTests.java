package dev.cpdoctor.cluster;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

import static dev.cpdoctor.cluster.CatalogFixtures.AKS_SERVER;
import static dev.cpdoctor.cluster.CatalogFixtures.bind;
import static dev.cpdoctor.cluster.CatalogFixtures.entry;
import static dev.cpdoctor.cluster.CatalogFixtures.kubeconfig;
import static dev.cpdoctor.cluster.CatalogFixtures.missing;
import static dev.cpdoctor.cluster.CatalogFixtures.names;
import static dev.cpdoctor.cluster.CatalogFixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clusters a catalog offers when nothing else is said (the built-in demo) and the one
 * it picks as the default: a configured cluster, else the demo, else the kubeconfig's
 * current context.
 */
class ClusterCatalogTests {

	@TempDir
	Path dir;

	// ---------------------------------------------------------------- demo

	@Test
	void demoIsOfferedByDefault() {
		ClusterProperties properties = bind(Map.of("cpdoctor.kubeconfig.path", missing(this.dir).toString()));

		assertThat(properties.demo().enabled()).isTrue();
		assertThat(properties.kubeconfig().offerCurrentContext()).isTrue();
		assertThat(properties.clusters()).isEmpty();
		ClusterCatalog catalog = ClusterCatalog.from(properties);
		assertThat(names(catalog)).containsExactly(ClusterCatalog.DEMO_NAME);
		Cluster demo = catalog.find(ClusterCatalog.DEMO_NAME).orElseThrow();
		assertThat(demo.isDemo()).isTrue();
		assertThat(demo.provider()).isEqualTo(Provider.DEMO);
		assertThat(demo.access().mode()).isEqualTo(KubeAccess.Mode.NONE);
		assertThat(demo.etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
		assertThat(catalog.defaultCluster()).contains(demo);
	}

	@Test
	void demoIsNotOfferedWhenDisabled() {
		ClusterProperties properties = bind(
				Map.of("cpdoctor.demo.enabled", "false", "cpdoctor.kubeconfig.path", missing(this.dir).toString()));

		ClusterCatalog catalog = ClusterCatalog.from(properties);

		assertThat(catalog.all()).isEmpty();
		assertThat(catalog.find(ClusterCatalog.DEMO_NAME)).isEmpty();
		assertThat(catalog.defaultCluster()).isEmpty();
	}

	// ---------------------------------------------------------------- default cluster

	@Test
	void defaultClusterPrefersConfiguredOverDemo() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("prod", Provider.AKS), entry("stage", Provider.AKS)), true, true,
					kubeconfig(this.dir, "weu-admin", AKS_SERVER)));

		assertThat(names(catalog)).containsExactly("prod", "stage", "weu-admin", ClusterCatalog.DEMO_NAME);
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("prod");
	}

	@Test
	void defaultClusterPrefersDemoOverDiscoveredKubeconfigContext() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(), true, true, kubeconfig(this.dir, "weu-admin", AKS_SERVER)));

		assertThat(names(catalog).get(0)).isEqualTo("weu-admin");
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains(ClusterCatalog.DEMO_NAME);
	}

	@Test
	void defaultClusterFallsBackToDiscoveredKubeconfigContext() throws IOException {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(), false, true, kubeconfig(this.dir, "weu-admin", AKS_SERVER)));

		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("weu-admin");
	}

}
