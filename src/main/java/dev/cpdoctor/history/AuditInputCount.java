package dev.cpdoctor.history;

/**
 * Audit events in by origin ("webhook", "file") and outcome ({@link #KEPT} or the reason
 * an event was refused or repaired), for the data-quality panel.
 */
public record AuditInputCount(String origin, String outcome, long events) {

	/** The outcome of events counted. */
	public static final String KEPT = "kept";

}
