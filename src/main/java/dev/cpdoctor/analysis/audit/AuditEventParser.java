package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Reads audit.k8s.io Events as the apiserver writes them: JSON lines (log backend) or an
 * EventList (webhook backend). Only the fields the analyses use are kept; the rest is
 * skipped unread. An event that cannot be used (broken JSON, wrong types, no auditID, no
 * timestamp, invalid UTF-8) is counted by reason and skipped; the others of the batch are
 * kept.
 * <p>
 * Each event is read by the fast {@link AuditLineScanner} where it can, else by the
 * general {@link AuditJsonReader}; {@link AuditEventCheck} then judges its fields. Old
 * shapes: events without apiVersion and with a top-level timestamp parse like v1; an
 * event without stageTimestamp is counted as a request but carries no latency.
 */
public final class AuditEventParser {

	/** A user agent longer than this is cut: it is text an attacker controls. */
	public static final int MAX_USER_AGENT = 1024;

	/**
	 * What {@link #items} answers when it counted the problem that ended the list itself.
	 */
	private static final int COUNTED = Integer.MIN_VALUE;

	private final boolean fastPath;

	public AuditEventParser() {
		this(true);
	}

	/**
	 * Without the fast path every line goes through the JSON parser: tests compare the
	 * two.
	 */
	AuditEventParser(boolean fastPath) {
		this.fastPath = fastPath;
	}

	/**
	 * A webhook body: an EventList (what the apiserver's webhook backend sends) or JSON
	 * lines of Events.
	 */
	public AuditInputReport parseBody(byte[] body, Consumer<AuditEvent> sink) {
		if (AuditJsonReader.isEventList(body, afterBom(body, 0, body.length))) {
			return parseEventList(body, sink);
		}
		return parseLines(body, 0, body.length, sink);
	}

	/**
	 * JSON lines in place in a buffer, from {@code offset} for {@code length} bytes: each
	 * line through the fast scanner, or the JSON parser where the scanner is not sure.
	 */
	public AuditInputReport parseLines(byte[] buffer, int offset, int length, Consumer<AuditEvent> sink) {
		AuditInputReport report = new AuditInputReport();
		AuditFields fields = new AuditFields();
		AuditLineScanner scanner = new AuditLineScanner(new SeenValues());
		int end = offset + length;
		int start = offset;
		while (start < end) {
			if (this.fastPath) {
				fields.clear();
				int next = scanner.scanLine(buffer, start, end, fields);
				if (next >= 0) {
					AuditEventCheck.emit(fields, buffer, start, next, report, sink);
					start = next;
					continue;
				}
			}
			int newline = start;
			while (newline < end && buffer[newline] != '\n') {
				newline++;
			}
			// The scanner stops at a byte-order mark: past it, it may still take the
			// line.
			int from = afterBom(buffer, start, newline);
			parseLine(buffer, from, newline, fields, scanner, this.fastPath && from > start, report, sink);
			start = newline + 1;
		}
		return report;
	}

	/** JSON lines: one Event per line. */
	public AuditInputReport parseLines(InputStream in, Consumer<AuditEvent> sink) throws IOException {
		AuditInputReport report = new AuditInputReport();
		AuditLineScanner scanner = new AuditLineScanner(new SeenValues());
		ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
		byte[] buffer = new byte[64 * 1024];
		int read;
		while ((read = in.read(buffer)) >= 0) {
			int start = 0;
			for (int i = 0; i < read; i++) {
				if (buffer[i] == '\n') {
					line.write(buffer, start, i - start);
					byte[] bytes = line.toByteArray();
					parseLine(bytes, 0, bytes.length, new AuditFields(), scanner, this.fastPath, report, sink);
					line.reset();
					start = i + 1;
				}
			}
			line.write(buffer, start, read - start);
		}
		if (line.size() > 0) {
			byte[] bytes = line.toByteArray();
			parseLine(bytes, 0, bytes.length, new AuditFields(), scanner, this.fastPath, report, sink);
		}
		return report;
	}

	/**
	 * One event in start..end: through the fast scanner when {@code scan} (false when the
	 * scanner already failed on it), else or when the scanner is not sure through the
	 * JSON parser.
	 */
	private static void parseLine(byte[] buffer, int start, int end, AuditFields fields, AuditLineScanner scanner,
			boolean scan, AuditInputReport report, Consumer<AuditEvent> sink) {
		start = afterBom(buffer, start, end);
		if (isBlank(buffer, start, end)) {
			return;
		}
		fields.clear();
		if (scan && scanner.scan(buffer, start, end, fields)) {
			AuditEventCheck.emit(fields, buffer, start, end, report, sink);
			return;
		}
		AuditJsonReader.read(buffer, start, end, report, sink);
	}

