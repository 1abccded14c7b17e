package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.source.AksGuardSource.Guard;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AKS part of cause 3: the guard FlowSchema's evidence and verdict rule, and the Free
 * tier hint.
 */
class ExcessiveListCheckAksTests {

	static final String V1 = "flowcontrol.apiserver.k8s.io/v1";

	static final Optional<AksClusterId> ID = AksClusterId
		.fromResourceId("/subscriptions/00000000-1111-2222-3333-444444444444"
				+ "/resourceGroups/rg-prod/providers/Microsoft.ContainerService/managedClusters/aks-prod");

	static CauseDiagnosis base(Verdict verdict) {
		return CauseDiagnosis.of(SymptomTable.EXCESSIVE_CALLS, verdict, List.of(Evidence.of("audit", "audit fact")),
				SymptomTable.EXCESSIVE_CALLS.remediations());
	}

	static final SourceResult<AksManagedCluster> UNREAD = SourceResult.failed("no answer");

	static SourceResult<Guard> present() {
		return SourceResult.ok(new Guard(true, 300, AksGuardSource.FLOW_SCHEMA, V1));
	}

	@Test
	void aPresentGuardIsEvidenceFirstAndRaisesTheVerdictToPossible() {
		for (Verdict before : List.of(Verdict.UNLIKELY, Verdict.UNKNOWN)) {
			CauseDiagnosis aks = AksEvidence.onAks(base(before), present(), UNREAD, ID);
			assertThat(aks.verdict()).isEqualTo(Verdict.POSSIBLE);
			assertThat(aks.evidence().get(0).text())
				.startsWith("AKS is already throttling: FlowSchema aks-managed-apiserver-guard")
				.contains("matchingPrecedence 300")
				.contains("priority level aks-managed-apiserver-guard");
			assertThat(aks.remedies().get(0).command())
				.contains("kubectl get flowschema aks-managed-apiserver-guard -o yaml")
				.contains("kubectl get prioritylevelconfiguration aks-managed-apiserver-guard -o yaml");
		}
		assertThat(AksEvidence.onAks(base(Verdict.LIKELY), present(), UNREAD, ID).verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(AksEvidence.onAks(base(Verdict.POSSIBLE), present(), UNREAD, ID).verdict())
			.isEqualTo(Verdict.POSSIBLE);
	}

	@Test
	void anAbsentGuardIsSaidAndChangesNoVerdict() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)), UNREAD, ID);
		assertThat(aks.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(aks.evidence())
			.anyMatch((e) -> e.text().startsWith("FlowSchema aks-managed-apiserver-guard not present"));
	}

	@Test
	void anUnreadGuardGivesTheReason() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNKNOWN),
				SourceResult.failed("LIST /apis/flowcontrol.apiserver.k8s.io/v1/flowschemas answered HTTP 403"), UNREAD,
				ID);
		assertThat(aks.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(aks.evidence()).anyMatch((e) -> e.text().contains("is unknown") && e.text().contains("HTTP 403"));
	}

	@Test
	void anUnknownTierIsAHintWithTheCommandFromTheResourceId() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)), UNREAD, ID);
		assertThat(aks.evidence()).anyMatch((e) -> e.text().startsWith("AKS SKU tier unknown"));
		Remediation tier = aks.remedies().get(aks.remedies().size() - 1);
		assertThat(tier.summary()).startsWith("If this cluster is on the Free tier");
		assertThat(tier.command())
			.isEqualTo("az aks update --resource-group 'rg-prod' --name 'aks-prod' --tier standard");
	}

	@Test
	void withoutAValidResourceIdTheHintIsAdviceWithPlaceholders() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)),
				SourceResult.failed("no Azure resource id: set cpdoctor.clusters[].azure.resource-id to read it"),
				Optional.empty());
		Remediation tier = aks.remedies().get(aks.remedies().size() - 1);
		assertThat(tier.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(tier.summary())
			.contains("az aks update --resource-group <resource-group> --name <name> --tier standard");
	}

	@Test
	void theFreeTierIsAssertedWithTheCommandAndNoHigherVerdict() {
		CauseDiagnosis free = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)),
				managed("Free", "Succeeded", "Running"), ID);
		assertThat(free.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(free.evidence())
			.anyMatch((e) -> e.text().startsWith("AKS SKU tier Free (Azure Resource Manager): no uptime SLA"));
		assertThat(free.evidence()).noneMatch((e) -> e.text().contains("unknown"));
		Remediation tier = free.remedies().get(free.remedies().size() - 1);
		assertThat(tier.summary()).startsWith("This cluster is on the Free tier");
		assertThat(tier.command())
			.isEqualTo("az aks update --resource-group 'rg-prod' --name 'aks-prod' --tier standard");
		assertThat(tier.warnings()).containsExactly("The Standard tier is billed per cluster hour.");
	}

	@Test
	void standardAndPremiumAreSaidWithoutTheUpgradeHint() {
		for (String name : List.of("Standard", "Premium")) {
			CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)),
					managed(name, "Succeeded", "Running"), ID);
			assertThat(aks.evidence()).anyMatch((e) -> e.text()
				.equals("AKS SKU tier " + name + " (Azure Resource Manager): not the Free tier's smaller apiserver"));
			assertThat(aks.remedies())
				.noneMatch((r) -> r.summary().contains("Free tier") || r.summary().contains("az aks"));
			assertThat(aks.evidence()).noneMatch((e) -> e.text().contains("provisioning state"));
		}
	}

	@Test
	void anUnreadTierKeepsTheConditionalHintAndSaysWhy() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)),
				SourceResult.failed("Azure Resource Manager: HTTP 403 AuthorizationFailed"), ID);
		assertThat(aks.evidence())
			.anyMatch((e) -> e.text().startsWith("AKS SKU tier unknown (Azure Resource Manager: HTTP 403"));
		assertThat(aks.remedies().get(aks.remedies().size() - 1).summary())
			.startsWith("If this cluster is on the Free tier");
	}

	@Test
	void anOperationUnderWayIsEvidence() {
		CauseDiagnosis aks = AksEvidence.onAks(base(Verdict.UNLIKELY), SourceResult.ok(Guard.absent(V1)),
				managed("Standard", "Upgrading", "Running"), ID);
		assertThat(aks.evidence())
			.anyMatch((e) -> e.text().startsWith("AKS managed cluster: provisioning state Upgrading"));
		assertThat(aks.verdict()).isEqualTo(Verdict.UNLIKELY);
	}

	static SourceResult<AksManagedCluster> managed(String tier, String provisioning, String power) {
		return SourceResult.ok(new AksManagedCluster(tier, "1.30", "1.30.5", provisioning, power));
	}

}
