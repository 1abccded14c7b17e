package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The verbose probe text in the shape kube-apiserver writes it
 * (k8s.io/apiserver/pkg/server/healthz).
 */
public class ProbeTextTests {

	/**
	 * /readyz?verbose of a healthy v1.30 apiserver (shortened: the real one lists ~40
	 * post-start hooks).
	 */
	public static final String READYZ_PASSED = """
			[+]ping ok
			[+]log ok
			[+]etcd ok
			[+]etcd-readiness ok
			[+]informer-sync ok
			[+]poststarthook/start-apiserver-admission-initializer ok
			[+]poststarthook/generic-apiserver-start-informers ok
			[+]poststarthook/priority-and-fairness-config-consumer ok
			[+]poststarthook/rbac/bootstrap-roles ok
			[+]shutdown ok
			readyz check passed
			""";

	/**
	 * /readyz?verbose while etcd is unreachable: HTTP 500, reasons withheld from the
	 * client.
	 */
	public static final String READYZ_FAILED = """
			[+]ping ok
			[+]log ok
			[-]etcd failed: reason withheld
			[-]etcd-readiness failed: reason withheld
			[+]informer-sync ok
			[+]poststarthook/start-apiserver-admission-initializer ok
			[+]shutdown ok
			readyz check failed
			""";

	public static final String LIVEZ_PASSED = """
			[+]ping ok
			[+]log ok
			[+]etcd excluded: ok
			[+]poststarthook/start-apiserver-admission-initializer ok
			livez check passed
			""";

	private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

	private static final Duration TOOK = Duration.ofMillis(42);

	@Test
	void aPassingReadyzListsEveryCheck() {
		ApiserverProbe probe = ProbeText.parse("/readyz", 200, READYZ_PASSED, AT, TOOK);
		assertThat(probe.outcome()).isEqualTo(Outcome.PASSED);
		assertThat(probe.passed()).isTrue();
		assertThat(probe.checks()).hasSize(10);
		assertThat(probe.checks().get(0)).isEqualTo(new ProbeCheck("ping", true, "ok"));
		assertThat(probe.checks().get(5).name()).isEqualTo("poststarthook/start-apiserver-admission-initializer");
		assertThat(probe.failing()).isEmpty();
		assertThat(probe.httpStatus()).isEqualTo(200);
		assertThat(probe.took()).isEqualTo(TOOK);
		assertThat(probe.reason()).isNull();
	}

	@Test
	void aFailingReadyzNamesItsFailingChecks() {
		ApiserverProbe probe = ProbeText.parse("/readyz", 500, READYZ_FAILED, AT, TOOK);
		assertThat(probe.outcome()).isEqualTo(Outcome.FAILED);
		assertThat(probe.outcome().answered()).isTrue();
		assertThat(probe.checks()).hasSize(7);
		assertThat(probe.failing()).containsExactly(new ProbeCheck("etcd", false, "failed: reason withheld"),
				new ProbeCheck("etcd-readiness", false, "failed: reason withheld"));
		assertThat(probe.reason()).isEqualTo("readyz check failed: etcd, etcd-readiness");
	}

	@Test
	void excludedChecksAreReadAsSuch() {
		ApiserverProbe probe = ProbeText.parse("/livez", 200, LIVEZ_PASSED, AT, TOOK);
		assertThat(probe.passed()).isTrue();
		assertThat(probe.checks().get(2).excluded()).isTrue();
		assertThat(probe.checks().get(0).excluded()).isFalse();
	}

	@Test
	void theShortAnswerPasses() {
		assertThat(ProbeText.parse("/livez", 200, "ok", AT, TOOK).outcome()).isEqualTo(Outcome.PASSED);
	}

	@Test
	void theVerdictLineMustBeThisProbesAndMatchTheStatus() {
		assertThat(ProbeText.parse("/livez", 200, READYZ_PASSED, AT, TOOK).outcome()).as("a readyz answer to livez")
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(ProbeText.parse("/readyz", 200, READYZ_FAILED, AT, TOOK).outcome()).as("failed with 200")
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(ProbeText.parse("/readyz", 500, READYZ_PASSED, AT, TOOK).outcome()).as("passed with 500")
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(
				ProbeText.parse("/readyz", 200, READYZ_PASSED.replace("readyz check passed\n", ""), AT, TOOK).outcome())
			.as("no verdict: a truncated answer")
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(ProbeText.parse("/readyz", 200, READYZ_PASSED.replace("[+]log ok", "[-]log failed: x"), AT, TOOK)
			.outcome()).as("passed with a [-] line").isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
	}

	@Test
	void htmlAndJsonAreNoProbeAnswers() {
		ApiserverProbe html = ProbeText.parse("/readyz", 200, "<html><body><form>Sign in</form></body></html>", AT,
				TOOK);
		assertThat(html.outcome()).isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(html.reason()).isEqualTo("GET /readyz?verbose answered HTTP 200 that is not a probe answer"
				+ " (an unexpected line; a proxy or login page?)");
		assertThat(html.checks()).isEmpty();
		assertThat(ProbeText.parse("/readyz", 500, "{\"kind\":\"Status\",\"code\":500}", AT, TOOK).outcome())
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(ProbeText.parse("/readyz", 200, "", AT, TOOK).outcome()).isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
	}

	@Test
	void controlCharactersInACheckLineAreRefused() {
		assertThat(ProbeText.parse("/readyz", 200, "[+]ping\u001b[31m ok\nreadyz check passed\n", AT, TOOK).outcome())
			.isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
	}

	@Test
	void crlfLineEndsAreRead() {
		assertThat(ProbeText.parse("/readyz", 200, READYZ_PASSED.replace("\n", "\r\n"), AT, TOOK).checks()).hasSize(10);
	}

}
