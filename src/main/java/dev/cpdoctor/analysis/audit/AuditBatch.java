package dev.cpdoctor.analysis.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one batch of events changes, computed by {@link AuditStream#process} without
 * touching the stream: the rollup cells to add, requests that now wait for their
 * completion, requests that stopped waiting. It is stored in one transaction and only
 * then {@link AuditStream#commit committed} to the stream, so a failed store leaves the
 * stream as it was.
 */
public final class AuditBatch {

	final Map<RollupKey, MinuteCell> cells = new HashMap<>();

	final Map<RequestKey, PendingRequest> addedPending = new LinkedHashMap<>();

	final Set<RequestKey> resolvedPending = new LinkedHashSet<>();

	/**
	 * Requests this batch counted or gave their latency: whether their latency is
	 * recorded now.
	 */
	final Map<RequestKey, Boolean> counted = new LinkedHashMap<>();

	long events;

	long duplicates;

	long expired;

	long lateCompletions;

	long forgotten;

	long pastRetention;

	Instant watermark;

	Instant deletableBefore;

	/**
	 * The minute of the last count: events come in time order mostly, so the Instant is
	 * made once.
	 */
	private Instant lastMinute = Instant.MIN;

	void count(Instant received, String userAgent, String verb, String resource, int code, Double latencyMs) {
		long minuteSecond = Math.floorDiv(received.getEpochSecond(), 60) * 60;
		if (this.lastMinute.getEpochSecond() != minuteSecond || this.lastMinute.getNano() != 0) {
			this.lastMinute = Instant.ofEpochSecond(minuteSecond);
		}
		RollupKey key = new RollupKey(this.lastMinute, userAgent, verb, resource, code / 100);
		MinuteCell cell = this.cells.computeIfAbsent(key, (k) -> new MinuteCell());
		cell.addRequest();
		if (latencyMs != null) {
			cell.addLatency(latencyMs);
		}
	}

	/**
	 * A completion whose request was counted without latency before (its horizon passed):
	 * its latency joins the minute, not a second request.
	 */
	void countLatency(Instant received, String userAgent, String verb, String resource, int code, double latencyMs) {
		RollupKey key = new RollupKey(received.truncatedTo(ChronoUnit.MINUTES), userAgent, verb, resource, code / 100);
		this.cells.computeIfAbsent(key, (k) -> new MinuteCell()).addLatency(latencyMs);
		this.lateCompletions++;
	}

	public Map<RollupKey, MinuteCell> cells() {
		return Collections.unmodifiableMap(this.cells);
	}

	/** Requests to remember as waiting for their ResponseComplete. */
	public List<PendingRequest> addedPending() {
		return new ArrayList<>(this.addedPending.values());
	}

	/** Keys of stored waiting requests that completed or expired in this batch. */
	public Set<RequestKey> resolvedPending() {
		return Collections.unmodifiableSet(this.resolvedPending);
	}

	/**
	 * The codes of the requests this batch counted or timed, by the minute they were
	 * received, to store with the batch ({@link CountedRequests}).
	 */
	public Map<Instant, long[]> countedCodes() {
		if (this.codes == null) {
			this.codes = codes();
		}
		return this.codes;
	}

	private Map<Instant, long[]> codes;

	private Map<Instant, long[]> codes() {
		Map<Instant, List<Long>> byMinute = new TreeMap<>();
		this.counted
			.forEach((key, timed) -> byMinute.computeIfAbsent(CountedRequests.minuteOf(key), (m) -> new ArrayList<>())
				.add(CountedRequests.code(key, timed)));
		Map<Instant, long[]> codes = new LinkedHashMap<>();
		byMinute.forEach((minute, list) -> codes.put(minute, list.stream().mapToLong(Long::longValue).toArray()));
		return Collections.unmodifiableMap(codes);
	}

	/**
	 * Stored codes of counted requests received before this may be deleted: the stream
	 * has forgotten them. Null when none may (an imported log).
	 */
	public Instant deletableBefore() {
		return this.deletableBefore;
	}

	/** The newest event time once the batch is committed (capped at the clock). */
	public Instant watermark() {
		return this.watermark;
	}

	/**
	 * Completions that arrived after their request was counted without latency: their
	 * latency was added, not a second request.
	 */
	public long lateCompletions() {
		return this.lateCompletions;
	}

	/**
	 * Events of requests received before the window in which counted requests are
	 * remembered: refused, as they may have been counted.
	 */
	public long forgotten() {
		return this.forgotten;
	}

	/** Events older than the retention: refused, they would be deleted at once. */
	public long pastRetention() {
		return this.pastRetention;
	}

	/** Events the batch held. */
	public long events() {
		return this.events;
	}

	/**
	 * Events dropped because their request was counted already (a retried batch, a late
	 * stage).
	 */
	public long duplicates() {
		return this.duplicates;
	}

	/**
	 * Requests counted without latency because their ResponseComplete never came within
	 * the horizon.
	 */
	public long expired() {
		return this.expired;
	}

	public long requests() {
		return this.cells.values().stream().mapToLong(MinuteCell::requests).sum();
	}

}
