package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook.Kind;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The troubleshoot page's webhook panel over what a webhook source answers: the blocking
 * webhook first in red, what is unknown said, a failing source an error in the panel.
 */
class TroubleshootControllerTests extends AbstractWebSliceTests {

	static final String HOSTILE = "<img src=x onerror=alert(1)>";

	@Test
	void theBlockingWebhookIsARiskyRowAndHostileNamesStayText() throws Exception {
		this.fakes.webhooks.put("lab",
				new SourceResult.Ok<>(List.of(
						new AdmissionWebhook("kyverno-resource-mutating-webhook-cfg", Kind.MUTATING,
								"mutate.kyverno.svc-fail", "Fail", "kyverno/kyverno-svc", 0, false, 10),
						new AdmissionWebhook("policy", Kind.VALIDATING, HOSTILE, "Ignore", "gatekeeper-system/webhook",
								null, true, 3)),
						List.of("ready endpoints of gatekeeper-system/webhook are unknown")));
		HttpResponse<String> page = get("/troubleshoot?cluster=lab", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		String panel = panel(page.body());
		assertThat(panel).contains("class=\"risky\"")
			.contains("service kyverno/kyverno-svc has no ready endpoints")
			.contains(">unknown<")
			.contains("<p class=\"warning\">ready endpoints of gatekeeper-system/webhook are unknown</p>")
			.contains("&lt;img src=x onerror=alert(1)&gt;")
			.doesNotContain(HOSTILE);
	}

	@Test
	void aFailingSourceIsAnErrorInThePanelAndThePageStillListsTheSymptoms() throws Exception {
		HttpResponse<String> page = get("/troubleshoot?cluster=bare", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(panel(page.body())).contains("<p class=\"error\">No webhook source for cluster &#39;bare&#39;</p>");
		assertThat(page.body()).contains("id=\"symptom-timeouts\"").contains("id=\"symptom-webhook-failures\"");
	}

	@Test
	void anUnknownClusterIsTheErrorPageNamingIt() throws Exception {
		HttpResponse<String> page = get("/troubleshoot?cluster=nope", "text/html");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(page.body()).contains("id=\"error-message\">Unknown cluster &#39;nope&#39;</p>");
	}

	private static String panel(String body) {
		int start = body.indexOf("id=\"panel-webhooks\"");
		return body.substring(start, body.indexOf("</section>", start));
	}

}
