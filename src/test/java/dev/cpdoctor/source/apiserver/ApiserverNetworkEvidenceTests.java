package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

class ApiserverNetworkEvidenceTests {

	private static final String ID = "/subscriptions/0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f21/resourceGroups/rg-prod"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	private static final TimeWindow HOUR = TimeWindow.ending(Instant.parse("2026-11-22T12:00:00Z"),
			Duration.ofHours(1));

	private static Cluster cluster(String name, Provider provider) {
		return new Cluster(name, provider, KubeAccess.context(name, null), null, "configuration");
	}

	private final ApiserverNetworkEvidence evidence = new ApiserverNetworkEvidence((cluster) -> {
		throw new AssertionError("not asked here");
	}, (cluster) -> !cluster.name().equals("unscraped"), (cluster, window) -> {
		if (cluster.name().equals("broken")) {
			throw new IllegalStateException("Database is closed\nstack...");
		}
		return CallHistory.of(window, List.of(), false);
	}, Map.of("prod-weu", ID, "typo", ID.replace("/resourceGroups/", "/resourceGroup/"), "hostile",
			ID.replace("rg-prod", "rg';reboot;'")));

	@Test
	void aksClustersGetTheKubectlAksCommandsOfTheirOwnResourceId() {
		assertThat(this.evidence.connectivityCheck(cluster("prod-weu", Provider.AKS)).commands().get(0))
			.isEqualTo("kubectl aks config import --subscription='0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f21'"
					+ " --resource-group='rg-prod' --cluster-name='prod-weu'");
		assertThat(this.evidence.connectivityCheck(cluster("prod-weu", Provider.AKS)).success())
			.isEqualTo("Connectivity check: succeeded");
	}

	@Test
	void invalidOrMissingIdsAndOtherProvidersGetTheReadyzHint() {
		for (String name : new String[] { "typo", "hostile" }) {
			assertThat(this.evidence.connectivityCheck(cluster(name, Provider.AKS)))
				.isEqualTo(ConnectivityCommands.aksWithoutId(true));
		}
		assertThat(this.evidence.connectivityCheck(cluster("hostile", Provider.AKS)).toString())
			.doesNotContain("reboot");
		assertThat(this.evidence.connectivityCheck(cluster("unknown", Provider.AKS)))
			.isEqualTo(ConnectivityCommands.aksWithoutId(false));
		assertThat(this.evidence.connectivityCheck(cluster("prod-weu", Provider.EKS)))
			.as("a resource id of a cluster that is not AKS is not used")
			.isEqualTo(ConnectivityCommands.readyz());
	}

	@Test
	void callHistoryIsAValueAlsoWhenItCannotBeRead() {
		assertThat(this.evidence.callHistory(cluster("lab", Provider.SELF_MANAGED), HOUR))
			.isInstanceOf(SourceResult.Ok.class);
		assertThat(this.evidence.callHistory(cluster("unscraped", Provider.SELF_MANAGED), HOUR))
			.isInstanceOf(SourceResult.Failed.class);
		assertThat(this.evidence.callHistory(cluster("broken", Provider.SELF_MANAGED), HOUR))
			.isEqualTo(SourceResult.failed("cannot read the own call history: Database is closed"));
	}

}
