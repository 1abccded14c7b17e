package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * A request seen at RequestReceived or ResponseStarted whose ResponseComplete has not arrived yet.
 * It is counted when its completion arrives, or, without latency, when it never does.
 */
public record PendingRequest(String auditId, Instant requestReceived, String userAgent, String verb, String resource,
		int code, boolean longRunning) {

	public static PendingRequest of(AuditEvent event) {
		return new PendingRequest(event.auditId(), event.requestReceived(), event.userAgent(), event.verb(),
				event.qualifiedResource(), event.code(), event.isLongRunning());
	}

}
