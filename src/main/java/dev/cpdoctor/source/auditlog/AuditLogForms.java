package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.form.AuditForms;
import dev.cpdoctor.analysis.audit.form.ExpandedTooLarge;
import dev.cpdoctor.analysis.audit.form.FormLimits;
import dev.cpdoctor.analysis.audit.form.FormRead;

/**
 * Reads the audit events of an imported log as it streams in, whatever form it has
 * ({@link AuditForms}: audit.k8s.io Events in any layout, EKS and AKS exports, gzipped or
 * not), what it expands to bounded.
 */
public class AuditLogForms {

	/** The largest JSON document, line or row held at once. */
	static final int MAX_DOCUMENT = 16 * 1024 * 1024;

	/** What a body held: the forms it was read as, and its events counted per reason. */
	public record Read(String forms, AuditInputReport report) {
	}

	/** The body expanded past the largest import taken: a gzip bomb, or a mistake. */
	public static final class TooLarge extends IOException {

		TooLarge(String message) {
			super(message);
		}

	}

	private final AuditForms forms;

	private final long maxExpanded;

	/**
	 * @param maxExpanded the most bytes a body may hold once expanded
	 */
	public AuditLogForms(long maxExpanded) {
		this.maxExpanded = maxExpanded;
		this.forms = new AuditForms(FormLimits.of(MAX_DOCUMENT, maxExpanded));
	}

	/**
	 * Reads every event of the body to the sink.
	 * @throws TooLarge when the body expands past the bound; the events before it were
	 * given to the sink
	 */
	public Read read(InputStream body, Consumer<AuditEvent> sink) throws IOException {
		try {
			FormRead read = this.forms.read(body, sink);
			return new Read(read.describe(), read.report());
		}
		catch (ExpandedTooLarge ex) {
			throw new TooLarge(
					ex.getMessage() + " (cpdoctor.audit.max-import is " + (this.maxExpanded >> 20) + " MiB)");
		}
	}

}
