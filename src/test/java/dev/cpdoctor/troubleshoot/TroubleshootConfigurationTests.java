package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.RoutedEtcdDirectSource;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The diagnosis as the application wires it over the sources it is given and the stores:
 * an AKS cluster's configured resource id reaches cause 3 (its tier and the az command).
 */
class TroubleshootConfigurationTests {

	private static final String ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	private static final TimeWindow HOUR = TimeWindow.ending(Instant.parse("2026-11-22T10:00:00Z"),
			Duration.ofHours(1));

	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(TroubleshootConfiguration.class, Sources.class)
		.withPropertyValues("cpdoctor.clusters[0].name=prod-weu", "cpdoctor.clusters[0].provider=aks",
				"cpdoctor.clusters[0].azure.resource-id=" + ID, "cpdoctor.clusters[1].name=lab");

	@Test
	void anAksClustersResourceIdReachesCauseThree() {
		this.runner.run((context) -> {
			Cluster prod = context.getBean(ClusterCatalog.class).find("prod-weu").orElseThrow();
			Diagnosis latency = context.getBean(Diagnoser.class)
				.diagnose(prod, SymptomTable.find("high-latency").orElseThrow(), HOUR, null);
			CauseDiagnosis calls = latency.causes().get(0);
			assertThat(calls.id()).isEqualTo(3);
			assertThat(calls.remedies().toString())
				.contains("az aks update --resource-group 'rg' --name 'prod-weu' --tier standard");
		});
	}

	@Test
	void everyFailingSourceIsAnUnknownCause() {
		this.runner.run((context) -> {
			Cluster lab = context.getBean(ClusterCatalog.class).find("lab").orElseThrow();
			Diagnosis timeouts = context.getBean(Diagnoser.class)
				.diagnose(lab, SymptomTable.find("timeouts").orElseThrow(), HOUR, null);
			assertThat(timeouts.causes()).extracting(CauseDiagnosis::verdict).containsOnly(Verdict.UNKNOWN);
		});
	}

	/**
	 * The sources as a cluster without any has them; Azure says every cluster is Free.
	 */
	@Configuration(proxyBeanMethods = false)
	static class Sources {

		@Bean
		ClusterSources clusterSources() {
			return new ClusterSources(List.of(), List.of(), List.of());
		}

		@Bean
		EtcdDirectSource etcdDirectSource() {
			return new RoutedEtcdDirectSource(List.of());
		}

		@Bean
		MaintenanceThresholds maintenanceThresholds() {
			return MaintenanceThresholds.defaults();
		}

		@Bean
		NetworkEvidence networkEvidence() {
			return NetworkEvidence.NONE;
		}

		@Bean
		AksGuardSource aksGuardSource() {
			return (cluster) -> SourceResult.ok(AksGuardSource.Guard.absent("flowcontrol.apiserver.k8s.io/v1"));
		}

		@Bean
		AksManagedClusterSource aksManagedClusterSource() {
			return (cluster) -> SourceResult.ok(new AksManagedCluster("Free", null, null, null, null));
		}

		@Bean
		FlowcontrolVersions flowcontrolVersions() {
			return (cluster) -> SourceResult.failed("no API discovery");
		}

		@Bean
		KnownKubernetesVersions knownKubernetesVersions() {
			return (cluster) -> Optional.empty();
		}

		@Bean(destroyMethod = "shutdownNow")
		SourceExecutor sourceExecutor() {
			return new SourceExecutor(4, Duration.ofSeconds(10));
		}

		@Bean
		Manifests manifests() {
			return new ClientManifests();
		}

	}

}
