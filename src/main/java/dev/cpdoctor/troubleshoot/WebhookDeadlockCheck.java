package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.ApfSubject;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * Cause 4, an admission webhook deadlocks the apiserver. The facts: the cluster's
 * validating and mutating webhooks with their backends, and the Warning events saying
 * "failed calling webhook".
 * <ul>
 * <li>LIKELY when a webhook with failurePolicy Fail has no ready endpoints (it blocks
 * every matching request now), or any "failed calling webhook" event exists;</li>
 * <li>POSSIBLE when a Fail-policy webhook shows another risk sign: no namespaceSelector
 * excluding kube-system, timeoutSeconds over 10, or ready endpoints unknown;</li>
 * <li>UNLIKELY when the webhooks were read and none of the above holds;</li>
 * <li>UNKNOWN when the webhooks could not be read and no failure event was seen.</li>
 * </ul>
 * Remedies when LIKELY:
 * {@code kubectl delete validatingwebhookconfiguration|mutatingwebhookconfiguration
 * <name>} for each configuration holding a blocking webhook or one named in a failure
 * event (names validated as DNS-1123 subdomains; others get advice), with warnings; then
 * the static advice.
 */
public final class WebhookDeadlockCheck implements CauseCheck {

	/** The cause this class checks, as the symptom table lists it. */
	public static final Cause CAUSE = new Cause(4, "An admission webhook deadlocks the apiserver",
			"Webhooks with failurePolicy Fail whose service has no ready endpoints, no kube-system exclusion, long timeouts",
			List.of(new Remediation(
					"Delete the blocking webhook configuration (for Kyverno, follow its troubleshooting steps)",
					"kubectl delete mutatingwebhookconfiguration <name>"),
					new Remediation("Exclude kube-system with a namespaceSelector before re-installing", null)));

	static final int LONG_TIMEOUT_SECONDS = 10;

	/** The cluster's validating and mutating webhooks, with their backends. */
	public static final Fact<List<AdmissionWebhook>> WEBHOOKS = Fact.asked("the admission webhooks",
			(sources, cluster, window) -> sources.webhooks().webhooks(cluster));

	/** The Warning events saying "failed calling webhook". */
	public static final Fact<List<WebhookCallFailure>> FAILED_CALLS = Fact.asked("the failed webhook calls",
			(sources, cluster, window) -> sources.webhooks().failedCalls(cluster));

	@Override
	public Cause cause() {
		return CAUSE;
	}

	@Override
	public Set<Fact<?>> needs(Cluster cluster) {
		return Set.of(WEBHOOKS, FAILED_CALLS);
	}

	@Override
	public CauseDiagnosis diagnose(Examination exam) {
		return check(exam.get(WEBHOOKS), exam.get(FAILED_CALLS));
	}

	public static CauseDiagnosis check(SourceResult<List<AdmissionWebhook>> webhooks,
			SourceResult<List<WebhookCallFailure>> failures) {
		List<Evidence> evidence = new ArrayList<>();
		List<AdmissionWebhook> hooks = (webhooks instanceof SourceResult.Ok<List<AdmissionWebhook>> ok) ? ok.value()
				: List.of();
		if (webhooks instanceof SourceResult.Failed<?> failed) {
			evidence.add(Evidence.of("webhooks", "Webhook configurations unknown: " + failed.reason()));
		}
		List<WebhookCallFailure> calls = (failures instanceof SourceResult.Ok<List<WebhookCallFailure>> ok) ? ok.value()
				: List.of();
		if (failures instanceof SourceResult.Failed<?> failed) {
			evidence.add(Evidence.of("events", "Failed webhook calls unknown: " + failed.reason()));
		}
		// configuration name -> kind, in the order found: what to delete
		Map<String, AdmissionWebhook.Kind> blocking = new LinkedHashMap<>();
		boolean risky = riskyHooks(hooks, blocking, evidence);
		for (WebhookCallFailure call : calls) {
			evidence.add(new Evidence(call.count() + "x " + call.namespace() + " " + call.involvedObject() + " "
					+ call.reason() + ": " + call.message(), "events", (double) call.count(), null));
			String named = call.webhook();
			hooks.stream()
				.filter((h) -> h.name().equals(named))
				.findFirst()
				.ifPresent((h) -> blocking.putIfAbsent(h.configuration(), h.kind()));
		}
		if (webhooks instanceof SourceResult.Ok && blocking.isEmpty() && !risky && calls.isEmpty()) {
			evidence.add(Evidence.of("webhooks", hooks.size() + " webhooks, none failing closed with a risk sign",
					hooks.size()));
		}
		Verdict verdict = (!blocking.isEmpty() || !calls.isEmpty()) ? Verdict.LIKELY
				: risky ? Verdict.POSSIBLE : (webhooks instanceof SourceResult.Ok) ? Verdict.UNLIKELY : Verdict.UNKNOWN;
		List<Remediation> remedies = new ArrayList<>();
		if (verdict == Verdict.LIKELY) {
			blocking.forEach((name, kind) -> remedies.add(delete(name, kind)));
		}
		remedies.addAll(CAUSE.remediations().stream().filter((r) -> r.kind() == Remediation.Kind.ADVICE).toList());
		return CauseDiagnosis.of(CAUSE, verdict, evidence, remedies);
	}

