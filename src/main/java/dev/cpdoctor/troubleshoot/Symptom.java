package dev.cpdoctor.troubleshoot;

import java.util.List;

/**
 * A row of the symptom table: what the user sees and the causes to check, in order.
 *
 * @param id used in URLs
 * @param checks the checks of the causes, in the order the table lists them
 */
public record Symptom(String id, String title, String whatYouSee, List<CauseCheck> checks) {

	public Symptom {
		checks = List.copyOf(checks);
	}

	/** The causes to check, in order. */
	public List<Cause> causes() {
		return this.checks.stream().map(CauseCheck::cause).toList();
	}

}
