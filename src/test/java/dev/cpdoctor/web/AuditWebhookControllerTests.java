package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.source.AuditIntake.Delivery;
import dev.cpdoctor.source.AuditIntake.Refusal;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit webhook in HTTP over what the audit intake answers: 2xx only for a stored
 * batch, and every refusal as the apiserver's webhook backend understands it (it keeps
 * the batch and retries).
 */
class AuditWebhookControllerTests extends AbstractWebSliceTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String BATCH = "{\"kind\":\"EventList\",\"items\":[]}";

	@Test
	void aStoredBatchIsAcknowledgedWithWhatWasKept() throws Exception {
		this.fakes.intake.answer = new Delivery.Stored(2, Map.of("no stage", 1L));
		HttpResponse<String> response = deliver("Bearer t0k3n");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode received = JSON.readTree(response.body());
		assertThat(received.get("cluster").asString()).isEqualTo("lab");
		assertThat(received.get("events").asLong()).isEqualTo(2);
		assertThat(received.get("problems").get("no stage").asLong()).isEqualTo(1);
		assertThat(this.fakes.intake.cluster).isEqualTo("lab");
		assertThat(this.fakes.intake.bearerToken).isEqualTo("t0k3n");
		assertThat(this.fakes.intake.body).isEqualTo(BATCH);
	}

	@Test
	void onlyABearerTokenIsPassedOn() throws Exception {
		this.fakes.intake.answer = new Delivery.Stored(0, Map.of());
		deliver("Basic c3JlOnMzY3JldA==");
		assertThat(this.fakes.intake.bearerToken).isNull();
		deliver("bearer  t0k3n ");
		assertThat(this.fakes.intake.bearerToken).isEqualTo("t0k3n");
	}

	@Test
	void aWrongTokenIs401WithTheChallenge() throws Exception {
		this.fakes.intake.answer = new Delivery.Refused(Refusal.UNAUTHORIZED, "no audit webhook takes this token");
		HttpResponse<String> response = deliver("Bearer wrong");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.contains("Bearer realm=\"control-plane-doctor audit webhook\"");
		assertThat(JSON.readTree(response.body()).get("message").asString())
			.isEqualTo("no audit webhook takes this token");
	}

	@Test
	void aBusyQueueAsksForTheBatchAgainInASecond() throws Exception {
		this.fakes.intake.answer = new Delivery.Refused(Refusal.BUSY, "busy");
		HttpResponse<String> response = deliver("Bearer t0k3n");
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).contains("1");
	}

	@Test
	void aBatchTooLargeOrAFailingStoreSaysWhy() throws Exception {
		this.fakes.intake.answer = new Delivery.Refused(Refusal.TOO_LARGE, "the batch is larger than 64MB");
		HttpResponse<String> large = deliver("Bearer t0k3n");
		assertThat(large.statusCode()).isEqualTo(413);
		assertThat(JSON.readTree(large.body()).get("message").asString()).isEqualTo("the batch is larger than 64MB");
		this.fakes.intake.answer = new Delivery.Refused(Refusal.UNAVAILABLE, "the store failed");
		HttpResponse<String> unavailable = deliver("Bearer t0k3n");
		assertThat(unavailable.statusCode()).isEqualTo(503);
		assertThat(JSON.readTree(unavailable.body()).get("message").asString()).isEqualTo("the store failed");
	}

	private HttpResponse<String> deliver(String authorization) throws Exception {
		return send(HttpMethod.POST, "/api/v1/clusters/lab/audit", BATCH, "Content-Type", "application/json", "Accept",
				"application/json", "Authorization", authorization);
	}

}
