package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.List;

import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceResult;

/**
 * Cause 1, network rules block agent nodes from the apiserver. The facts: the apiserver probes and
 * calls of the window ({@link NetworkEvidence}).
 * <ul>
 * <li>LIKELY when every attempt failed (at least one attempt);</li>
 * <li>POSSIBLE when some, not all, failed;</li>
 * <li>UNLIKELY when there were attempts and none failed;</li>
 * <li>UNKNOWN when there is no evidence (no probes yet, or no attempt in the window).</li>
 * </ul>
 * The remedies are the symptom table's: the connectivity check from a node, and fixing the rule.
 */
public final class NetworkCheck {

	private NetworkCheck() {
	}

	public static CauseDiagnosis check(SourceResult<NetworkEvidence.Probes> probes) {
		List<Evidence> evidence = new ArrayList<>();
		Verdict verdict;
		if (probes instanceof SourceResult.Ok<NetworkEvidence.Probes> ok) {
			NetworkEvidence.Probes p = ok.value();
			evidence.add(Evidence.of("network", p.failed() + " of " + p.attempts() + " apiserver probes and calls failed",
					p.failed()));
			p.failures().forEach((f) -> evidence.add(Evidence.of("network", f)));
			p.answers().forEach((a) -> evidence.add(Evidence.of("network", a)));
			verdict = (p.attempts() == 0) ? Verdict.UNKNOWN
					: (p.failed() == p.attempts()) ? Verdict.LIKELY : (p.failed() > 0) ? Verdict.POSSIBLE : Verdict.UNLIKELY;
		}
		else {
			evidence.add(Evidence.of("network", ObjectLeakCheck.reason(probes)));
			verdict = Verdict.UNKNOWN;
		}
		return CauseDiagnosis.of(SymptomTable.NETWORK_RULES, verdict, evidence, SymptomTable.NETWORK_RULES.remediations());
	}

}
