package dev.cpdoctor.analysis.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

	final Map<RequestKey, Instant> completed = new LinkedHashMap<>();

	final Map<RequestKey, Instant> expiredLongRunning = new LinkedHashMap<>();

	long events;

	long duplicates;

	long expired;

	Instant watermark;

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
