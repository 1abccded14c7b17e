package dev.cpdoctor.web;

import java.io.IOException;
import java.time.Clock;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.AuditIntake.Delivery;

/**
 * Amazon Data Firehose's HTTP endpoint delivery, the streaming way in for EKS (whose
 * apiserver cannot be pointed at a webhook): control plane logging, a CloudWatch Logs
 * subscription filter on the audit streams, a Firehose stream whose HTTP endpoint is this
 * URL and whose access key is the cluster's webhook token. Each delivery's records are
 * the subscription's gzip payloads; they are taken as a webhook batch is, and answered as
 * Firehose expects: 200 with the request's id and a timestamp once stored, else an error
 * status with an errorMessage (Firehose then retries the same request).
 */
@RestController
@RequestMapping(path = "/api/v1/clusters/{name}/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class FirehoseController {

	static final String REQUEST_ID = "X-Amz-Firehose-Request-Id";

	static final String ACCESS_KEY = "X-Amz-Firehose-Access-Key";

	/** Firehose's answer: the request's id, a timestamp in ms, and on failure why. */
	record FirehoseAnswer(String requestId, long timestamp,
			@JsonInclude(JsonInclude.Include.NON_NULL) String errorMessage) {
	}

	private final AuditIntake intake;

	private final Clock clock;

	FirehoseController(AuditIntake intake, Clock clock) {
		this.intake = intake;
		this.clock = clock;
	}

	@PostMapping("/firehose")
	ResponseEntity<FirehoseAnswer> deliver(@PathVariable String name, HttpServletRequest request) throws IOException {
		String requestId = request.getHeader(REQUEST_ID);
		Delivery delivery = this.intake.deliver(name, request.getHeader(ACCESS_KEY), request.getContentLengthLong(),
				request.getInputStream());
		long now = this.clock.millis();
		if (delivery instanceof Delivery.Stored) {
			return ResponseEntity.ok(new FirehoseAnswer(requestId, now, null));
		}
		Delivery.Refused refused = (Delivery.Refused) delivery;
		HttpStatus status = switch (refused.refusal()) {
			case UNAUTHORIZED -> HttpStatus.UNAUTHORIZED;
			case BUSY -> HttpStatus.TOO_MANY_REQUESTS;
			case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
			case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
		};
		String message = (refused.refusal() == AuditIntake.Refusal.UNAUTHORIZED)
				? "No audit webhook of this name takes this access key: set the Firehose stream's access key to the"
						+ " cluster's cpdoctor.clusters[].audit.webhook-token"
				: refused.message();
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(status);
		if (status == HttpStatus.TOO_MANY_REQUESTS) {
			answer.header(HttpHeaders.RETRY_AFTER, "1");
		}
		return answer.body(new FirehoseAnswer(requestId, now, message));
	}

}
