package dev.cpdoctor.troubleshoot;

import java.util.List;

/**
 * A row of the symptom table: what the user sees and the causes to check, in order.
 *
 * @param id used in URLs
 */
public record Symptom(String id, String title, String whatYouSee, List<Cause> causes) {

	public Symptom {
		causes = List.copyOf(causes);
	}

}
