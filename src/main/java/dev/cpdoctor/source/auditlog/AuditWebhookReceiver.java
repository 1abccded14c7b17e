package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DataAccessException;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.form.AuditForms;
import dev.cpdoctor.analysis.audit.form.ExpandedTooLarge;
import dev.cpdoctor.analysis.audit.form.FormLimits;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.support.BoundedInputStream;
import dev.cpdoctor.support.Sha256;

/**
 * The audit webhook receiver: checks the cluster's bearer token, takes a place in its
 * queue before the body is read (a busy receiver refuses without buffering), reads at
 * most the largest batch, parses it and stores it through the cluster's
 * {@link AuditIngest}, remembering the body's digest so that a resend is not counted
 * twice.
 * <p>
 * The body may be any form {@link AuditForms} reads, told from its content: an EventList
 * (a byte-order mark before it too), JSON lines, gzip (whatever Content-Encoding says),
 * an EKS or AKS export. What gzip expands to is bounded by the same largest batch; the
 * digest is of the bytes received.
 */
public final class AuditWebhookReceiver implements AuditIntake {

	private final AuditReceivers receivers;

	private final DataSize maxBatch;

	private final AuditForms forms;

	public AuditWebhookReceiver(AuditReceivers receivers, DataSize maxBatch) {
		this.receivers = receivers;
		this.maxBatch = maxBatch;
		long max = maxBatch.toBytes();
		this.forms = new AuditForms(FormLimits.of((int) Math.max(1024, Math.min(max, Integer.MAX_VALUE - 8)), max));
	}

	@Override
	public Delivery deliver(String cluster, String bearerToken, long declaredLength, InputStream body)
			throws IOException {
		if (this.receivers.access(cluster, bearerToken) != AuditReceivers.Access.ALLOWED) {
			// One answer for an unknown cluster, a closed webhook and a wrong token:
			// without the token nobody learns which clusters take audit events.
			return new Delivery.Refused(Refusal.UNAUTHORIZED, "No audit webhook of this name takes this bearer token:"
					+ " send the cluster's cpdoctor.clusters[].audit.webhook-token (a cluster without one takes no events)");
		}
		if (declaredLength > this.maxBatch.toBytes()) {
			return tooLarge();
		}
		AuditIngest ingest = this.receivers.ingest(cluster).orElseThrow();
		Optional<AuditIngest.Admission> admission = ingest.admit();
		if (admission.isEmpty()) {
			return new Delivery.Refused(Refusal.BUSY, "Too many batches wait to be stored: send it again in a second");
		}
		try (AuditIngest.Admission admitted = admission.get()) {
			byte[] bytes;
			try (InputStream in = new BoundedInputStream(body, this.maxBatch.toBytes())) {
				bytes = in.readAllBytes();
			}
			catch (BoundedInputStream.LimitExceededException ex) {
				return tooLarge();
			}
			List<AuditEvent> events = new ArrayList<>();
			AuditInputReport report;
			try {
				report = this.forms.read(bytes, events::add).report();
			}
			catch (ExpandedTooLarge ex) {
				return new Delivery.Refused(Refusal.TOO_LARGE, "The batch was refused: " + ex.getMessage()
						+ " (the most a batch may expand to is " + this.maxBatch + ", cpdoctor.audit.max-batch)");
			}
			AuditIngest.Outcome outcome;
			try {
				outcome = admitted.store(events, report, Sha256.hex(bytes));
			}
			catch (DataAccessException ex) {
				return new Delivery.Refused(Refusal.UNAVAILABLE, "The batch could not be stored; send it again later");
			}
			if (outcome == AuditIngest.Outcome.REPEATED) {
				return new Delivery.Stored(0,
						Map.of("repeated batch (stored before, not counted again)", report.events()));
			}
			// Stored even when nothing in it was usable, and answered 2xx: the apiserver
			// would resend a refused batch forever. The panel shows it instead.
			this.receivers.webhookBatch(cluster, report, bytes);
			return new Delivery.Stored(report.events(), report.problems());
		}
	}

	private Delivery tooLarge() {
		return new Delivery.Refused(Refusal.TOO_LARGE, "The batch is larger than " + this.maxBatch
				+ " (cpdoctor.audit.max-batch); lower --audit-webhook-batch-max-size");
	}

	@Override
	public Optional<SourceResult<AuditDataQuality>> quality(String cluster) {
		return this.receivers.quality(cluster);
	}

}
