package dev.cpdoctor.source.etcd;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.SourcesConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Etcd read directly as the application wires it: the clusters with
 * cpdoctor.clusters[].etcd endpoints are read, no other; start-up never calls etcd; the
 * maintenance thresholds are cpdoctor.etcd's.
 */
class EtcdConfigurationTests {

	private final ApplicationContextRunner runner = WiringRunners.clusters()
		.withUserConfiguration(EtcdConfiguration.class, SourcesConfiguration.class)
		.withPropertyValues("cpdoctor.clusters[0].name=lab",
				"cpdoctor.clusters[0].etcd.endpoints[0]=https://192.0.2.11:2379", "cpdoctor.clusters[1].name=bare");

	@Test
	void theClustersWithEndpointsAreReadDirectlyAndNoOther() {
		this.runner.run((context) -> {
			ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
			EtcdDirectSource etcd = context.getBean(EtcdDirectSource.class);
			assertThat(etcd.configured(catalog.find("lab").orElseThrow())).isTrue();
			assertThat(etcd.configured(catalog.find("bare").orElseThrow())).isFalse();
			assertThat(etcd.configured(catalog.find("demo").orElseThrow())).isFalse();
		});
	}

	@Test
	void theMaintenanceThresholdsAreConfigured() {
		this.runner.run((context) -> assertThat(context.getBean(MaintenanceThresholds.class))
			.isEqualTo(MaintenanceThresholds.defaults()));
		this.runner
			.withPropertyValues("cpdoctor.etcd.defrag-in-use-below=0.3", "cpdoctor.etcd.defrag-min-free=1GB",
					"cpdoctor.etcd.compaction-max-pending-revisions=5000")
			.run((context) -> assertThat(context.getBean(MaintenanceThresholds.class))
				.isEqualTo(new MaintenanceThresholds(0.3, 1L << 30, 5000)));
	}

}
