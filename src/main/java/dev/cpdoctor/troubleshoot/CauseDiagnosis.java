package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Objects;

import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * One cause of the symptom table judged for a cluster and window.
 *
 * @param id the cause's number (1-4)
 * @param title its short name
 * @param verdict how it stands
 * @param evidence the facts behind the verdict, most telling first
 * @param remedies what to do, in order; generated for the cluster where the evidence
 * allows
 */
public record CauseDiagnosis(int id, String title, Verdict verdict, List<Evidence> evidence,
		List<Remediation> remedies) {

	public CauseDiagnosis {
		if (id < 1 || id > 4) {
			throw new IllegalArgumentException("causes are numbered 1-4, got " + id);
		}
		Objects.requireNonNull(title, "title");
		Objects.requireNonNull(verdict, "verdict");
		evidence = List.copyOf(evidence);
		remedies = List.copyOf(remedies);
	}

	static CauseDiagnosis of(Cause cause, Verdict verdict, List<Evidence> evidence, List<Remediation> remedies) {
		return new CauseDiagnosis(cause.number(), cause.title(), verdict, evidence, remedies);
	}

}
