package dev.cpdoctor.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.source.auditlog.AuditIngest;
import dev.cpdoctor.source.auditlog.AuditIngestProperties;
import dev.cpdoctor.source.auditlog.AuditReceivers;
import dev.cpdoctor.support.Sha256;

/**
 * The audit webhook receiver: what the apiserver's --audit-webhook-config-file points at.
 * It takes an audit.k8s.io/v1 EventList (or JSON lines of Events) with the cluster's
 * bearer token and answers 2xx only once the batch is stored; otherwise the apiserver
 * keeps the batch and retries.
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

	private final AuditReceivers receivers;

	private final AuditEventParser parser = new AuditEventParser();

	private final DataSize maxBatch;

	AuditWebhookController(AuditReceivers receivers, AuditIngestProperties properties) {
		this.receivers = receivers;
		this.maxBatch = properties.maxBatch();
	}

	@PostMapping("/audit")
	ResponseEntity<?> receive(@PathVariable String name, HttpServletRequest request) throws IOException {
		if (this.receivers.access(name,
				bearer(request.getHeader(HttpHeaders.AUTHORIZATION))) != AuditReceivers.Access.ALLOWED) {
			// One answer for an unknown cluster, a closed webhook and a wrong token:
			// without the token
			// nobody learns which clusters take audit events.
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"control-plane-doctor audit webhook\"")
				.body(new Refused(401, "No audit webhook of this name takes this bearer token: send the cluster's"
						+ " cpdoctor.clusters[].audit.webhook-token (a cluster without one takes no events)"));
		}
		long declared = request.getContentLengthLong();
		if (declared > this.maxBatch.toBytes()) {
			throw tooLarge();
		}
		AuditIngest ingest = this.receivers.ingest(name).orElseThrow();
		// A place in the queue before the body is read: a busy receiver refuses without
		// buffering.
		Optional<AuditIngest.Admission> admission = ingest.admit();
		if (admission.isEmpty()) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, "1").build();
		}
		try (AuditIngest.Admission admitted = admission.get()) {
			byte[] body;
			try (InputStream in = new BoundedInputStream(request.getInputStream(), this.maxBatch.toBytes())) {
				body = in.readAllBytes();
			}
			catch (BoundedInputStream.LimitExceededException ex) {
				throw tooLarge();
			}
			List<AuditEvent> events = new ArrayList<>();
			AuditInputReport report = this.parser.parseBody(body, events::add);
			AuditIngest.Outcome outcome;
			try {
				outcome = admitted.store(events, report, Sha256.hex(body));
			}
			catch (DataAccessException ex) {
				throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE,
						"The batch could not be stored; send it again later");
			}
			if (outcome == AuditIngest.Outcome.REPEATED) {
				return ResponseEntity.ok(new Received(name, 0,
						Map.of("repeated batch (stored before, not counted again)", report.events())));
			}
			return ResponseEntity.ok(new Received(name, report.events(), report.problems()));
		}
	}

	private ResponseStatusException tooLarge() {
		return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE, "The batch is larger than " + this.maxBatch
				+ " (cpdoctor.audit.max-batch); lower --audit-webhook-batch-max-size");
	}

	private static String bearer(String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			return null;
		}
		return authorization.substring(7).trim();
	}

}
