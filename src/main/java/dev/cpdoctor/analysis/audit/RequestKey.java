package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * What identifies one request: its auditID and its requestReceivedTimestamp, which every
 * stage repeats. A client may send the same Audit-ID header on many requests; they stay
 * apart.
 */
public record RequestKey(String auditId, Instant received) {

	public static RequestKey of(AuditEvent event) {
		return new RequestKey(event.auditId(), event.requestReceived());
	}

}
