package dev.cpdoctor.analysis.audit;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an audit input held: events kept, and each rejected or repaired event's reason
 * with a count.
 */
public final class AuditInputReport {

	private long kept;

	private final Map<String, Long> problems = new TreeMap<>();

	/** A report of input that held no event, only one refused piece. */
	public static AuditInputReport rejected(String reason) {
		AuditInputReport report = new AuditInputReport();
		report.problem(reason);
		return report;
	}

	/** Adds another report's counts. */
	public void add(AuditInputReport other) {
		this.kept += other.kept;
		other.problems.forEach((reason, count) -> this.problems.merge(reason, count, Long::sum));
	}

	void kept() {
		this.kept++;
	}

	void problem(String reason) {
		this.problems.merge(reason, 1L, Long::sum);
	}

	/**
	 * Events that were read well but refused when counted (older than the retention, too
	 * late to tell whether counted): they move from kept to the reason.
	 */
	public void refused(String reason, long events) {
		if (events > 0) {
			this.kept -= events;
			this.problems.merge(reason, events, Long::sum);
		}
	}

	public long events() {
		return this.kept;
	}

	/** Reason to count, for the data-quality panel. */
	public Map<String, Long> problems() {
		return Collections.unmodifiableMap(this.problems);
	}

	@Override
	public String toString() {
		return "AuditInputReport[kept=" + this.kept + ", problems=" + this.problems + "]";
	}

}
