package dev.cpdoctor.source.auditlog;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditTraffic.Request;
import dev.cpdoctor.analysis.audit.AuditTraffic;

import static dev.cpdoctor.source.auditlog.WebhookCalls.T0;
import static dev.cpdoctor.source.auditlog.WebhookCalls.TOKEN;
import static dev.cpdoctor.source.auditlog.WebhookCalls.post;
import static dev.cpdoctor.source.auditlog.WebhookCalls.properties;
import static dev.cpdoctor.source.auditlog.WebhookCalls.topUserAgents;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit webhook across a restart: its own two applications, one after the other on
 * one data directory; what counts once is what the first left in the database and the
 * second resumes from.
 */
class AuditWebhookRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void aBatchRetriedBeforeAndAfterARestartAndARequestWaitingAcrossItCountOnce() throws Exception {
		AuditTraffic traffic = AuditTraffic.random(12, 50, 3, T0, 5);
		// No watches: their completions minutes later would move event time past the
		// waiting request's horizon.
		traffic.requests().removeIf(Request::longRunning);
		Request waiting = traffic.requests().stream().max(Comparator.comparing(Request::received)).orElseThrow();
		List<String> completions = new ArrayList<>();
		traffic.requests().forEach((r) -> completions.add(AuditTraffic.event(r, "ResponseComplete")));
		completions.remove(AuditTraffic.event(waiting, "ResponseComplete"));
		try (TestApp first = TestApp.start(properties(this.dataDir, "lab"))) {
			String batch = AuditTraffic.eventList(completions);
			assertThat(post(first, "lab", batch, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
			assertThat(post(first, "lab", batch, "Authorization", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
			assertThat(
					post(first, "lab", AuditTraffic.eventList(List.of(AuditTraffic.event(waiting, "RequestReceived"))),
							"Authorization", "Bearer " + TOKEN)
						.statusCode())
				.isEqualTo(200);
		}
		try (TestApp restarted = TestApp.start(properties(this.dataDir, "lab"))) {
			// The apiserver did not get the 200 before the restart and sends the batch
			// again.
			String batch = AuditTraffic.eventList(completions);
			HttpResponse<String> again = post(restarted, "lab", batch, "Authorization", "Bearer " + TOKEN);
			assertThat(again.statusCode()).isEqualTo(200);
			assertThat(again.body()).contains("repeated batch");
			assertThat(post(restarted, "lab",
					AuditTraffic.eventList(List.of(AuditTraffic.event(waiting, "ResponseComplete"))), "Authorization",
					"Bearer " + TOKEN)
				.statusCode()).isEqualTo(200);
			assertThat(topUserAgents(restarted, "lab")).isEqualTo(traffic.requestsPerUserAgent());
			assertThat(restarted.bean(AuditReceivers.class).ingest("lab").orElseThrow().status().pending()).isZero();
		}
	}

}