	/**
	 * The webhooks that block every matching request now (added to {@code blocking}) or
	 * fail closed with a risk sign, as evidence; whether any is risky.
	 */
	private static boolean riskyHooks(List<AdmissionWebhook> hooks, Map<String, AdmissionWebhook.Kind> blocking,
			List<Evidence> evidence) {
		boolean risky = false;
		for (AdmissionWebhook hook : hooks) {
			if (hook.isBlockingNow()) {
				blocking.putIfAbsent(hook.configuration(), hook.kind());
				evidence.add(Evidence.of("webhooks", describe(hook) + ": " + String.join("; ", hook.riskSigns())));
			}
			else if (failsClosed(hook) && (!hook.excludesKubeSystem() || hook.timeoutSeconds() > LONG_TIMEOUT_SECONDS
					|| hook.readyEndpoints() == null)) {
				risky = true;
				List<String> signs = new ArrayList<>(hook.riskSigns());
				if (hook.readyEndpoints() == null && hook.service() != null) {
					signs.add("ready endpoints of " + hook.service() + " unknown");
				}
				evidence.add(Evidence.of("webhooks", describe(hook) + ": " + String.join("; ", signs)));
			}
		}
		return risky;
	}

	static final List<String> DELETE_WARNINGS = List.of(
			"Every request the webhook checked or changed goes through unchecked until it is installed again:"
					+ " policies it enforces are off meanwhile.",
			"Save it first: kubectl get <kind> <name> -o yaml > webhook-backup.yaml",
			"Its installer (Helm, an operator, Kyverno itself) may recreate it; once the webhook's pods run again,"
					+ " re-install it excluding kube-system with a namespaceSelector.",
			"For Kyverno, follow its troubleshooting steps for an apiserver blocked by its webhooks.");

	/**
	 * The delete command for a configuration with a valid name; advice naming it
	 * otherwise.
	 */
	static Remediation delete(String configuration, AdmissionWebhook.Kind kind) {
		String resource = (kind == AdmissionWebhook.Kind.MUTATING) ? "mutatingwebhookconfiguration"
				: "validatingwebhookconfiguration";
		if (!ApfSubject.isDnsSubdomain(configuration)) {
			return new Remediation(
					"Delete the " + resource + " named " + configuration
							+ " (its name is not a valid object name; look it up with kubectl get " + resource + ")",
					null);
		}
		return Remediation.command("Delete the blocking " + resource + " " + configuration,
				"kubectl get " + resource + " " + configuration + " -o yaml > " + configuration + ".backup.yaml\n"
						+ "kubectl delete " + resource + " " + configuration + "\n",
				DELETE_WARNINGS);
	}

	private static boolean failsClosed(AdmissionWebhook hook) {
		return "Fail".equalsIgnoreCase(hook.failurePolicy());
	}

	private static String describe(AdmissionWebhook hook) {
		return hook.kind().name().toLowerCase(Locale.ROOT) + " webhook " + hook.name() + " of " + hook.configuration();
	}

}