	/**
	 * An EventList, {"kind":"EventList","items":[...]}: a broken tail keeps the items
	 * before it.
	 */
	public AuditInputReport parseEventList(byte[] body, Consumer<AuditEvent> sink) {
		AuditInputReport report = new AuditInputReport();
		// Items are found by a byte-level walk that tolerates anything inside strings,
		// then each is parsed alone: one bad item (invalid UTF-8, an overflowing number)
		// costs that item only.
		JsonItemWalk walk = new JsonItemWalk(body);
		int p = walk.ws(afterBom(body, 0, body.length));
		if (p >= body.length || body[p] != '{') {
			report.problem("not an EventList", body, 0, body.length);
			return report;
		}
		p = walk.ws(p + 1);
		boolean items = false;
		while (p < body.length && body[p] != '}') {
			int member = p;
			int value = walk.memberValue(p);
			if (value < 0) {
				report.problem(walk.reason(value), body, member, body.length);
				return report;
			}
			if (walk.isString(p, "items") && value < body.length && body[value] == '[') {
				items = true;
				p = items(walk, body, value, report, sink);
			}
			else {
				int valueEnd = walk.skip(value, 0);
				p = (valueEnd < 0) ? valueEnd : walk.separator(valueEnd, (byte) '}');
			}
			if (p == COUNTED) {
				return report;
			}
			if (p < 0) {
				report.problem(walk.reason(p), body, member, body.length);
				return report;
			}
		}
		if (p >= body.length) {
			report.problem("truncated JSON", body, 0, body.length);
		}
		if (!items) {
			report.problem("no items array", body, 0, body.length);
		}
		return report;
	}

	/**
	 * The items array at p (its '['), each object item read as one event; returns the
	 * position of the EventList's next member or its close, a {@link JsonItemWalk}
	 * problem, or {@link #COUNTED} when an item could not be cut out (counted, with the
	 * input from it as its sample).
	 */
	private int items(JsonItemWalk walk, byte[] body, int p, AuditInputReport report, Consumer<AuditEvent> sink) {
		AuditFields fields = new AuditFields();
		AuditLineScanner scanner = new AuditLineScanner(new SeenValues());
		p = walk.ws(p + 1);
		while (p < body.length && body[p] != ']') {
			int itemEnd = walk.skip(p, 0);
			if (itemEnd < 0) {
				report.problem(walk.reason(itemEnd), body, p, body.length);
				return COUNTED;
			}
			if (body[p] == '{') {
				parseLine(body, p, itemEnd, fields, scanner, this.fastPath, report, sink);
			}
			else {
				report.problem("item is not an object", body, p, itemEnd);
			}
			p = walk.separator(itemEnd, (byte) ']');
			if (p < 0) {
				return p;
			}
		}
		if (p >= body.length) {
			return JsonItemWalk.TRUNCATED;
		}
		return walk.separator(p + 1, (byte) '}');
	}

	/**
	 * Reads events one at a time into one report, for readers of other forms (exports,
	 * wrappers, documents) that find each event's bytes themselves: every event still
	 * goes through the same scanner, parser and checks, and is counted the same way.
	 */
	public Events events(AuditInputReport report, Consumer<AuditEvent> sink) {
		return new Events(report, sink);
	}

	/**
	 * Events found one at a time, all counted in one report; one reader at a time.
	 */
	public final class Events {

		private final AuditInputReport report;

		private final Consumer<AuditEvent> sink;

		private final AuditFields fields = new AuditFields();

		private final AuditLineScanner scanner = new AuditLineScanner(new SeenValues());

		private Events(AuditInputReport report, Consumer<AuditEvent> sink) {
			this.report = report;
			this.sink = sink;
		}

		/**
		 * The one Event that is all of start..end (white space and a byte-order mark
		 * around it allowed, new lines too): to the sink, or its problem counted.
		 */
		public void event(byte[] buffer, int start, int end) {
			int from = afterBom(buffer, start, end);
			int p = from;
			while (p < end && (buffer[p] == '\n' || buffer[p] == ' ' || buffer[p] == '\t' || buffer[p] == '\r')) {
				p++;
			}
			if (p == end) {
				this.report.problem("empty event");
				return;
			}
			parseLine(buffer, from, end, this.fields, this.scanner, AuditEventParser.this.fastPath, this.report,
					this.sink);
		}

		/** JSON lines in place, as {@link #parseLines(byte[], int, int, Consumer)}. */
		public void lines(byte[] buffer, int offset, int length) {
			this.report.add(parseLines(buffer, offset, length, this.sink));
		}

		/** A piece of input refused whole (a wrapper, a line), counted once. */
		public void problem(String reason) {
			this.report.problem(reason);
		}

		/**
		 * A piece of input refused whole, counted once, its bytes from..to the reason's
		 * sample.
		 */
		public void problem(String reason, byte[] input, int from, int to) {
			this.report.problem(reason, input, from, to);
		}

		public AuditInputReport report() {
			return this.report;
		}

	}

	/** Where the input at start begins after a UTF-8 byte-order mark (EF BB BF). */
	public static int afterBom(byte[] b, int start, int end) {
		return (end - start >= 3 && b[start] == (byte) 0xEF && b[start + 1] == (byte) 0xBB
				&& b[start + 2] == (byte) 0xBF) ? start + 3 : start;
	}

	/** The first {@code max} characters at most, never half of a surrogate pair. */
	public static String cut(String text, int max) {
		if (text.length() <= max) {
			return text;
		}
		int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
		return text.substring(0, end);
	}

	private static boolean isBlank(byte[] line, int start, int end) {
		for (int i = start; i < end; i++) {
			byte b = line[i];
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
