package dev.cpdoctor.source;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.cpdoctor.history.AuditInputCount;

/**
 * The data-quality panel of a webhook or log-file cluster: what came in over the window,
 * what was refused or repaired and why, and how the receiver and the tailer are doing
 * now.
 *
 * @param inputs events per origin and outcome over the hours that overlap the window
 * @param ingest counters since start-up
 * @param tailer the log file's status, null without a log file
 */
public record AuditDataQuality(boolean webhookOpen, List<AuditInputCount> inputs, Ingest ingest, Tailer tailer) {

	/**
	 * What the data-quality panel shows about the cluster's ingestion, besides stored
	 * counts: counters since start-up.
	 */
	public record Ingest(long batches, long events, long requests, long duplicates, long expired, long lateCompletions,
			long busyRefusals, long repeatedBatches, int pending, Instant lastBatchAt, String lastError) {
	}

	/**
	 * How the log file's tailer is doing: where it is, how far behind, what went wrong.
	 */
	public record Tailer(String path, long offset, long fileSize, long rotations, long tailsLost, long longLines,
			Instant lastReadAt, String lastError) {

		/** Bytes written but not read yet. */
		public long lagBytes() {
			return Math.max(0, this.fileSize - this.offset);
		}

	}

	public long kept() {
		return this.inputs.stream()
			.filter((c) -> AuditInputCount.KEPT.equals(c.outcome()))
			.mapToLong(AuditInputCount::events)
			.sum();
	}

	/** Reason to events, over both origins. */
	public Map<String, Long> problems() {
		Map<String, Long> problems = new TreeMap<>();
		this.inputs.stream()
			.filter((c) -> !AuditInputCount.KEPT.equals(c.outcome()))
			.forEach((c) -> problems.merge(c.outcome(), c.events(), Long::sum));
		return problems;
	}

}
