package dev.cpdoctor.source.auditlog;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cpdoctor.history.AuditRollupStore;
import dev.cpdoctor.history.AuditRollupStore.InputCount;

/**
 * The data-quality panel of a webhook or log-file cluster: what came in over the window,
 * what was refused or repaired and why, and how the receiver and the tailer are doing
 * now.
 *
 * @param inputs events per origin and outcome over the hours that overlap the window
 * @param ingest counters since start-up
 * @param tailer the log file's status, null without a log file
 */
public record AuditDataQuality(boolean webhookOpen, List<InputCount> inputs, AuditIngest.Status ingest,
		AuditLogTailer.Status tailer) {

	public long kept() {
		return this.inputs.stream()
			.filter((c) -> AuditRollupStore.KEPT.equals(c.outcome()))
			.mapToLong(InputCount::events)
			.sum();
	}

	/** Reason to events, over both origins. */
	public Map<String, Long> problems() {
		Map<String, Long> problems = new TreeMap<>();
		this.inputs.stream()
			.filter((c) -> !AuditRollupStore.KEPT.equals(c.outcome()))
			.forEach((c) -> problems.merge(c.outcome(), c.events(), Long::sum));
		return problems;
	}

}
