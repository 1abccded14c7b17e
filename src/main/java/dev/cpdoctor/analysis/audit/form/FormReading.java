package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;

/**
 * One read of one input by {@link AuditForms}: what its first bytes say it is, and the
 * reader of that form; the forms found, the events and problems counted, the gzip
 * expansion so far, shared by the layers and wrappers found inside it.
 */
final class FormReading {

	/** The first bytes an input's form is told from. */
	static final int PEEK = 1024 * 1024;

	/** Bytes of an unknown form inside gzip expanded to judge its ratio. */
	private static final long JUDGED = 16L * 1024 * 1024;

	/** Layers of gzip and decoded wrappers (base64 in JSON) inside one another. */
	private static final int MAX_DEPTH = 4;

	private final FormLimits limits;

	private final AuditEventParser.Events events;

	private final Set<AuditForm> forms = new LinkedHashSet<>();

	private final Gunzip.Expansion expansion = new Gunzip.Expansion();

	private final Units units;

	private int depth;

	/** gzip layers open around what is read now. */
	private int gzipLayers;

	FormReading(FormLimits limits, AuditEventParser.Events events) {
		this.limits = limits;
		this.events = events;
		this.units = new Units(this);
	}

	FormLimits limits() {
		return this.limits;
	}

	AuditEventParser.Events events() {
		return this.events;
	}

	Units units() {
		return this.units;
	}

	void form(AuditForm form) {
		this.forms.add(form);
	}

	void problem(String reason) {
		this.events.problem(reason);
	}

	FormRead result() {
		return new FormRead(new ArrayList<>(this.forms), this.events.report());
	}

	/** One input of any form, told from its first bytes. */
	void read(InputStream in) throws IOException {
		int peek = Math.min(PEEK, this.limits.maxDocument());
		byte[] head = new byte[peek];
		int length = 0;
		try {
			for (int n = 0; length < peek && n >= 0; length += Math.max(n, 0)) {
				n = in.read(head, length, peek - length);
			}
		}
		catch (Gunzip.Damaged ex) {
			// a gzip cut short within its first bytes: they are all there is
			read(Sniff.of(head, length, true), new ByteArrayInputStream(head, 0, length), length);
			throw ex;
		}
		boolean whole = length < peek;
		InputStream all = new SequenceInputStream(new ByteArrayInputStream(head, 0, length), in);
		read(Sniff.of(head, length, whole), all, whole ? length : LineChunks.CHUNK);
	}

	/** A wrapper's content decoded (a Firehose record's data): read as an input. */
	void nested(byte[] content) throws IOException {
		if (this.depth >= MAX_DEPTH) {
			problem("forms nested more than " + MAX_DEPTH + " deep");
			return;
		}
		this.depth++;
		try {
			read(content);
		}
		finally {
			this.depth--;
		}
	}

	/**
	 * Bytes that are the whole input, in place: JSON lines of Events parsed right there.
	 */
	void read(byte[] body) throws IOException {
		boolean whole = body.length <= PEEK;
		Sniff.Kind kind = Sniff.of(body, Math.min(body.length, PEEK), whole);
		if (kind == Sniff.Kind.EVENT_LINES && body.length <= this.limits.maxDocument()) {
			form(AuditForm.EVENT_LINES);
			this.events.lines(body, 0, body.length);
			return;
		}
		read(kind, new ByteArrayInputStream(body), body.length);
	}

	/**
	 * The input, of the kind its first bytes said, by the reader of that form;
	 * {@code size} bounds the buffers where the input is known to be small.
	 */
	private void read(Sniff.Kind kind, InputStream in, int size) throws IOException {
		switch (kind) {
			case EMPTY -> {
			}
			case GZIP -> gunzip(in);
			case EVENT_LINES -> {
				form(AuditForm.EVENT_LINES);
				new LineChunks(in, this, size).ranges((b, start, end) -> this.events.lines(b, start, end - start));
			}
			case JSON_LINES ->
				new LineChunks(in, this, size).lines((b, start, end) -> this.units.unit(b, start, end, Place.LINE));
			case DOCUMENTS ->
				new JsonDocuments(this, new ByteSource(in, Math.min(64 * 1024, size + 1), this.limits.maxDocument()))
					.read();
			case EXPORT_LINES -> {
				form(AuditForm.CLOUDWATCH_EXPORT);
				new LineChunks(in, this, size).lines(this.units.cloudWatch()::exportLine);
			}
			case CSV -> new CsvRows(this, in).read();
			case UNKNOWN -> unknown(in);
		}
	}

	private void gunzip(InputStream in) throws IOException {
		form(AuditForm.GZIP);
		if (this.depth >= MAX_DEPTH) {
			problem("forms nested more than " + MAX_DEPTH + " deep");
			return;
		}
		this.depth++;
		this.gzipLayers++;
		try (Gunzip gzip = Gunzip.open(in, this.limits, this.expansion)) {
			read(gzip);
		}
		catch (Gunzip.Damaged ex) {
			problem("gzip damaged or cut short (reading stopped there)");
		}
		finally {
			this.depth--;
			this.gzipLayers--;
		}
	}

	/**
	 * Input of no known form, counted once. Inside gzip a little more of it is expanded
	 * (and dropped), so that a gzip bomb (zeros, say) is told for what it is.
	 */
	private void unknown(InputStream in) throws IOException {
		byte[] head = in.readNBytes(AuditInputReport.SAMPLE_CHARS * 4);
		this.events.problem(
				"not an audit log in a known form (JSON, gzip, CloudWatch export lines or a Log Analytics CSV export)",
				head, 0, head.length);
		byte[] dropped = new byte[64 * 1024];
		for (long read = 0; this.gzipLayers > 0 && read < JUDGED;) {
			int n = in.read(dropped);
			if (n < 0) {
				return;
			}
			read += n;
		}
	}

}
