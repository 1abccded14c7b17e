package dev.cpdoctor.source;

import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.history.AuditInputCount;

/**
 * The data-quality panel of a webhook or log-file cluster: what came in over the window,
 * what was refused or repaired, why and on which input, and how the receiver and the
 * tailer are doing now.
 *
 * @param inputs events per origin and outcome over the hours that overlap the window
 * @param ingest counters since start-up
 * @param tailer the log file's status, null without a log file
 * @param lastUnusableBatch the last webhook batch since start-up that held no usable
 * event, null when none did
 */
public record AuditDataQuality(boolean webhookOpen, List<AuditInputCount> inputs, Ingest ingest, Tailer tailer,
		UnusableBatch lastUnusableBatch) {

	/** How far back by arrival the counts reach. */
	public static final int HOURS = 24;

	public AuditDataQuality(boolean webhookOpen, List<AuditInputCount> inputs, Ingest ingest, Tailer tailer) {
		this(webhookOpen, inputs, ingest, tailer, null);
	}

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

	/**
	 * A webhook batch that held no usable event (every event refused, an empty list, a
	 * body that is no EventList). It was answered 2xx all the same, since the apiserver
	 * would resend a refused batch forever; its problems are counted with the rest.
	 *
	 * @param reason its most frequent problem, or why it held no event at all
	 * @param sample that problem's first offending input (escaped, cut), null when none
	 * @param last whether no usable batch came after it
	 */
	public record UnusableBatch(Instant at, String reason, String sample, boolean last) {

		/** The same batch once a usable one came after it. */
		public UnusableBatch followed() {
			return new UnusableBatch(this.at, this.reason, this.sample, false);
		}

	}

	/**
	 * One reason over both origins.
	 *
	 * @param repair whether its events were kept repaired rather than refused
	 * @param sample its first offending input, escaped and cut; null when none was stored
	 */
	public record Reason(String reason, long events, boolean repair, String sample) {
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

	/**
	 * Every reason with its events and first sample, the most frequent first; refused
	 * reasons before repairs of as many events.
	 */
	public List<Reason> reasons() {
		Map<String, String> samples = new LinkedHashMap<>();
		this.inputs.stream()
			.filter((c) -> c.sample() != null)
			.forEach((c) -> samples.putIfAbsent(c.outcome(), c.sample()));
		return problems().entrySet()
			.stream()
			.map((p) -> new Reason(p.getKey(), p.getValue(), AuditInputReport.isRepair(p.getKey()),
					samples.get(p.getKey())))
			.sorted(Comparator.comparingLong(Reason::events).reversed().thenComparing(Reason::repair))
			.toList();
	}

	/** Events refused, over every reason that refuses. */
	public long refused() {
		return reasons().stream().filter((r) -> !r.repair()).mapToLong(Reason::events).sum();
	}

	/** Events kept after a repair (counted in {@link #kept()} too). */
	public long repaired() {
		return reasons().stream().filter(Reason::repair).mapToLong(Reason::events).sum();
	}

	/** The reason that refused the most events, else the most frequent repair. */
	public Optional<Reason> biggest() {
		List<Reason> reasons = reasons();
		return reasons.stream().filter((r) -> !r.repair()).findFirst().or(() -> reasons.stream().findFirst());
	}

}
