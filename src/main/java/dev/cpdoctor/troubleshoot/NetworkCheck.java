package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * Cause 1, network rules block agent nodes from the apiserver. Two facts
 * ({@link NetworkEvidence}): the apiserver probes now, and the dashboard's own calls to
 * the apiserver in the window.
 * <p>
 * The probes now: ALL failed (at least one attempt, each a timeout or no connection),
 * SOME failed, OK (attempts, none failed), or NONE (not probed). An answer, even HTTP 500
 * or 401, is no failure: the network carried it.
 * <p>
 * The own calls in the window: NOTABLE when at least {@value #NOTABLE_FAILURES} were not
 * carried by the network (timeout, refused, unreachable, TLS, other connection failure)
 * and either they are at least {@link #NOTABLE_SHARE} of the calls or
 * {@value #NOTABLE_RUN} or more failed in a row; CLEAN when calls were recorded and that
 * is not so; NONE when none were recorded or the record cannot be read. HTTP errors (429,
 * 5xx) are shown, not counted: the apiserver answered them.
 * <ul>
 * <li>LIKELY: ALL probes failed; or SOME failed and the calls are NOTABLE (failing now
 * and before);</li>
 * <li>POSSIBLE: SOME probes failed otherwise; or the calls are NOTABLE while the probes
 * are OK now or were not made (an intermittent or past problem);</li>
 * <li>UNLIKELY: the probes are OK or were not made, and the calls are CLEAN; or the
 * probes are OK and no calls are recorded;</li>
 * <li>UNKNOWN: neither probes nor recorded calls.</li>
 * </ul>
 * Without the calls (the one-argument form) the probes alone decide, by the same rules.
 * The remedies are the symptom table's: the connectivity check from a node, and fixing
 * the rule.
 */
public final class NetworkCheck implements CauseCheck {

	/** The cause this class checks, as the symptom table lists it. */
	public static final Cause CAUSE = new Cause(1, "Network rules block agent nodes from the apiserver",
			"Run the connectivity check from a node; success prints \"Connectivity check: succeeded\"",
			List.of(new Remediation("Import the cluster's config for the aks plugin",
					"kubectl aks config import --subscription <subscription> --resource-group <group> --cluster-name <cluster>"),
					new Remediation("Check the node's path to the apiserver",
							"kubectl aks check-apiserver-connectivity --node <node>"),
					new Remediation("Fix the network policy or NSG rule that blocks it", null)));

	/** Network failures that make the own calls notable, at the least. */
	public static final int NOTABLE_FAILURES = 3;

	/** The share of calls not carried by the network that makes them notable. */
	public static final double NOTABLE_SHARE = 0.05;

	/**
	 * Network failures in a row that make the own calls notable (an outage, however long
	 * the window).
	 */
	public static final int NOTABLE_RUN = 3;

	private static final String SOURCE = "network";

	private static final String CALLS = "own calls";

	private enum Now {

		NONE, OK, SOME, ALL

	}

	private enum Past {

		NONE, CLEAN, NOTABLE

	}

	/** The apiserver probes now. */
	public static final Fact<NetworkEvidence.Probes> PROBES = Fact.asked("the apiserver probes",
			(sources, cluster, window) -> sources.network().probes(cluster, window));

	/** The dashboard's own calls to the apiserver in the window, analysed. */
	public static final Fact<CallHistory> OWN_CALLS = Fact.asked("the dashboard's own calls",
			(sources, cluster, window) -> sources.network().calls(cluster, window));

	@Override
	public Cause cause() {
		return CAUSE;
	}

	@Override
	public Set<Fact<?>> needs(Cluster cluster) {
		return Set.of(PROBES, OWN_CALLS);
	}

	@Override
	public CauseDiagnosis diagnose(Examination exam) {
		return check(exam.get(PROBES), exam.get(OWN_CALLS));
	}

	/** The probes alone. */
	public static CauseDiagnosis check(SourceResult<NetworkEvidence.Probes> probes) {
		return check(probes, null);
	}

	/**
	 * @param probes the apiserver probes now
	 * @param calls the own calls in the window; null when not asked (the probes alone
	 * decide)
	 */
	public static CauseDiagnosis check(SourceResult<NetworkEvidence.Probes> probes, SourceResult<CallHistory> calls) {
		List<Evidence> evidence = new ArrayList<>();
		Now now = now(probes, evidence);
		Past past = (calls != null) ? past(calls, evidence) : Past.NONE;
		Verdict verdict = switch (now) {
			case ALL -> Verdict.LIKELY;
			case SOME -> (past == Past.NOTABLE) ? Verdict.LIKELY : Verdict.POSSIBLE;
			case OK -> (past == Past.NOTABLE) ? Verdict.POSSIBLE : Verdict.UNLIKELY;
			case NONE -> switch (past) {
				case NOTABLE -> Verdict.POSSIBLE;
				case CLEAN -> Verdict.UNLIKELY;
				case NONE -> Verdict.UNKNOWN;
			};
		};
		return CauseDiagnosis.of(CAUSE, verdict, evidence, CAUSE.remediations());
	}

	private static Now now(SourceResult<NetworkEvidence.Probes> probes, List<Evidence> evidence) {
		if (!(probes instanceof SourceResult.Ok<NetworkEvidence.Probes> ok)) {
			evidence.add(Evidence.of(SOURCE, ObjectLeakCheck.reason(probes)));
			return Now.NONE;
		}
		NetworkEvidence.Probes p = ok.value();
		evidence.add(Evidence.of(SOURCE, p.failed() + " of " + p.attempts() + " apiserver probes failed", p.failed()));
		p.failures().forEach((f) -> evidence.add(Evidence.of(SOURCE, f)));
		p.answers().forEach((a) -> evidence.add(Evidence.of(SOURCE, a)));
		if (p.attempts() == 0) {
			return Now.NONE;
		}
		return (p.failed() == p.attempts()) ? Now.ALL : (p.failed() > 0) ? Now.SOME : Now.OK;
	}

	private static Past past(SourceResult<CallHistory> calls, List<Evidence> evidence) {
		if (!(calls instanceof SourceResult.Ok<CallHistory> ok)) {
			evidence.add(Evidence.of(CALLS, "The dashboard's own calls: " + ObjectLeakCheck.reason(calls)));
			return Past.NONE;
		}
		CallHistory history = ok.value();
		if (!history.any()) {
			evidence.add(Evidence.of(CALLS, "No call of the dashboard to this apiserver is recorded in the window"));
			return Past.NONE;
		}
		evidence.add(Evidence.of(CALLS,
				history.calls() + " own calls to the apiserver in the window: " + history.networkFailures()
						+ " not carried by the network (" + percent(history.networkFailureShare()) + "), "
						+ history.httpErrors() + " answered with an HTTP error",
				history.networkFailureShare()));
		if (!history.failures().isEmpty()) {
			evidence.add(Evidence.of(CALLS,
					"Failed calls by kind: " + history.failures()
						.entrySet()
						.stream()
						.map((e) -> e.getKey() + " " + e.getValue())
						.collect(Collectors.joining(", "))));
		}
		OwnCall longest = history.longest();
		evidence.add(Evidence.of(CALLS,
				"Call duration p50 " + duration(history.p50()) + ", p99 " + duration(history.p99()) + "; longest "
						+ duration(longest.took()) + " (" + longest.kind() + " at " + longest.at() + ", "
						+ outcome(longest) + ")",
				history.p99().toNanos() / 1_000_000.0));
		if (history.longestFailureRun() >= 2) {
			evidence
				.add(Evidence.of(CALLS, history.longestFailureRun() + " calls in a row were not carried by the network",
						history.longestFailureRun()));
		}
		OwnCall last = history.lastFailure();
		if (last != null) {
			evidence.add(Evidence.of(CALLS, "Last failed call: " + last.kind() + " at " + last.at() + ", "
					+ outcome(last) + ((last.detail() != null) ? " (" + last.detail() + ")" : "")));
		}
		if (history.truncated()) {
			evidence.add(Evidence.of(CALLS, "Only the newest " + history.calls() + " calls of the window were read"));
		}
		boolean notable = history.networkFailures() >= NOTABLE_FAILURES
				&& (history.networkFailureShare() >= NOTABLE_SHARE || history.longestFailureRun() >= NOTABLE_RUN);
		return notable ? Past.NOTABLE : Past.CLEAN;
	}

	private static String outcome(OwnCall call) {
		String failure = call.failureKind();
		if (failure == null) {
			return "HTTP " + call.httpStatus();
		}
		return failure.startsWith("HTTP") ? "HTTP " + call.httpStatus() : failure;
	}

	static String percent(double share) {
		return String.format(Locale.ROOT, "%.1f %%", share * 100);
	}

	static String duration(Duration duration) {
		long millis = duration.toMillis();
		if (millis < 1_000) {
			return millis + " ms";
		}
		return String.format(Locale.ROOT, "%.1f s", duration.toNanos() / 1e9);
	}

}
