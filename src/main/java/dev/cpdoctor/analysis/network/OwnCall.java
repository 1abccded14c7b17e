package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One call the dashboard made to a cluster's apiserver.
 *
 * @param cluster the cluster's name
 * @param at when the call started
 * @param kind what it asked, short and of few values ("metrics", "readyz", "list
 * validatingwebhookconfigurations"): never a URL, a query string or an object's name
 * @param took from the start until the answer's body was read or closed, or the call
 * failed
 * @param outcome how it ended
 * @param httpStatus the HTTP status when one came (also when the body then failed), else
 * null
 * @param detail what the failure said, one short line; null for an answer
 */
public record OwnCall(String cluster, Instant at, String kind, Duration took, CallOutcome outcome, Integer httpStatus,
		String detail) {

	/** The longest detail kept. */
	public static final int MAX_DETAIL = 200;

	/** The longest kind kept. */
	public static final int MAX_KIND = 64;

	public OwnCall {
		Objects.requireNonNull(cluster, "cluster");
		Objects.requireNonNull(at, "at");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(took, "took");
		Objects.requireNonNull(outcome, "outcome");
		if (took.isNegative()) {
			throw new IllegalArgumentException("a call cannot take " + took);
		}
		if (outcome == CallOutcome.ANSWERED && httpStatus == null) {
			throw new IllegalArgumentException("an answered call has an HTTP status");
		}
		kind = cut(kind, MAX_KIND);
		detail = (detail != null) ? cut(detail.strip(), MAX_DETAIL) : null;
	}

	public static OwnCall answered(String cluster, Instant at, String kind, Duration took, int httpStatus) {
		return new OwnCall(cluster, at, kind, took, CallOutcome.ANSWERED, httpStatus, null);
	}

	public static OwnCall failed(String cluster, Instant at, String kind, Duration took, CallOutcome outcome,
			Integer httpStatus, String detail) {
		return new OwnCall(cluster, at, kind, took, outcome, httpStatus, detail);
	}

	/** The apiserver answered with an error status (429, 5xx, 401...). */
	public boolean httpError() {
		return this.outcome == CallOutcome.ANSWERED && this.httpStatus >= 400;
	}

	/** Neither a network failure nor an HTTP error. */
	public boolean succeeded() {
		return this.outcome == CallOutcome.ANSWERED && this.httpStatus < 400;
	}

	/**
	 * What went wrong in a few words ("timeout", "HTTP 503"); null for a success. HTTP
	 * errors are grouped: 401/403, 429, other 4xx, 5xx.
	 */
	public String failureKind() {
		if (this.outcome != CallOutcome.ANSWERED) {
			return this.outcome.label();
		}
		int status = this.httpStatus;
		if (status < 400) {
			return null;
		}
		if (status == 401 || status == 403) {
			return "HTTP 401/403";
		}
		if (status == 429) {
			return "HTTP 429";
		}
		return (status >= 500) ? "HTTP 5xx" : "HTTP 4xx";
	}

	/**
	 * One line of at most {@code max} characters, every control character (NUL included:
	 * PostgreSQL refuses it in text, losing the whole batch) a space: a failure may quote
	 * whatever the other end sent.
	 */
	private static String cut(String text, int max) {
		StringBuilder builder = new StringBuilder(Math.min(text.length(), max));
		for (int i = 0; i < text.length() && builder.length() < max; i++) {
			char c = text.charAt(i);
			builder.append(Character.isISOControl(c) ? ' ' : c);
		}
		String line = builder.toString();
		return (line.length() <= max) ? line : line.substring(0, max);
	}

}
