package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Counts a stream of audit events into per-minute rollups, each request once whatever
 * stages the audit policy logs and whatever the order they come in (DOMAIN.md, "Audit
 * logs"), in bounded memory.
 * <p>
 * A request is counted at its ResponseComplete (or Panic), with its latency unless
 * long-running or its event has no stageTimestamp. One seen only at RequestReceived or
 * ResponseStarted waits, as a {@link PendingRequest}, for its completion; a policy that
 * omits ResponseComplete, or a request whose completion is lost, is counted without
 * latency once it has waited past the horizon (5 minutes, 2 hours for watches and other
 * long-running requests) in event time, or when the input ends ({@link #finish}). Counted
 * requests are remembered ({@link CountedRequests}): a repeated event counts nothing, and
 * a completion that comes after its request was counted without latency adds its latency
 * only.
 * <p>
 * One writer at a time: {@link #process} then, once the batch is stored, {@link #commit}.
 */
public final class AuditStream {

	/**
	 * @param retention events of requests received longer ago than this (by the clock)
	 * are refused: they would be deleted at once; null for none (imported logs are kept
	 * until deleted)
	 */
	public record Limits(Duration horizon, Duration longRunningHorizon, int maxPending, Duration retention) {

		public static Limits defaults() {
			return new Limits(Duration.ofMinutes(5), Duration.ofHours(2), 50_000, null);
		}

		/** The same limits with a retention. */
		public Limits withRetention(Duration retention) {
			return new Limits(this.horizon, this.longRunningHorizon, this.maxPending, retention);
		}

	}

	private final Limits limits;

	private final CountedRequests counted;

	/**
	 * Waiting requests in arrival order, short and long-running apart so each expires
	 * from its head.
	 */
	private final LinkedHashMap<RequestKey, PendingRequest> pendingShort = new LinkedHashMap<>();

	private final LinkedHashMap<RequestKey, PendingRequest> pendingLong = new LinkedHashMap<>();

	/** The newest stage time seen (capped at our clock): event time, for expiry. */
	private Instant watermark = Instant.EPOCH;

	/** A stream that remembers counted requests in memory only (tests, benchmarks). */
	public AuditStream(Limits limits) {
		this(limits, new CountedRequests(CountedRequests.Limits.live(), CountedRequests.Stored.NONE));
	}

	public AuditStream(Limits limits, CountedRequests counted) {
		this.limits = limits;
		this.counted = counted;
	}

	/** Restores the waiting requests stored by earlier batches (after a restart). */
	public void restore(List<PendingRequest> pending) {
		restore(pending, null);
	}

	/**
	 * Restores the waiting requests and the newest event time stored by earlier batches
	 * (after a restart); the counted requests are read from their store as needed.
	 */
	public void restore(List<PendingRequest> pending, Instant watermark) {
		for (PendingRequest request : pending) {
			(request.longRunning() ? this.pendingLong : this.pendingShort).put(request.key(), request);
			if (request.requestReceived().isAfter(this.watermark)) {
				this.watermark = request.requestReceived();
			}
		}
		if (watermark != null && watermark.isAfter(this.watermark)) {
			this.watermark = watermark;
		}
	}

	public int pending() {
		return this.pendingShort.size() + this.pendingLong.size();
	}

	/** The newest event time committed. */
	public Instant watermark() {
		return this.watermark;
	}

	public CountedRequests counted() {
		return this.counted;
	}

	/**
	 * What {@code events} change; the stream itself is unchanged until {@link #commit}.
	 */
	public AuditBatch process(List<AuditEvent> events, Instant now) {
		return process(events, now, false);
	}

	/**
	 * The input has ended (an import, a log file that stopped growing): every request
	 * still waiting is counted now, without latency. A completion coming later still adds
	 * its latency.
	 */
	public AuditBatch finish(Instant now) {
		return process(List.of(), now, true);
	}

	private AuditBatch process(List<AuditEvent> events, Instant now, boolean finish) {
		AuditBatch batch = new AuditBatch();
		// Event time never runs ahead of our clock: one event stamped next year must not
		// expire every waiting request.
		Instant ceiling = now;
		Instant retentionStart = (this.limits.retention() != null) ? now.minus(this.limits.retention()) : null;
		Instant watermark = this.watermark;
		for (AuditEvent event : events) {
			batch.events++;
			Instant stageAt = event.stageTimestamp().isAfter(ceiling) ? ceiling : event.stageTimestamp();
			if (stageAt.isAfter(watermark)) {
				watermark = stageAt;
			}
			if (retentionStart != null && event.requestReceived().isBefore(retentionStart)) {
				batch.pastRetention++;
				continue;
			}
			take(batch, event, watermark);
		}
		batch.watermark = watermark;
		batch.deletableBefore = this.counted.deletableBefore(watermark);
		expire(batch, watermark, finish);
		return batch;
	}

	/** One event of a request not older than the retention. */
	private void take(AuditBatch batch, AuditEvent event, Instant watermark) {
		RequestKey id = RequestKey.of(event);
		Boolean timedInBatch = batch.counted.get(id);
		CountedRequests.State state = (timedInBatch != null)
				? (timedInBatch ? CountedRequests.State.TIMED : CountedRequests.State.COUNTED)
				: this.counted.state(id, watermark);
		switch (state) {
			case FORGOTTEN -> batch.forgotten++;
			case TIMED -> batch.duplicates++;
			case COUNTED -> {
				if (event.carriesLatency()) {
					batch.countLatency(event.requestReceived(), event.userAgent(), event.verb(),
							qualifiedResource(event), event.code(), event.latencyMs());
					batch.counted.put(id, true);
				}
				else {
					batch.duplicates++;
				}
			}
			case NEW -> takeNew(batch, event, id);
		}
	}

	private void takeNew(AuditBatch batch, AuditEvent event, RequestKey id) {
		if (event.completes()) {
			if (batch.addedPending.remove(id) == null && isStoredPending(id)) {
				batch.resolvedPending.add(id);
			}
			batch.count(event.requestReceived(), event.userAgent(), event.verb(), qualifiedResource(event),
					event.code(), event.carriesLatency() ? event.latencyMs() : null);
			batch.counted.put(id, event.carriesLatency() || event.isLongRunning());
		}
		else if (!batch.addedPending.containsKey(id) && !(isStoredPending(id) && !batch.resolvedPending.contains(id))) {
			batch.addedPending.put(id, PendingRequest.of(event, qualifiedResource(event)));
		}
	}

	/**
	 * {@link AuditEvent#qualifiedResource()} made once per name rather than once per
	 * event: a small direct-mapped table (the parser shares the resource, group and
	 * subresource strings).
	 */
	private String qualifiedResource(AuditEvent event) {
		String resource = event.resource();
		String group = event.apiGroup();
		String subresource = event.subresource();
		if (group.isEmpty() && subresource.isEmpty()) {
			return resource;
		}
		int slot = ((resource.hashCode() * 31 + group.hashCode()) * 31 + subresource.hashCode())
				& (QUALIFIED_SLOTS - 1);
		String[] entry = this.qualified[slot];
		if (entry != null && entry[0].equals(resource) && entry[1].equals(group) && entry[2].equals(subresource)) {
			return entry[3];
		}
		String name = event.qualifiedResource();
		this.qualified[slot] = new String[] { resource, group, subresource, name };
		return name;
	}

	private static final int QUALIFIED_SLOTS = 256;

	private final String[][] qualified = new String[QUALIFIED_SLOTS][];

	private boolean isStoredPending(RequestKey id) {
		return this.pendingShort.containsKey(id) || this.pendingLong.containsKey(id);
	}

	/**
	 * Requests that waited past their horizon, or beyond the size limit, or all of them
	 * when the input ended, are counted without latency.
	 */
	private void expire(AuditBatch batch, Instant watermark, boolean all) {
		Instant shortLimit = all ? Instant.MAX : watermark.minus(this.limits.horizon());
		Instant longLimit = all ? Instant.MAX : watermark.minus(this.limits.longRunningHorizon());
		int excess = pending() + batch.addedPending.size() - batch.resolvedPending.size() - this.limits.maxPending();
		excess = expireStored(batch, this.pendingShort, shortLimit, excess, watermark);
		excess = expireStored(batch, this.pendingLong, longLimit, excess, watermark);
		Iterator<PendingRequest> added = batch.addedPending.values().iterator();
		while (added.hasNext()) {
			PendingRequest request = added.next();
			Instant limit = request.longRunning() ? longLimit : shortLimit;
			if (excess > 0 || request.requestReceived().isBefore(limit)) {
				added.remove();
				countExpired(batch, request);
				excess--;
			}
		}
	}

	private int expireStored(AuditBatch batch, LinkedHashMap<RequestKey, PendingRequest> pending, Instant limit,
			int excess, Instant watermark) {
		for (PendingRequest request : pending.values()) {
			if (batch.resolvedPending.contains(request.key())) {
				continue;
			}
			if (excess <= 0 && !request.requestReceived().isBefore(limit)) {
				break;
			}
			batch.resolvedPending.add(request.key());
			countExpired(batch, request);
			excess--;
		}
		return excess;
	}

	/**
	 * A long-running request is timed once counted: its end, however late, has no latency
	 * to add.
	 */
	private void countExpired(AuditBatch batch, PendingRequest request) {
		batch.count(request.requestReceived(), request.userAgent(), request.verb(), request.resource(), request.code(),
				null);
		batch.counted.put(request.key(), request.longRunning());
		batch.expired++;
	}

	/** Applies a batch that was stored. */
	public void commit(AuditBatch batch) {
		for (RequestKey id : batch.resolvedPending) {
			if (this.pendingShort.remove(id) == null) {
				this.pendingLong.remove(id);
			}
		}
		for (PendingRequest request : batch.addedPending.values()) {
			(request.longRunning() ? this.pendingLong : this.pendingShort).put(request.key(), request);
		}
		this.counted.add(batch.countedCodes());
		if (batch.watermark != null && batch.watermark.isAfter(this.watermark)) {
			this.watermark = batch.watermark;
		}
	}

}
