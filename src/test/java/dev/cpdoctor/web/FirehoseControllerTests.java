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
 * Firehose's HTTP endpoint delivery in HTTP: the access key is the cluster's token, the
 * answer echoes the request's id with a timestamp, and a refusal is an error status with
 * an errorMessage, as Firehose's request and response specification says.
 */
class FirehoseControllerTests extends AbstractWebSliceTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String DELIVERY = "{\"requestId\":\"ed4acda5-034f-9f42-bba1-f29aea6d7d8f\","
			+ "\"timestamp\":1578090901599,\"records\":[]}";

	@Test
	void aStoredDeliveryIsAnsweredWithItsRequestIdAndATimestamp() throws Exception {
		this.fakes.intake.answer = new Delivery.Stored(3, Map.of());
		HttpResponse<String> response = deliver("t0k3n");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode answer = JSON.readTree(response.body());
		assertThat(answer.get("requestId").asString()).isEqualTo("ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
		assertThat(answer.get("timestamp").asLong()).isPositive();
		assertThat(answer.has("errorMessage")).isFalse();
		assertThat(this.fakes.intake.bearerToken).isEqualTo("t0k3n");
		assertThat(this.fakes.intake.cluster).isEqualTo("lab");
		assertThat(this.fakes.intake.body).isEqualTo(DELIVERY);
	}

	@Test
	void aRefusedDeliveryIsAnErrorStatusWithAnErrorMessageFirehoseLogs() throws Exception {
		this.fakes.intake.answer = new Delivery.Refused(Refusal.UNAUTHORIZED, "no audit webhook takes this token");
		HttpResponse<String> wrongKey = deliver("wrong");
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		JsonNode answer = JSON.readTree(wrongKey.body());
		assertThat(answer.get("requestId").asString()).isEqualTo("ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
		assertThat(answer.get("errorMessage").asString()).contains("access key").contains("webhook-token");
		this.fakes.intake.answer = new Delivery.Refused(Refusal.TOO_LARGE, "larger than 64MB");
		HttpResponse<String> large = deliver("t0k3n");
		assertThat(large.statusCode()).isEqualTo(413);
		assertThat(JSON.readTree(large.body()).get("errorMessage").asString()).isEqualTo("larger than 64MB");
		this.fakes.intake.answer = new Delivery.Refused(Refusal.BUSY, "busy");
		HttpResponse<String> busy = deliver("t0k3n");
		assertThat(busy.statusCode()).isEqualTo(429);
		assertThat(busy.headers().firstValue("Retry-After")).contains("1");
	}

	private HttpResponse<String> deliver(String accessKey) throws Exception {
		return send(HttpMethod.POST, "/api/v1/clusters/lab/audit/firehose", DELIVERY, "Content-Type",
				"application/json", "X-Amz-Firehose-Protocol-Version", "1.0", "X-Amz-Firehose-Request-Id",
				"ed4acda5-034f-9f42-bba1-f29aea6d7d8f", "X-Amz-Firehose-Access-Key", accessKey);
	}

}
