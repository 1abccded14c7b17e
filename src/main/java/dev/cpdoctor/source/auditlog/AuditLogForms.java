package dev.cpdoctor.source.auditlog;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;

/**
 * Reads the audit events of an imported log as it streams in, whatever form it has: JSON
 * lines of audit.k8s.io Events, gzipped or not, the expanded size bounded.
 */
public class AuditLogForms {

	/** What a body held: the forms it was read as, and its events counted per reason. */
	public record Read(String forms, AuditInputReport report) {
	}

	/** The body expanded past the largest import taken: a gzip bomb, or a mistake. */
	public static final class TooLarge extends IOException {

		TooLarge(String message) {
			super(message);
		}

	}

	private final long maxExpanded;

	/**
	 * @param maxExpanded the most bytes a body may hold once expanded
	 */
	public AuditLogForms(long maxExpanded) {
		this.maxExpanded = maxExpanded;
	}

	/**
	 * Reads every event of the body to the sink.
	 * @throws TooLarge when the body expands past the bound; the events before it were
	 * given to the sink
	 */
	public Read read(InputStream body, Consumer<AuditEvent> sink) throws IOException {
		BufferedInputStream in = new BufferedInputStream(body, 64 * 1024);
		in.mark(2);
		boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
		in.reset();
		InputStream expanded = gzip ? new GZIPInputStream(in, 64 * 1024) : in;
		AuditInputReport report = new AuditEventParser().parseLines(new Bounded(expanded, this.maxExpanded), sink);
		return new Read(gzip ? "audit.k8s.io JSON lines (gzip)" : "audit.k8s.io JSON lines", report);
	}

	/** Counts the bytes read and refuses more than the bound. */
	private static final class Bounded extends FilterInputStream {

		private final long max;

		private long read;

		Bounded(InputStream in, long max) {
			super(in);
			this.max = max;
		}

		@Override
		public int read() throws IOException {
			int b = super.read();
			count((b >= 0) ? 1 : 0);
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = super.read(buffer, offset, length);
			count(Math.max(n, 0));
			return n;
		}

		private void count(int n) throws TooLarge {
			this.read += n;
			if (this.read > this.max) {
				throw new TooLarge("The log expands past " + (this.max >> 20) + " MiB (cpdoctor.audit.max-import)");
			}
		}

	}

}
