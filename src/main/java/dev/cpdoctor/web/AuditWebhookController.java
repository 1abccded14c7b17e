package dev.cpdoctor.web;

import java.io.IOException;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.AuditIntake.Delivery;

/**
 * The audit webhook: what the apiserver's --audit-webhook-config-file points at. It
 * answers 2xx only once the batch is stored; otherwise the apiserver keeps the batch and
 * retries. The receiving is the audit source's ({@link AuditIntake}); this says it in
 * HTTP.
 */
@RestController
@RequestMapping("/api/v1/clusters/{name}")
class AuditWebhookController {

	record Received(String cluster, long events, Map<String, Long> problems) {
	}

	/**
	 * The JSON API's error shape (status and message), for answers that also need a
	 * header.
	 */
	record Refused(int status, String message) {
	}

	private final AuditIntake intake;

	AuditWebhookController(AuditIntake intake) {
		this.intake = intake;
	}

	@PostMapping("/audit")
	ResponseEntity<?> receive(@PathVariable String name, HttpServletRequest request) throws IOException {
		Delivery delivery = this.intake.deliver(name, bearer(request.getHeader(HttpHeaders.AUTHORIZATION)),
				request.getContentLengthLong(), request.getInputStream());
		if (delivery instanceof Delivery.Stored stored) {
			return ResponseEntity.ok(new Received(name, stored.events(), stored.problems()));
		}
		Delivery.Refused refused = (Delivery.Refused) delivery;
		return switch (refused.refusal()) {
			case UNAUTHORIZED -> ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"control-plane-doctor audit webhook\"")
				.body(new Refused(401, refused.message()));
			case BUSY ->
				ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "1").build();
			case TOO_LARGE -> throw new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, refused.message());
			case UNAVAILABLE -> throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, refused.message());
		};
	}

	private static String bearer(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

}
