package dev.cpdoctor.troubleshoot;

import java.util.List;

import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * One of the causes of DOMAIN.md, with how to check it and what to do.
 *
 * @param number the cause's number in the symptom table (1-4)
 * @param title short name
 * @param check how to confirm it
 * @param remediations what to do, in order
 */
public record Cause(int number, String title, String check, List<Remediation> remediations) {

	public Cause {
		remediations = List.copyOf(remediations);
	}

}
