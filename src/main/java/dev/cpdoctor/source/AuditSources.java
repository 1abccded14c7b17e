package dev.cpdoctor.source;

import java.util.Objects;

/**
 * A cluster's audit source: the checklist's questions as the dashboard asks them, and
 * where the source speaks a query language (KQL), the same questions as the AKS guide
 * documents them and the query text behind each answer.
 *
 * @param corrected the questions, answered with the corrected queries
 * @param documented the documented form; null when the source has none
 * @param queryText the query behind each answer; null when the source sends none
 */
public record AuditSources(AuditAnalytics corrected, AuditAnalytics documented, QueryText queryText) {

	public AuditSources {
		Objects.requireNonNull(corrected, "corrected");
	}

	/** A source with one form and no query text (stored rollups, the demo). */
	public static AuditSources of(AuditAnalytics analytics) {
		return new AuditSources(analytics, null, null);
	}

}
