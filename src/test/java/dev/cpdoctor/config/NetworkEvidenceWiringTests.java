package dev.cpdoctor.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/** The network evidence as the application wires it: demo values for the demo, configuration for AKS. */
class NetworkEvidenceWiringTests {

	private static final String ID = "/subscriptions/0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f21/resourceGroups/rg-prod"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	@TempDir
	Path dataDir;

	@Test
	void theDemoGetsItsValuesAndAnAksClusterItsCommands() {
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(),
				"cpdoctor.clusters[0].name", "prod-weu", "cpdoctor.clusters[0].provider", "aks",
				"cpdoctor.clusters[0].azure.resource-id", ID, "cpdoctor.kubeconfig.offer-current-context", "false"))) {
			NetworkEvidenceSource evidence = app.bean(NetworkEvidenceSource.class);
			ClusterCatalog catalog = app.bean(ClusterCatalog.class);
			Cluster demo = catalog.find(ClusterCatalog.DEMO_NAME).orElseThrow();
			assertThat(evidence.probes(demo).bothPassed()).isTrue();
			Cluster aks = catalog.find("prod-weu").orElseThrow();
			assertThat(evidence.connectivityCheck(aks).success()).isEqualTo(ConnectivityCommands.AKS_SUCCESS);
			assertThat(evidence.connectivityCheck(aks).commands().get(0)).contains("--cluster-name='prod-weu'");
			assertThat(evidence.probes(aks).readyz().outcome()).as("no context configured").isEqualTo(Outcome.NOT_CALLED);
			assertThat(evidence.callHistory(aks, TimeWindow.ending(Instant.now(), Duration.ofHours(1))))
				.isInstanceOf(SourceResult.Failed.class);
		}
	}

}
