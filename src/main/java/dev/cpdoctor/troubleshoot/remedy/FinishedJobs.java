package dev.cpdoctor.troubleshoot.remedy;

import java.util.List;

/**
 * Cause 2's remedies for completed Jobs (DOMAIN.md, a known offender): delete the
 * finished ones now, and let new ones delete themselves with ttlSecondsAfterFinished.
 */
public final class FinishedJobs {

	/**
	 * An hour: long enough to read a finished Job's logs, short enough that none pile up.
	 */
	public static final int DEFAULT_TTL_SECONDS = 3600;

	/** A week. */
	public static final int MAX_TTL_SECONDS = 7 * 24 * 3600;

	private FinishedJobs() {
	}

	/**
	 * {@code kubectl delete jobs --field-selector status.successful=1}, in one namespace
	 * ({@code -n}) or in all ({@code -A}, namespace null).
	 * @throws InvalidRemedyParameter naming namespace when it is not a DNS-1123 label
	 */
	public static Remediation delete(String namespace) {
		if (namespace != null && !LeakedResource.DNS_LABEL.matcher(namespace).matches()) {
			throw new InvalidRemedyParameter("namespace", "a namespace is a DNS-1123 label (1-63 lower case letters,"
					+ " digits and '-', starting and ending with a letter or digit); none for all namespaces");
		}
		String scope = (namespace != null) ? "-n " + namespace : "-A";
		String where = (namespace != null) ? "in namespace " + namespace : "in all namespaces";
		return Remediation.command("Delete the Jobs that succeeded " + where,
				"kubectl delete jobs " + scope + " --field-selector status.successful=1\n",
				List.of("status.successful=1 matches Jobs with exactly one succeeded Pod (completions 1, the usual);"
						+ " a Job with more completions has status.successful=<its count>.",
						"Their Pods are deleted with them (background cascade).", PagedDelete.OVER_QUOTA_WARNING,
						"A CronJob keeps successfulJobsHistoryLimit (default 3) Jobs anyway; lower it rather than"
								+ " deleting those."));
	}

	public static Remediation ttlHint() {
		return ttlHint(DEFAULT_TTL_SECONDS);
	}

	/**
	 * The spec fields that make finished Jobs (and their Pods) go away on their own: in a
	 * Job's spec, and in a CronJob's jobTemplate with short histories. A fragment to edit
	 * into the manifests of whoever creates the Jobs, as YAML with comments.
	 * @throws InvalidRemedyParameter naming ttlSecondsAfterFinished when it is not 0 to a
	 * week
	 */
	public static Remediation ttlHint(int ttlSeconds) {
		if (ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
			throw new InvalidRemedyParameter("ttlSecondsAfterFinished", "0 to " + MAX_TTL_SECONDS + " seconds");
		}
		String text = String.join("\n",
				"# In a Job (batch/v1): deleted with its Pods " + ttlSeconds + " s after it finishes, whether it"
						+ " succeeded or failed (TTL-after-finished, GA in Kubernetes 1.23).",
				"spec:", "  ttlSecondsAfterFinished: " + ttlSeconds, "---",
				"# In a CronJob (batch/v1): the same for the Jobs it creates, and short histories.", "spec:",
				"  successfulJobsHistoryLimit: 3", "  failedJobsHistoryLimit: 1", "  jobTemplate:", "    spec:",
				"      ttlSecondsAfterFinished: " + ttlSeconds) + "\n";
		return Remediation.yaml("Let finished Jobs delete themselves: set ttlSecondsAfterFinished", text, List.of(
				"Fragments to merge into the Job or CronJob manifests of whoever creates the Jobs, not to apply as"
						+ " they are.",
				"Set on an existing Job, the TTL counts from when it finished: one that finished long ago is"
						+ " deleted at once."));
	}

}
