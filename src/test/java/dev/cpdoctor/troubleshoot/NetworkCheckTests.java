package dev.cpdoctor.troubleshoot;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

class NetworkCheckTests {

	static Verdict verdict(int attempts, int failed) {
		return NetworkCheck.check(SourceResult.ok(new NetworkEvidence.Probes(attempts, failed, List.of()))).verdict();
	}

	@Test
	void allFailedIsLikelySomePossibleNoneUnlikely() {
		assertThat(verdict(5, 5)).isEqualTo(Verdict.LIKELY);
		assertThat(verdict(5, 4)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(5, 1)).isEqualTo(Verdict.POSSIBLE);
		assertThat(verdict(5, 0)).isEqualTo(Verdict.UNLIKELY);
		assertThat(verdict(0, 0)).isEqualTo(Verdict.UNKNOWN);
	}

	@Test
	void whatTheApiserverAnsweredIsEvidenceWithoutCountingAgainstTheNetwork() {
		CauseDiagnosis answered = NetworkCheck.check(SourceResult.ok(new NetworkEvidence.Probes(2, 0, List.of(),
				List.of("/readyz answered, not passing: readyz check failed: etcd"))));
		assertThat(answered.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(answered.evidence()).extracting(Evidence::text)
			.containsExactly("0 of 2 apiserver probes and calls failed",
					"/readyz answered, not passing: readyz check failed: etcd");
	}

	@Test
	void withoutProbesItIsUnknownAndSaysWhy() {
		CauseDiagnosis none = NetworkCheck.check(NetworkEvidence.NONE.probes(null, null));
		assertThat(none.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(none.id()).isEqualTo(1);
		assertThat(none.evidence().get(0).text()).contains("No network probes");
		assertThat(none.remedies()).anyMatch((r) -> r.text() != null && r.text().contains("check-apiserver-connectivity"));
	}

}
