package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * A request seen at RequestReceived or ResponseStarted whose ResponseComplete has not arrived yet.
 * It is counted when its completion arrives, or, without latency, when it never does.
 *
 * @param auditId the request's key: auditID and requestReceivedTimestamp ({@link AuditStream#requestKey})
 */
public record PendingRequest(String auditId, Instant requestReceived, String userAgent, String verb, String resource,
		int code, boolean longRunning) {

	public static PendingRequest of(AuditEvent event) {
		return new PendingRequest(AuditStream.requestKey(event), event.requestReceived(), event.userAgent(), event.verb(),
				event.qualifiedResource(), event.code(), event.isLongRunning());
	}

}
