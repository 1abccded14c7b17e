package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of an audit.k8s.io/v1 Event that the analyses use. Every audit source (Log
 * Analytics, webhook, log file, demo) turns its input into these.
 *
 * @param auditId unique per request; all stages of one request share it
 * @param stage the stage this event was emitted at
 * @param verb Kubernetes verb (get, list, watch, create, update, patch, delete, ...)
 * @param userAgent the client's user agent: text an attacker controls, never trusted
 * @param resource objectRef.resource, "" for non-resource URLs
 * @param apiGroup objectRef.apiGroup, "" for the core group
 * @param subresource objectRef.subresource, "" when none
 * @param code responseStatus.code, 0 when not (yet) known
 * @param requestReceived requestReceivedTimestamp
 * @param stageTimestamp stageTimestamp; requestReceived when the event has none
 * @param timed whether the event has a stageTimestamp, so its latency can be known (an
 * audit.k8s.io/v1beta1 event of Kubernetes before 1.10 has only a timestamp)
 */
public record AuditEvent(String auditId, Stage stage, String verb, String userAgent, String resource, String apiGroup,
		String subresource, int code, Instant requestReceived, Instant stageTimestamp, boolean timed) {

	/** Requests the apiserver treats as long-running: their duration is not latency. */
	private static final Set<String> LONG_RUNNING_SUBRESOURCES = Set.of("exec", "attach", "portforward", "proxy",
			"log");

	public enum Stage {

		REQUEST_RECEIVED, RESPONSE_STARTED, RESPONSE_COMPLETE, PANIC

	}

	public AuditEvent {
		Objects.requireNonNull(auditId, "auditId");
		Objects.requireNonNull(stage, "stage");
		Objects.requireNonNull(requestReceived, "requestReceived");
		Objects.requireNonNull(stageTimestamp, "stageTimestamp");
		verb = (verb != null) ? verb : "";
		userAgent = (userAgent != null) ? userAgent : "";
		resource = (resource != null) ? resource : "";
		apiGroup = (apiGroup != null) ? apiGroup : "";
		subresource = (subresource != null) ? subresource : "";
	}

	/** An event with both timestamps. */
	public AuditEvent(String auditId, Stage stage, String verb, String userAgent, String resource, String apiGroup,
			String subresource, int code, Instant requestReceived, Instant stageTimestamp) {
		this(auditId, stage, verb, userAgent, resource, apiGroup, subresource, code, requestReceived, stageTimestamp,
				true);
	}

	/** The same event for a subresource (tests build long-running requests with it). */
	public AuditEvent withSubresource(String subresource) {
		return new AuditEvent(this.auditId, this.stage, this.verb, this.userAgent, this.resource, this.apiGroup,
				subresource, this.code, this.requestReceived, this.stageTimestamp, this.timed);
	}

	public boolean isLongRunning() {
		return "watch".equals(this.verb) || LONG_RUNNING_SUBRESOURCES.contains(this.subresource);
	}

	/**
	 * Whether the event ends its request: ResponseComplete, or Panic.
	 */
	public boolean completes() {
		return this.stage == Stage.RESPONSE_COMPLETE || this.stage == Stage.PANIC;
	}

	/**
	 * Latency in ms, meaningful only for a completed request that is not long-running and
	 * whose event has its stageTimestamp.
	 */
	public boolean carriesLatency() {
		return this.stage == Stage.RESPONSE_COMPLETE && this.timed && !isLongRunning();
	}

	public double latencyMs() {
		return Duration.between(this.requestReceived, this.stageTimestamp).toNanos() / 1_000_000.0;
	}

	/** "pods", "deployments.apps", "pods/log": how pages name the resource. */
	public String qualifiedResource() {
		String name = this.apiGroup.isEmpty() ? this.resource : this.resource + "." + this.apiGroup;
		return this.subresource.isEmpty() ? name : name + "/" + this.subresource;
	}

}
