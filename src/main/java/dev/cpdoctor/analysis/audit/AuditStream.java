package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

/**
 * Counts a stream of audit events into per-minute rollups, each request once whatever
 * stages the audit policy logs (DOMAIN.md, "Audit logs"), in bounded memory.
 * <p>
 * A request is counted at its ResponseComplete (or Panic), with its latency unless
 * long-running. One seen only at RequestReceived or ResponseStarted waits, as a
 * {@link PendingRequest}, for its completion; a policy that omits ResponseComplete, or a
 * request whose completion is lost, is counted without latency once it has waited past
 * the horizon (5 minutes, 2 hours for watches and other long-running requests) in event
 * time. Requests counted lately are remembered for a while so that a retried webhook
 * batch or a late stage is not counted twice.
 * <p>
 * One writer at a time: {@link #process} then, once the batch is stored, {@link #commit}.
 */
public final class AuditStream {

	public record Limits(Duration horizon, Duration longRunningHorizon, Duration rememberCompleted, int maxPending,
			int maxCompleted) {

		public static Limits defaults() {
			return new Limits(Duration.ofMinutes(5), Duration.ofHours(2), Duration.ofMinutes(15), 50_000, 200_000);
		}

	}

	private final Limits limits;

	/**
	 * Waiting requests in arrival order, short and long-running apart so each expires
	 * from its head.
	 */
	private final LinkedHashMap<RequestKey, PendingRequest> pendingShort = new LinkedHashMap<>();

	private final LinkedHashMap<RequestKey, PendingRequest> pendingLong = new LinkedHashMap<>();

	private final LinkedHashMap<RequestKey, Instant> completed = new LinkedHashMap<>();

	/**
	 * Long-running requests counted when their horizon passed (a kubectl logs -f, an
	 * exec): their ResponseComplete may still come hours later. Remembered a day, at most
	 * {@value #MAX_EXPIRED_LONG}.
	 */
	private final LinkedHashMap<RequestKey, Instant> expiredLongRunning = new LinkedHashMap<>();

	private static final int MAX_EXPIRED_LONG = 20_000;

	private static final Duration REMEMBER_EXPIRED_LONG = Duration.ofDays(1);

	/** The newest stage time seen (capped at our clock): event time, for expiry. */
	private Instant watermark = Instant.EPOCH;

	public AuditStream(Limits limits) {
		this.limits = limits;
	}

	/** Restores the waiting requests stored by earlier batches (after a restart). */
	public void restore(List<PendingRequest> pending) {
		for (PendingRequest request : pending) {
			(request.longRunning() ? this.pendingLong : this.pendingShort).put(request.key(), request);
			if (request.requestReceived().isAfter(this.watermark)) {
				this.watermark = request.requestReceived();
			}
		}
	}

	public int pending() {
		return this.pendingShort.size() + this.pendingLong.size();
	}

	/**
	 * What {@code events} change; the stream itself is unchanged until {@link #commit}.
	 */
	public AuditBatch process(List<AuditEvent> events, Instant now) {
		AuditBatch batch = new AuditBatch();
		// Event time never runs ahead of our clock: one event stamped next year must not
		// expire every waiting request.
		Instant ceiling = now;
		Instant watermark = this.watermark;
		for (AuditEvent event : events) {
			batch.events++;
			Instant stageAt = event.stageTimestamp().isAfter(ceiling) ? ceiling : event.stageTimestamp();
			if (stageAt.isAfter(watermark)) {
				watermark = stageAt;
			}
			RequestKey id = RequestKey.of(event);
			if (this.completed.containsKey(id) || batch.completed.containsKey(id)
					|| this.expiredLongRunning.containsKey(id)) {
				batch.duplicates++;
				continue;
			}
			if (event.stage() == Stage.RESPONSE_COMPLETE || event.stage() == Stage.PANIC) {
				if (batch.addedPending.remove(id) == null && isStoredPending(id)) {
					batch.resolvedPending.add(id);
				}
				batch.count(event.requestReceived(), event.userAgent(), event.verb(), qualifiedResource(event),
						event.code(), event.carriesLatency() ? event.latencyMs() : null);
				batch.completed.put(id, stageAt);
			}
			else if (!batch.addedPending.containsKey(id)
					&& !(isStoredPending(id) && !batch.resolvedPending.contains(id))) {
				batch.addedPending.put(id, PendingRequest.of(event, qualifiedResource(event)));
			}
		}
		batch.watermark = watermark;
		expire(batch, watermark);
		return batch;
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
	 * Requests that waited past their horizon, or beyond the size limit, are counted
	 * without latency.
	 */
	private void expire(AuditBatch batch, Instant watermark) {
		Instant shortLimit = watermark.minus(this.limits.horizon());
		Instant longLimit = watermark.minus(this.limits.longRunningHorizon());
		int excess = pending() + batch.addedPending.size() - batch.resolvedPending.size() - this.limits.maxPending();
		excess = expireStored(batch, this.pendingShort, shortLimit, excess, watermark);
		excess = expireStored(batch, this.pendingLong, longLimit, excess, watermark);
		Iterator<PendingRequest> added = batch.addedPending.values().iterator();
		while (added.hasNext()) {
			PendingRequest request = added.next();
			Instant limit = request.longRunning() ? longLimit : shortLimit;
			if (excess > 0 || request.requestReceived().isBefore(limit)) {
				added.remove();
				countExpired(batch, request, watermark);
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
			countExpired(batch, request, watermark);
			excess--;
		}
		return excess;
	}

	private void countExpired(AuditBatch batch, PendingRequest request, Instant at) {
		batch.count(request.requestReceived(), request.userAgent(), request.verb(), request.resource(), request.code(),
				null);
		batch.completed.put(request.key(), at);
		if (request.longRunning()) {
			batch.expiredLongRunning.put(request.key(), at);
		}
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
		this.completed.putAll(batch.completed);
		this.expiredLongRunning.putAll(batch.expiredLongRunning);
		Instant forgetLongBefore = this.watermark.minus(REMEMBER_EXPIRED_LONG);
		Iterator<Map.Entry<RequestKey, Instant>> oldestLong = this.expiredLongRunning.entrySet().iterator();
		while (oldestLong.hasNext()) {
			Map.Entry<RequestKey, Instant> entry = oldestLong.next();
			if (this.expiredLongRunning.size() <= MAX_EXPIRED_LONG && !entry.getValue().isBefore(forgetLongBefore)) {
				break;
			}
			oldestLong.remove();
		}
		if (batch.watermark != null && batch.watermark.isAfter(this.watermark)) {
			this.watermark = batch.watermark;
		}
		Instant forgetBefore = this.watermark.minus(this.limits.rememberCompleted());
		Iterator<Map.Entry<RequestKey, Instant>> oldest = this.completed.entrySet().iterator();
		while (oldest.hasNext()) {
			Map.Entry<RequestKey, Instant> entry = oldest.next();
			if (this.completed.size() <= this.limits.maxCompleted() && !entry.getValue().isBefore(forgetBefore)) {
				break;
			}
			oldest.remove();
		}
	}

}
