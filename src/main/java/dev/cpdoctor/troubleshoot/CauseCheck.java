package dev.cpdoctor.troubleshoot;

import java.util.Set;

import dev.cpdoctor.cluster.Cluster;

/**
 * The check of one cause of the symptom table: which facts it reads, and the verdict,
 * evidence and remedies it draws from them. A new cause is one such class and its place
 * in a row of {@link SymptomTable}.
 */
public interface CauseCheck {

	Cause cause();

	/**
	 * The facts it reads of this cluster. The diagnosis asks for the facts of all its
	 * checks at once, each once, before any check runs.
	 */
	Set<Fact<?>> needs(Cluster cluster);

	/**
	 * Never throws for a source: a failed fact is evidence, and UNKNOWN when nothing else
	 * is known.
	 */
	CauseDiagnosis diagnose(Examination exam);

}
