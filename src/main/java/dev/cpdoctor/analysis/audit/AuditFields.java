package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * The fields of one audit.k8s.io Event the analyses use, as read by either reader (the
 * line scanner or the JSON parser), before {@link AuditEventCheck} judges them.
 */
final class AuditFields {

	String auditId;

	String stage;

	String verb;

	String userAgent;

	String resource;

	String apiGroup;

	String subresource;

	int code;

	String received;

	String stageTimestamp;

	String timestamp;

	/**
	 * The timestamps as the line scanner read them; the texts above are then null.
	 */
	Instant receivedAt;

	Instant stageAt;

	Instant timestampAt;

	/**
	 * Filled by the line scanner, whose kept fields are plain ASCII: no NUL, no other
	 * control character, no escape (it takes escapes only in the values it skips).
	 */
	boolean scanned;

	String wrongType;

	void clear() {
		this.auditId = null;
		this.stage = null;
		this.verb = null;
		this.userAgent = null;
		this.resource = null;
		this.apiGroup = null;
		this.subresource = null;
		this.code = 0;
		this.received = null;
		this.stageTimestamp = null;
		this.timestamp = null;
		this.receivedAt = null;
		this.stageAt = null;
		this.timestampAt = null;
		this.scanned = false;
		this.wrongType = null;
	}

}
