package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Optional;

/**
 * The symptom table of DOMAIN.md, as data the troubleshooting pages and the diagnosis
 * walk through: each row what the user sees, and the checks of its causes in order.
 */
public final class SymptomTable {

	public static final Cause NETWORK_RULES = NetworkCheck.CAUSE;

	public static final Cause OBJECT_LEAK = ObjectLeakCheck.CAUSE;

	public static final Cause EXCESSIVE_CALLS = ExcessiveListCheck.CAUSE;

	public static final Cause WEBHOOK_DEADLOCK = WebhookDeadlockCheck.CAUSE;

	private static final CauseCheck NETWORK = new NetworkCheck();

	private static final CauseCheck LEAK = new ObjectLeakCheck();

	private static final CauseCheck CALLS = new ExcessiveListCheck();

	private static final CauseCheck WEBHOOK = new WebhookDeadlockCheck();

	public static final List<Symptom> SYMPTOMS = List.of(new Symptom("timeouts", "API server timeouts",
			"Frequent timeouts beyond the provider SLA, e.g. kubectl commands time out", List.of(NETWORK, CALLS, LEAK)),
			new Symptom("high-latency", "High latency",
					"Kubernetes SLOs failing, e.g. listing pods takes more than 30 s", List.of(CALLS, LEAK)),
			new Symptom("webhook-failures", "apiserver CrashLoopBackOff / webhook call failures",
					"The apiserver cannot start, or calls fail with \"failed calling webhook\"", List.of(WEBHOOK)));

	private SymptomTable() {
	}

	public static Optional<Symptom> find(String id) {
		return SYMPTOMS.stream().filter((s) -> s.id().equals(id)).findFirst();
	}

}
