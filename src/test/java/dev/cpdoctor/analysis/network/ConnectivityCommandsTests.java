package dev.cpdoctor.analysis.network;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ConnectivityCommandsTests {

	private static final String SUB = "0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f21";

	private static String id(String subscription, String group, String name) {
		return "/subscriptions/" + subscription + "/resourceGroups/" + group
				+ "/providers/Microsoft.ContainerService/managedClusters/" + name;
	}

	@Test
	void aksCommandsArePrefilledFromTheResourceId() {
		AksClusterId id = AksClusterId.fromResourceId(id(SUB, "rg-prod_weu.(core)", "prod-weu")).orElseThrow();
		assertThat(id).isEqualTo(new AksClusterId(SUB, "rg-prod_weu.(core)", "prod-weu"));
		ConnectivityCheck check = ConnectivityCommands.aks(id);
		assertThat(check.commands()).containsExactly(
				"kubectl aks config import --subscription='" + SUB
						+ "' --resource-group='rg-prod_weu.(core)' --cluster-name='prod-weu'",
				"kubectl aks check-apiserver-connectivity --node=\"$NODE\"");
		assertThat(check.success()).isEqualTo("Connectivity check: succeeded");
	}

	@Test
	void theFixedSegmentsOfAResourceIdAreCaseInsensitiveAsInAzure() {
		assertThat(AksClusterId.fromResourceId("/SUBSCRIPTIONS/" + SUB + "/resourcegroups/rg/providers/"
				+ "microsoft.containerservice/MANAGEDCLUSTERS/aks1"))
			.contains(new AksClusterId(SUB, "rg", "aks1"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "rg'; rm -rf ~; echo '", "rg$(reboot)", "rg`id`", "rg\nkubectl delete ns --all", "rg name",
			"rg;ls", "rg|sh", "rg&&x", "rg>out", "rg\\", "rg\"", "rg.", "gr\u00fcn", "rg\u2019", "rg\u0000", "" })
	void hostileOrInvalidResourceGroupsAreRefused(String group) {
		assertThat(AksClusterId.fromResourceId(id(SUB, group, "aks1"))).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> new AksClusterId(SUB, group, "aks1"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "aks1'", "aks$(id)", "-aks", "aks-", "aks.1", "aks 1",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "aks1\n", "aks1/extra" })
	void hostileOrInvalidClusterNamesAreRefused(String name) {
		assertThat(AksClusterId.fromResourceId(id(SUB, "rg", name))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-a-guid", "0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f2", "0b6f2d4e1c3a4f5b9e8d7a6c5b4a3f21",
			"0b6f2d4e-1c3a-4f5b-9e8d-7a6c5b4a3f2g", "$(id)", "'" })
	void subscriptionsThatAreNoGuidAreRefused(String subscription) {
		assertThat(AksClusterId.fromResourceId(id(subscription, "rg", "aks1"))).isEmpty();
	}

	@Test
	void otherResourceIdsAreRefused() {
		assertThat(AksClusterId.fromResourceId(null)).isEmpty();
		assertThat(AksClusterId.fromResourceId("")).isEmpty();
		assertThat(AksClusterId.fromResourceId(
				"/subscriptions/" + SUB + "/resourceGroups/rg/providers/" + "Microsoft.Compute/virtualMachines/vm1"))
			.isEmpty();
		assertThat(AksClusterId.fromResourceId(id(SUB, "rg", "aks1") + "/")).isEmpty();
		assertThat(AksClusterId.fromResourceId(id(SUB, "rg", "aks1") + "/agentPools/np1")).isEmpty();
		assertThat(AksClusterId.fromResourceId("x" + id(SUB, "rg", "aks1"))).isEmpty();
	}

	@Test
	void aLongestValidResourceGroupPasses() {
		String group = "r".repeat(90);
		assertThat(AksClusterId.fromResourceId(id(SUB, group, "aks1"))).map(AksClusterId::resourceGroup)
			.isEqualTo(Optional.of(group));
		assertThat(AksClusterId.fromResourceId(id(SUB, group + "r", "aks1"))).isEmpty();
	}

	@Test
	void withoutAValidIdTheGenericCheckIsOfferedAndTheValueNotRepeated() {
		ConnectivityCheck check = ConnectivityCommands.aksWithoutId(true);
		assertThat(check.commands()).containsExactly("kubectl get --raw='/readyz?verbose'");
		assertThat(check.success()).isEqualTo("readyz check passed");
		assertThat(check.notes()).last().asString().contains("is not a valid managed cluster resource id");
		assertThat(ConnectivityCommands.aksWithoutId(false).notes()).last()
			.asString()
			.startsWith("Configure cpdoctor.clusters[].azure.resource-id");
		assertThat(ConnectivityCommands.readyz().commands()).isEqualTo(List.of("kubectl get --raw='/readyz?verbose'"));
	}

}
