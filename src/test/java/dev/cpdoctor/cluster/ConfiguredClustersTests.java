package dev.cpdoctor.cluster;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.cluster.ClusterProperties.ClusterEntry;

import static dev.cpdoctor.cluster.CatalogFixtures.bind;
import static dev.cpdoctor.cluster.CatalogFixtures.entry;
import static dev.cpdoctor.cluster.CatalogFixtures.names;
import static dev.cpdoctor.cluster.CatalogFixtures.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The clusters of the configuration (cpdoctor.clusters): bound from property values,
 * their provider's etcd quota unless overridden, their access, and the names refused.
 */
class ConfiguredClustersTests {

	@Test
	void selfManagedClusterGetsTwoGibQuota() {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("kubeadm-lab", Provider.SELF_MANAGED)), false, false, null));

		Cluster cluster = catalog.find("kubeadm-lab").orElseThrow();
		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(cluster.etcdQuota().toBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
		assertThat(cluster.origin()).isEqualTo("configuration");
		assertThat(cluster.access().mode()).isEqualTo(KubeAccess.Mode.NONE);
	}

	@Test
	void etcdQuotaOverrideWins() {
		ClusterEntry entry = new ClusterEntry("kubeadm-lab", Provider.SELF_MANAGED, "lab", false,
				DataSize.ofGigabytes(6), null, null, null, null);

		Cluster cluster = ClusterCatalog.from(properties(List.of(entry), false, false, null))
			.find("kubeadm-lab")
			.orElseThrow();

		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(6));
		assertThat(cluster.access()).isEqualTo(KubeAccess.context("lab", null));
	}

	@Test
	void inClusterEntryUsesTheServiceAccount() {
		ClusterEntry entry = new ClusterEntry("here", Provider.AKS, "ignored", true, null, null, null, null, null);

		Cluster cluster = ClusterCatalog.from(properties(List.of(entry), false, false, null))
			.find("here")
			.orElseThrow();

		assertThat(cluster.access().mode()).isEqualTo(KubeAccess.Mode.IN_CLUSTER);
		assertThat(cluster.etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
	}

	@Test
	void configuredClusterNamedDemoIsRejectedWhileTheDemoIsEnabled() {
		ClusterProperties properties = properties(List.of(entry("demo", Provider.AKS)), true, false, null);

		assertThatIllegalArgumentException().isThrownBy(() -> ClusterCatalog.from(properties))
			.withMessageContaining("'demo'")
			.withMessageContaining("built-in demo")
			.withMessageContaining("cpdoctor.demo.enabled=false");
	}

	@Test
	void configuredClusterMayBeNamedDemoWhenTheDemoIsDisabled() {
		ClusterCatalog catalog = ClusterCatalog
			.from(properties(List.of(entry("demo", Provider.AKS)), false, false, null));

		assertThat(catalog.all()).singleElement().satisfies((cluster) -> {
			assertThat(cluster.name()).isEqualTo("demo");
			assertThat(cluster.isDemo()).isFalse();
		});
	}

	@Test
	void duplicateNamesAreRejected() {
		ClusterProperties properties = properties(
				List.of(entry("prod", Provider.AKS), entry("stage", Provider.AKS), entry("prod", Provider.EKS)), false,
				false, null);

		assertThatIllegalArgumentException().isThrownBy(() -> ClusterCatalog.from(properties))
			.withMessageContaining("'prod'")
			.withMessageContaining("twice");
	}

	@Test
	void invalidNamesAreRejectedByCluster() {
		String tooLong = "a".repeat(64);
		for (String name : List.of("Prod", "my cluster", "<x>", "", "-prod", "prod-", "prod/eu", tooLong)) {
			assertThatIllegalArgumentException().as(name)
				.isThrownBy(() -> new Cluster(name, Provider.AKS, KubeAccess.none(), null, "configuration"))
				.withMessageContaining("is not valid");
		}
		assertThat(new Cluster("a".repeat(63), Provider.AKS, KubeAccess.none(), null, "configuration").name())
			.hasSize(63);
		assertThat(new Cluster("prod-weu.2_b", Provider.AKS, KubeAccess.none(), null, "configuration").name())
			.isEqualTo("prod-weu.2_b");
	}

	@Test
	void invalidConfiguredNameFailsTheCatalog() {
		assertThatIllegalArgumentException().isThrownBy(
				() -> ClusterCatalog.from(properties(List.of(entry("My Cluster", Provider.AKS)), false, false, null)))
			.withMessageContaining("My Cluster");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClusterCatalog.from(properties(List.of(entry(" ", Provider.AKS)), false, false, null)))
			.withMessageContaining("needs a name");
	}

	@Test
	void nonPositiveQuotaIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> new Cluster("prod", Provider.AKS, KubeAccess.none(), DataSize.ofBytes(0), "configuration"))
			.withMessageContaining("quota");
	}

	@Test
	void bindsKebabCaseProviderAndDataSizeQuota() {
		Map<String, String> values = new HashMap<>();
		values.put("cpdoctor.demo.enabled", "true");
		values.put("cpdoctor.demo.seed", "42");
		values.put("cpdoctor.kubeconfig.offer-current-context", "false");
		values.put("cpdoctor.clusters[0].name", "kubeadm-lab");
		values.put("cpdoctor.clusters[0].provider", "self-managed");
		values.put("cpdoctor.clusters[0].etcd-quota", "4GB");
		values.put("cpdoctor.clusters[0].context", "lab-admin");
		values.put("cpdoctor.clusters[1].name", "prod-weu");
		values.put("cpdoctor.clusters[1].provider", "aks");
		values.put("cpdoctor.clusters[1].in-cluster", "true");
		values.put("cpdoctor.clusters[2].name", "plain");

		ClusterProperties properties = bind(values);

		assertThat(properties.demo().seed()).isEqualTo(42);
		assertThat(properties.kubeconfig().offerCurrentContext()).isFalse();
		assertThat(properties.clusters()).hasSize(3);
		ClusterEntry lab = properties.clusters().get(0);
		assertThat(lab.provider()).isEqualTo(Provider.SELF_MANAGED);
		assertThat(lab.etcdQuota()).isEqualTo(DataSize.ofGigabytes(4));
		assertThat(lab.etcdQuota().toBytes()).isEqualTo(4L * 1024 * 1024 * 1024);
		assertThat(lab.context()).isEqualTo("lab-admin");
		assertThat(lab.inCluster()).isFalse();
		assertThat(properties.clusters().get(1).provider()).isEqualTo(Provider.AKS);
		assertThat(properties.clusters().get(1).inCluster()).isTrue();
		assertThat(properties.clusters().get(2).provider()).as("default provider").isEqualTo(Provider.SELF_MANAGED);

		ClusterCatalog catalog = ClusterCatalog.from(properties);
		assertThat(names(catalog)).containsExactly("kubeadm-lab", "prod-weu", "plain", ClusterCatalog.DEMO_NAME);
		assertThat(catalog.find("kubeadm-lab").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(4));
		assertThat(catalog.find("prod-weu").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(8));
		assertThat(catalog.find("plain").orElseThrow().etcdQuota()).isEqualTo(DataSize.ofGigabytes(2));
		assertThat(catalog.defaultCluster()).map(Cluster::name).contains("kubeadm-lab");
	}

}
