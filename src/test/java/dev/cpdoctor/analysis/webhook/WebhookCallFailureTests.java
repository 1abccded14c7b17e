package dev.cpdoctor.analysis.webhook;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookCallFailureTests {

	private static WebhookCallFailure failure(String message) {
		return new WebhookCallFailure("ns", "Pod/p", "FailedCreate", message, 1, null);
	}

	@Test
	void namesTheWebhookTheApiserverFailedToCall() {
		assertThat(failure("Internal error occurred: failed calling webhook \"validate.kyverno.svc-fail\":"
				+ " failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/validate/fail?timeout=10s\": EOF")
			.webhook()).isEqualTo("validate.kyverno.svc-fail");
		assertThat(failure("failed calling webhook without a quoted name").webhook()).isNull();
	}

	@Test
	void longMessagesAreCutAndMissingPartsAreEmpty() {
		WebhookCallFailure cut = new WebhookCallFailure(null, null, null, "failed calling webhook " + "x".repeat(1_000),
				0, null);
		assertThat(cut.message()).hasSize(WebhookCallFailure.MAX_MESSAGE).endsWith("\u2026");
		assertThat(cut.count()).isEqualTo(1);
		assertThat(cut.namespace()).isEmpty();
		assertThat(cut.involvedObject()).isEmpty();
	}

	@Test
	void onlyMessagesWithThePhraseAreAboutWebhooks() {
		assertThat(WebhookCallFailure.isAbout("Error creating: failed calling webhook \"a\"")).isTrue();
		assertThat(WebhookCallFailure.isAbout("Back-off restarting failed container")).isFalse();
		assertThat(WebhookCallFailure.isAbout(null)).isFalse();
	}

}
