package dev.cpdoctor.troubleshoot;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook.Kind;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookDeadlockCheckTests {

	static AdmissionWebhook hook(String configuration, Kind kind, String policy, Integer ready, boolean excludes,
			int timeout) {
		return new AdmissionWebhook(configuration, kind, "hook." + configuration, policy, "ns/svc", ready, excludes,
				timeout);
	}

	static CauseDiagnosis check(List<AdmissionWebhook> hooks, List<WebhookCallFailure> failures) {
		return WebhookDeadlockCheck.check(SourceResult.ok(hooks), SourceResult.ok(failures));
	}

	@Test
	void aFailPolicyWebhookWithNoReadyEndpointsIsLikelyAndItsConfigurationIsDeleted() {
		CauseDiagnosis blocked = check(List.of(hook("kyverno-cfg", Kind.MUTATING, "Fail", 0, true, 10)), List.of());
		assertThat(blocked.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(blocked.remedies().get(0).text())
			.contains("kubectl delete mutatingwebhookconfiguration kyverno-cfg\n");
		assertThat(blocked.remedies().get(0).warnings()).isNotEmpty();
		// one ready endpoint: only the kube-system exclusion or timeout could make it
		// risky, and it has neither
		assertThat(check(List.of(hook("kyverno-cfg", Kind.MUTATING, "Fail", 1, true, 10)), List.of()).verdict())
			.isEqualTo(Verdict.UNLIKELY);
		// Ignore never blocks
		assertThat(check(List.of(hook("kyverno-cfg", Kind.MUTATING, "Ignore", 0, false, 30)), List.of()).verdict())
			.isEqualTo(Verdict.UNLIKELY);
	}

	@Test
	void riskSignsOfAFailPolicyWebhookArePossible() {
		assertThat(check(List.of(hook("a", Kind.VALIDATING, "Fail", 2, false, 10)), List.of()).verdict())
			.isEqualTo(Verdict.POSSIBLE);
		assertThat(check(List.of(hook("a", Kind.VALIDATING, "Fail", 2, true, 11)), List.of()).verdict())
			.isEqualTo(Verdict.POSSIBLE);
		assertThat(check(List.of(hook("a", Kind.VALIDATING, "Fail", null, true, 10)), List.of()).verdict())
			.isEqualTo(Verdict.POSSIBLE);
		CauseDiagnosis possible = check(List.of(hook("a", Kind.VALIDATING, "Fail", 2, false, 10)), List.of());
		assertThat(possible.remedies()).allMatch((r) -> r.kind() == Remediation.Kind.ADVICE);
	}

	@Test
	void aFailedCallEventIsLikelyAndNamesTheConfigurationToDelete() {
		WebhookCallFailure failure = new WebhookCallFailure("kyverno", "ReplicaSet/x", "FailedCreate",
				"Internal error occurred: failed calling webhook \"hook.gk\": broken pipe", 3, Instant.EPOCH);
		CauseDiagnosis failed = check(List.of(hook("gk", Kind.VALIDATING, "Fail", 2, true, 10)), List.of(failure));
		assertThat(failed.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(failed.evidence()).anyMatch((e) -> e.text().contains("failed calling webhook") && e.value() == 3.0);
		assertThat(failed.remedies().get(0).text()).contains("kubectl delete validatingwebhookconfiguration gk\n");
	}

	@Test
	void aFailedCallEventAloneIsLikelyEvenWhenTheWebhooksCannotBeRead() {
		WebhookCallFailure failure = new WebhookCallFailure("kyverno", "ReplicaSet/x", "FailedCreate",
				"Internal error occurred: failed calling webhook \"gone.example.com\": no endpoints", 1, null);
		CauseDiagnosis failed = WebhookDeadlockCheck.check(SourceResult.failed("403 Forbidden"),
				SourceResult.ok(List.of(failure)));
		assertThat(failed.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(failed.remedies()).allMatch((r) -> r.kind() == Remediation.Kind.ADVICE);
	}

	@Test
	void anInvalidConfigurationNameGetsAdviceNotACommand() {
		CauseDiagnosis odd = check(List.of(hook("x; rm -rf /", Kind.MUTATING, "Fail", 0, true, 10)), List.of());
		assertThat(odd.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(odd.remedies()).allMatch((r) -> r.text() == null);
	}

	@Test
	void failedSourcesGiveUnknownWithTheirReasons() {
		CauseDiagnosis unknown = WebhookDeadlockCheck.check(SourceResult.failed("403 Forbidden"),
				SourceResult.failed("events: timeout"));
		assertThat(unknown.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(unknown.evidence()).extracting(Evidence::text)
			.anyMatch((t) -> t.contains("403 Forbidden"))
			.anyMatch((t) -> t.contains("events: timeout"));
	}

}
