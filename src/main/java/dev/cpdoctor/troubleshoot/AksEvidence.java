package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Printable;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * Cause 3 on AKS clusters adds what AKS itself says: the FlowSchema
 * {@value AksGuardSource#FLOW_SCHEMA}, which AKS creates when it finds the apiserver
 * overwhelmed by LIST calls, means AKS is already throttling; then the verdict is at
 * least POSSIBLE (LIKELY stays LIKELY: the guard says the apiserver was overloaded, not
 * which client, so it alone does not call the cause LIKELY). Its absence, or a failure to
 * read it, changes nothing but the evidence. And the Free tier hint (DOMAIN.md): the Free
 * tier has no uptime SLA and a smaller apiserver; the remedy is the Standard tier, with
 * the {@code az aks update} command when the cluster's resource id is configured and
 * valid. The tier is read from Azure Resource Manager: Free asserts the hint, Standard or
 * Premium drops it, unknown keeps it conditional and says why it is unknown. The tier
 * never changes the verdict: it is a capacity that makes overload likelier, not evidence
 * that a client makes excessive calls.
 */
public final class AksEvidence {

	/** Whether AKS's guard FlowSchema exists. */
	public static final Fact<AksGuardSource.Guard> GUARD = Fact.asked("the AKS guard FlowSchema",
			(sources, cluster, window) -> sources.aksGuard().guard(cluster));

	/** The managed cluster resource from Azure Resource Manager (its SKU tier). */
	public static final Fact<AksManagedCluster> MANAGED_CLUSTER = Fact.asked("the AKS managed cluster",
			(sources, cluster, window) -> sources.managedClusters().managedCluster(cluster));

	/** The cluster's validated Azure identity, from configuration. */
	public static final Fact<Optional<AksClusterId>> CLUSTER_ID = Fact.asked("the AKS cluster's Azure identity",
			(sources, cluster, window) -> SourceResult.ok(sources.aksIds().apply(cluster)));

	static final Set<Fact<?>> FACTS = Set.of(GUARD, MANAGED_CLUSTER, CLUSTER_ID);

	private AksEvidence() {
	}

	static CauseDiagnosis onAks(CauseDiagnosis base, Examination exam) {
		return onAks(base, exam.get(GUARD), exam.get(MANAGED_CLUSTER),
				Optional.ofNullable(exam.get(CLUSTER_ID).value()).flatMap((id) -> id));
	}

	/**
	 * Cause 3 of an AKS cluster: the diagnosis of {@link ExcessiveListCheck#check} with
	 * the AKS guard FlowSchema's evidence (and verdict rule) and the Free tier hint.
	 * @param base the diagnosis of {@link ExcessiveListCheck#check}
	 * @param guard whether the guard FlowSchema exists, or why that is unknown
	 * @param managed the managed cluster resource from Azure (its SKU tier), or why it is
	 * unknown
	 * @param id the cluster's validated Azure identity, for the command; empty when not
	 * configured or invalid
	 */
	public static CauseDiagnosis onAks(CauseDiagnosis base, SourceResult<AksGuardSource.Guard> guard,
			SourceResult<AksManagedCluster> managed, Optional<AksClusterId> id) {
		List<Evidence> evidence = new ArrayList<>(base.evidence());
		List<Remediation> remedies = new ArrayList<>(base.remedies());
		boolean throttling = guard(guard, evidence, remedies);
		Verdict verdict = (throttling && (base.verdict() == Verdict.UNLIKELY || base.verdict() == Verdict.UNKNOWN))
				? Verdict.POSSIBLE : base.verdict();
		tier(managed, id, evidence, remedies);
		return new CauseDiagnosis(base.id(), base.title(), verdict, evidence, remedies);
	}

	/**
	 * The guard FlowSchema's evidence (first when AKS is throttling, with the command
	 * that shows what it throttles); whether AKS is throttling.
	 */
	private static boolean guard(SourceResult<AksGuardSource.Guard> guard, List<Evidence> evidence,
			List<Remediation> remedies) {
		String name = AksGuardSource.FLOW_SCHEMA;
		if (!(guard instanceof SourceResult.Ok<AksGuardSource.Guard> ok)) {
			evidence.add(Evidence.of("aks", "Whether AKS is already throttling (FlowSchema " + name + ") is unknown: "
					+ ObjectLeakCheck.reason(guard)));
			return false;
		}
		AksGuardSource.Guard found = ok.value();
		if (!found.present()) {
			evidence.add(Evidence.of("aks", "FlowSchema " + name + " not present (" + found.apiVersion()
					+ "): AKS is not throttling the apiserver"));
			return false;
		}
		evidence.add(0,
				new Evidence("AKS is already throttling: FlowSchema " + name + " exists (matchingPrecedence "
						+ ((found.matchingPrecedence() != null) ? found.matchingPrecedence() : "unset")
						+ ", priority level " + ((found.priorityLevel() != null) ? found.priorityLevel() : "unset")
						+ ", " + found.apiVersion() + "): AKS found the apiserver overwhelmed by LIST calls", "aks",
						null, null));
		boolean level = found.priorityLevel() != null
				&& ExcessiveListCheck.RESOURCE.matcher(found.priorityLevel()).matches();
		remedies.add(0, Remediation.command(
				"See which requests AKS throttles: the guard's subjects and rules, and its priority level's limits",
				"kubectl get flowschema " + name + " -o yaml"
						+ (level ? "\nkubectl get prioritylevelconfiguration " + found.priorityLevel() + " -o yaml"
								: ""),
				List.of("AKS manages this FlowSchema: fix the clients it throttles rather than edit or delete it.")));
		return true;
	}

	/**
	 * The SKU tier's evidence, and the Standard tier remedy unless the tier is known not
	 * to be Free: asserted on Free, conditional when unknown.
	 */
	private static void tier(SourceResult<AksManagedCluster> managed, Optional<AksClusterId> id,
			List<Evidence> evidence, List<Remediation> remedies) {
		if (managed instanceof SourceResult.Ok<AksManagedCluster> ok) {
			AksManagedCluster cluster = ok.value();
			evidence.add(Evidence.of("aks",
					"AKS SKU tier " + cluster.tier() + " (Azure Resource Manager)" + (cluster.isFreeTier()
							? ": no uptime SLA and a smaller apiserver, a frequent root cause of apiserver overload"
							: ": not the Free tier's smaller apiserver")));
			String state = state(cluster);
			if (state != null) {
				evidence.add(Evidence.of("aks", state));
			}
			if (!cluster.isFreeTier()) {
				return;
			}
		}
		else {
			evidence.add(Evidence.of("aks", "AKS SKU tier unknown (" + ObjectLeakCheck.reason(managed)
					+ "): on the Free tier the control plane has no uptime SLA and a smaller apiserver, a frequent root"
					+ " cause of apiserver overload"));
		}
		boolean free = managed.ok();
		String condition = free ? "This cluster is on the Free tier" : "If this cluster is on the Free tier";
		String summary = condition + " (no uptime SLA, a smaller apiserver): use the Standard tier for production";
		List<String> billed = List.of("The Standard tier is billed per cluster hour.");
		remedies.add(id
			.map((aks) -> Remediation.command(summary,
					"az aks update --resource-group '" + aks.resourceGroup() + "' --name '" + aks.name()
							+ "' --tier standard",
					free ? billed
							: List.of(billed.get(0),
									"Check the tier first: az aks show --resource-group '" + aks.resourceGroup()
											+ "' --name '" + aks.name() + "' --query sku.tier")))
			.orElseGet(() -> new Remediation(
					summary + " (az aks update --resource-group <resource-group> --name <name>"
							+ " --tier standard; set cpdoctor.clusters[].azure.resource-id to get it filled in)",
					Remediation.Kind.ADVICE, null,
					free ? billed : List.of(billed.get(0), "Check the tier first: az aks show --resource-group"
							+ " <resource-group> --name <name> --query sku.tier"))));
	}

	/**
	 * A line when the managed cluster is not simply running: an operation under way, a
	 * failure, stopped.
	 */
	static String state(AksManagedCluster cluster) {
		boolean succeeded = cluster.provisioningState() == null
				|| "Succeeded".equalsIgnoreCase(cluster.provisioningState());
		boolean running = cluster.powerState() == null || "Running".equalsIgnoreCase(cluster.powerState());
		if (succeeded && running) {
			return null;
		}
		return "AKS managed cluster: provisioning state " + Printable.line(String.valueOf(cluster.provisioningState()))
				+ ", power state " + Printable.line(String.valueOf(cluster.powerState()))
				+ (succeeded ? ""
						: " (an operation such as an upgrade or scaling is under way or failed: the apiserver may"
								+ " restart or be replaced meanwhile)");
	}

}
