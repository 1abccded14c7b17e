package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * A request seen at RequestReceived or ResponseStarted whose ResponseComplete has not
 * arrived yet. It is counted when its completion arrives, or, without latency, when it
 * never does.
 *
 * @param auditId the request's auditID (with {@code requestReceived} its
 * {@link RequestKey})
 */
public record PendingRequest(String auditId, Instant requestReceived, String userAgent, String verb, String resource,
		int code, boolean longRunning) {

	public static PendingRequest of(AuditEvent event) {
		return of(event, event.qualifiedResource());
	}

	/** With the event's qualified resource made already. */
	static PendingRequest of(AuditEvent event, String qualifiedResource) {
		return new PendingRequest(event.auditId(), event.requestReceived(), event.userAgent(), event.verb(),
				qualifiedResource, event.code(), event.isLongRunning());
	}

	public RequestKey key() {
		return new RequestKey(this.auditId, this.requestReceived);
	}

}
