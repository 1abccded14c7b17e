package dev.cpdoctor.history;

/**
 * Audit events in by origin ("webhook", "file") and outcome ({@link #KEPT} or the reason
 * an event was refused or repaired), for the data-quality panel.
 *
 * @param sample the first offending input of the reason over the hours read, escaped and
 * cut to 200 characters by the parser; null for {@link #KEPT} and where none was stored
 */
public record AuditInputCount(String origin, String outcome, long events, String sample) {

	/** The outcome of events counted. */
	public static final String KEPT = "kept";

}
