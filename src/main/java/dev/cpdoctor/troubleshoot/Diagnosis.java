package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Objects;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * A symptom checked on one cluster over one window: its causes in the symptom table's
 * order, each with a verdict.
 */
public record Diagnosis(String cluster, Symptom symptom, TimeWindow window, List<CauseDiagnosis> causes) {

	public Diagnosis {
		Objects.requireNonNull(cluster, "cluster");
		Objects.requireNonNull(symptom, "symptom");
		Objects.requireNonNull(window, "window");
		causes = List.copyOf(causes);
	}

}
