package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;

/**
 * Reads audit events from any form an SRE holds them in, told from the content (never
 * from a file name or a header): audit.k8s.io/v1 and v1beta1 Events and EventLists, JSON
 * lines, pretty-printed or concatenated documents, a UTF-8 byte-order mark wherever a
 * document may start; gzip (nested too, bounded); the EKS forms (CloudWatch Logs events,
 * Logs Insights results, exports to S3, subscription payloads, Firehose deliveries) and
 * the AKS forms (storage account and Event Hubs records, Log Analytics AKSAudit and
 * AzureDiagnostics rows as JSON or CSV).
 * <p>
 * Streamed: the input is never held whole, one document (line, row, wrapper item) at most
 * up to the limits' cap, a wrapper's array item by item. Every event goes through
 * {@link AuditEventParser} and is counted the same way whatever its form; what holds no
 * event is counted once with its reason.
 */
public final class AuditForms {

	private final FormLimits limits;

	private final AuditEventParser parser = new AuditEventParser();

	public AuditForms(FormLimits limits) {
		this.limits = limits;
	}

	/**
	 * Reads the whole input: its events to the sink, what it held and what was refused in
	 * the answer.
	 * @throws ExpandedTooLarge when gzip in it expands past the limits (events read
	 * before went to the sink; {@link ExpandedTooLarge#readSoFar()} counts them)
	 * @throws IOException when the input itself cannot be read
	 */
	public FormRead read(InputStream in, Consumer<AuditEvent> sink) throws IOException {
		FormReading reading = new FormReading(this.limits, this.parser.events(new AuditInputReport(), sink));
		try {
			reading.read(in);
		}
		catch (ExpandedTooLarge ex) {
			ex.readSoFar(reading.result());
			throw ex;
		}
		return reading.result();
	}

	/**
	 * An input held in memory (a webhook body): as {@link #read(InputStream, Consumer)},
	 * JSON lines of Events parsed in place.
	 */
	public FormRead read(byte[] body, Consumer<AuditEvent> sink) throws IOException {
		FormReading reading = new FormReading(this.limits, this.parser.events(new AuditInputReport(), sink));
		try {
			reading.read(body);
		}
		catch (ExpandedTooLarge ex) {
			ex.readSoFar(reading.result());
			throw ex;
		}
		return reading.result();
	}

}
