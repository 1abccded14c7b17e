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

/**
 * What one batch of events changes, computed by {@link AuditStream#process} without touching the
 * stream: the rollup cells to add, requests that now wait for their completion, requests that
 * stopped waiting. It is stored in one transaction and only then {@link AuditStream#commit
 * committed} to the stream, so a failed store leaves the stream as it was.
 */
public final class AuditBatch {

	final Map<RollupKey, MinuteCell> cells = new HashMap<>();

	final Map<String, PendingRequest> addedPending = new LinkedHashMap<>();

	final Set<String> resolvedPending = new LinkedHashSet<>();

	final Map<String, Instant> completed = new LinkedHashMap<>();

	final Map<String, Instant> expiredLongRunning = new LinkedHashMap<>();

	long events;

	long duplicates;

	long expired;

	Instant watermark;

	void count(Instant received, String userAgent, String verb, String resource, int code, Double latencyMs) {
		RollupKey key = new RollupKey(received.truncatedTo(ChronoUnit.MINUTES), userAgent, verb, resource, code / 100);
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

	/** Request keys of stored waiting requests that completed or expired in this batch. */
	public Set<String> resolvedPending() {
		return Collections.unmodifiableSet(this.resolvedPending);
	}

	/** Events the batch held. */
	public long events() {
		return this.events;
	}

	/** Events dropped because their request was counted already (a retried batch, a late stage). */
	public long duplicates() {
		return this.duplicates;
	}

	/** Requests counted without latency because their ResponseComplete never came within the horizon. */
	public long expired() {
		return this.expired;
	}

	public long requests() {
		return this.cells.values().stream().mapToLong(MinuteCell::requests).sum();
	}

}
