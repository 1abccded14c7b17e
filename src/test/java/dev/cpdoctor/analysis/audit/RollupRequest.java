package dev.cpdoctor.analysis.audit;

import java.time.Instant;
import java.util.List;

import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

/**
 * One request as an {@link AuditRollup} test describes it; it turns into the audit events
 * of the stages logged.
 */
record RollupRequest(String id, String userAgent, String verb, String group, String resource, String subresource,
		Instant received, long latencyNanos, int code) {

	static RollupRequest of(String id, String userAgent, String verb, String group, String resource, String subresource,
			Instant received, double latencyMs) {
		return new RollupRequest(id, userAgent, verb, group, resource, subresource, received,
				Math.round(latencyMs * 1_000_000), 200);
	}

	/** A GET of pods, the plainest request there is. */
	static RollupRequest get(String id, String userAgent, Instant received, double latencyMs) {
		return of(id, userAgent, "get", "", "pods", "", received, latencyMs);
	}

	RollupRequest withCode(int newCode) {
		return new RollupRequest(this.id, this.userAgent, this.verb, this.group, this.resource, this.subresource,
				this.received, this.latencyNanos, newCode);
	}

	AuditEvent receivedEvent() {
		return new AuditEvent(this.id, Stage.REQUEST_RECEIVED, this.verb, this.userAgent, this.resource, this.group,
				this.subresource, 0, this.received, this.received);
	}

	AuditEvent startedEvent() {
		return new AuditEvent(this.id, Stage.RESPONSE_STARTED, this.verb, this.userAgent, this.resource, this.group,
				this.subresource, this.code, this.received, this.received.plusMillis(3));
	}

	AuditEvent completeEvent() {
		return new AuditEvent(this.id, Stage.RESPONSE_COMPLETE, this.verb, this.userAgent, this.resource, this.group,
				this.subresource, this.code, this.received, this.received.plusNanos(this.latencyNanos));
	}

	/** The latency exactly as stageTimestamp - requestReceivedTimestamp gives it. */
	double latencyMs() {
		return this.latencyNanos / 1_000_000.0;
	}

	boolean longRunning() {
		return "watch".equals(this.verb)
				|| List.of("exec", "attach", "portforward", "proxy", "log").contains(this.subresource);
	}

}
