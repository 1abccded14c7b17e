package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One call to an apiserver probe endpoint (/readyz?verbose or /livez?verbose) and what
 * came of it. Always a value: a call that got no probe answer says why in {@code reason}.
 *
 * @param path "/readyz" or "/livez"
 * @param outcome what came of the call
 * @param at when the call ended
 * @param took how long the call took, answered or not (a timeout takes the whole timeout)
 * @param httpStatus the HTTP status, null when no HTTP answer came
 * @param checks the [+]/[-] lines in the apiserver's order; empty when there was no probe
 * answer
 * @param reason why the probe did not pass, in words for a panel; null when it passed
 */
public record ApiserverProbe(String path, Outcome outcome, Instant at, Duration took, Integer httpStatus,
		List<ProbeCheck> checks, String reason) {

	/** What came of one probe call. */
	public enum Outcome {

		/** The apiserver answered "... check passed". */
		PASSED,

		/** The apiserver answered "... check failed" (HTTP 500 with its [-] lines). */
		FAILED,

		/** No answer within the timeout: what a network problem looks like. */
		TIMEOUT,

		/** No connection: refused, reset, unknown host, TLS failure. */
		UNREACHABLE,

		/** HTTP 401 or 403: the apiserver answered but refused our identity. */
		UNAUTHORIZED,

		/**
		 * An HTTP answer that is not a probe answer: another status, an HTML login page,
		 * a proxy.
		 */
		NOT_A_PROBE_ANSWER,

		/** Not called: the cluster has no apiserver access, or may not be called. */
		NOT_CALLED;

		/** Whether the apiserver itself answered the probe (passed or failed). */
		public boolean answered() {
			return this == PASSED || this == FAILED;
		}

	}

	public ApiserverProbe {
		Objects.requireNonNull(path, "path");
		Objects.requireNonNull(outcome, "outcome");
		Objects.requireNonNull(took, "took");
		checks = List.copyOf(checks);
		if (outcome != Outcome.PASSED) {
			Objects.requireNonNull(reason, "reason");
		}
	}

	public static ApiserverProbe notCalled(String path, Instant at, String reason) {
		return new ApiserverProbe(path, Outcome.NOT_CALLED, at, Duration.ZERO, null, List.of(), reason);
	}

	public static ApiserverProbe unanswered(String path, Outcome outcome, Instant at, Duration took, Integer httpStatus,
			String reason) {
		return new ApiserverProbe(path, outcome, at, took, httpStatus, List.of(), reason);
	}

	public boolean passed() {
		return this.outcome == Outcome.PASSED;
	}

	/** The [-] checks, the apiserver's order kept. */
	public List<ProbeCheck> failing() {
		return this.checks.stream().filter((check) -> !check.ok()).toList();
	}

}
