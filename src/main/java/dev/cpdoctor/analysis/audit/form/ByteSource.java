package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A stream read byte by byte through a buffer, never held whole, that can keep a copy of
 * the bytes of one value (a document, a wrapper's item) up to a cap while it is walked:
 * {@link JsonDocuments}' input.
 */
final class ByteSource {

	/** The input ended. */
	static final int EOF = -1;

	/** A byte-order mark begun and not finished: no JSON either way. */
	static final int NOT_JSON = -2;

	private final InputStream in;

	private final byte[] buf;

	private int pos;

	private int limit;

	/** The byte before the buffer's first: the input starts as after a newline. */
	private byte beforeBuffer = '\n';

	private final int maxCapture;

	private boolean capturing;

	/** Where in buf the bytes captured but not yet copied start. */
	private int captureFrom;

	private byte[] captured = new byte[1024];

	private int capturedLength;

	private boolean overflow;

	ByteSource(InputStream in, int bufferBytes, int maxCapture) {
		this.in = in;
		this.buf = new byte[bufferBytes];
		this.maxCapture = maxCapture;
	}

	/** The next byte, not consumed, or EOF. */
	int peek() throws IOException {
		if (this.pos == this.limit && !fill()) {
			return EOF;
		}
		return this.buf[this.pos] & 0xFF;
	}

	/** The next byte, consumed, or EOF. */
	int next() throws IOException {
		if (this.pos == this.limit && !fill()) {
			return EOF;
		}
		return this.buf[this.pos++] & 0xFF;
	}

	/**
	 * Past white space and byte-order marks: the next byte (not consumed), EOF, or
	 * NOT_JSON for a broken byte-order mark.
	 */
	int skipSpace() throws IOException {
		while (true) {
			int c = peek();
			if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
				this.pos++;
			}
			else if (c == 0xEF) {
				this.pos++;
				if (next() != 0xBB || next() != 0xBF) {
					return NOT_JSON;
				}
			}
			else {
				return c;
			}
		}
	}

	/**
	 * Past the rest of a string whose opening quote was read, whatever it holds. A raw
	 * new line ends it as cut short (JSON strings never hold one: a line cut in its
	 * middle), left unread so that the next line can be read.
	 */
	void skipString() throws IOException, Malformed {
		while (true) {
			if (this.pos == this.limit && !fill()) {
				throw Malformed.TRUNCATED;
			}
			byte[] b = this.buf;
			int p = this.pos;
			int end = this.limit;
			while (p < end && b[p] != '"' && b[p] != '\\' && b[p] != '\n') {
				p++;
			}
			if (p == end) {
				this.pos = p;
				continue;
			}
			if (b[p] == '\n') {
				this.pos = p;
				throw Malformed.CUT;
			}
			this.pos = p + 1;
			if (b[p] == '"') {
				return;
			}
			if (next() == EOF) {
				throw Malformed.TRUNCATED;
			}
		}
	}

	/** Past a number, true, false or null: up to the next delimiter. */
	void skipScalar() throws IOException {
		while (true) {
			int c = peek();
			if (c == EOF || c == ',' || c == '}' || c == ']' || c == ':' || c == ' ' || c == '\n' || c == '\r'
					|| c == '\t') {
				return;
			}
			this.pos++;
		}
	}

	/**
	 * The rest of a string whose opening quote was read, when it is plain (no escape) and
	 * at most {@code max} bytes; else null, the string skipped all the same. Throws when
	 * the input ends inside it.
	 */
	String smallString(int max) throws IOException, Malformed {
		byte[] text = new byte[max];
		int length = 0;
		while (true) {
			int c = next();
			if (c == EOF) {
				throw Malformed.TRUNCATED;
			}
			if (c == '\n') {
				this.pos--;
				throw Malformed.CUT;
			}
			if (c == '"') {
				return (length <= max) ? new String(text, 0, length, StandardCharsets.UTF_8) : null;
			}
			if (c == '\\') {
				next();
				skipString();
				return null;
			}
			if (length < max) {
				text[length] = (byte) c;
			}
			length++;
		}
	}

	/** Past the next newline (or to the end). */
	void skipLine() throws IOException {
		int c;
		do {
			c = next();
		}
		while (c != EOF && c != '\n');
	}

	/**
	 * Past the lines that follow up to one that starts with what may start a document ({,
	 * [ or a byte-order mark) in its first column: how a walk finds its way again after
	 * broken JSON or text between documents (a pretty-printed document's inner lines are
	 * indented).
	 */
	void skipToDocumentStart() throws IOException {
		while (!atLineStart() || !documentStart(peek())) {
			skipLine();
			if (peek() == EOF) {
				return;
			}
		}
	}

	/** Whether the byte before the next one is a newline (or there is none). */
	boolean atLineStart() {
		return ((this.pos > 0) ? this.buf[this.pos - 1] : this.beforeBuffer) == '\n';
	}

	private static boolean documentStart(int c) {
		return c == '{' || c == '[' || c == 0xEF;
	}

	/** Keeps a copy of the bytes read from now on, up to the cap. */
	void startCapture() {
		this.capturing = true;
		this.captureFrom = this.pos;
		this.capturedLength = 0;
		this.overflow = false;
	}

	/** Stops keeping a copy: whether all bytes since the start were kept. */
	boolean endCapture() {
		if (this.capturing) {
			keep(this.pos);
			this.capturing = false;
		}
		return !this.overflow;
	}

	void abandonCapture() {
		this.capturing = false;
	}

	/** The bytes kept by the last capture (valid until the next one starts). */
	byte[] captured() {
		return this.captured;
	}

	int capturedLength() {
		return this.capturedLength;
	}

	private boolean fill() throws IOException {
		if (this.capturing) {
			keep(this.limit);
		}
		if (this.limit > 0) {
			this.beforeBuffer = this.buf[this.limit - 1];
		}
		this.pos = 0;
		this.limit = 0;
		this.captureFrom = 0;
		int n;
		do {
			n = this.in.read(this.buf, 0, this.buf.length);
		}
		while (n == 0);
		if (n < 0) {
			return false;
		}
		this.limit = n;
		return true;
	}

	private void keep(int to) {
		int n = to - this.captureFrom;
		if (!this.overflow && n > 0) {
			if ((long) this.capturedLength + n > this.maxCapture) {
				this.overflow = true;
			}
			else {
				if (this.capturedLength + n > this.captured.length) {
					int size = (int) Math.min(this.maxCapture,
							Math.max((long) this.capturedLength + n, 2L * this.captured.length));
					this.captured = Arrays.copyOf(this.captured, size);
				}
				System.arraycopy(this.buf, this.captureFrom, this.captured, this.capturedLength, n);
				this.capturedLength += n;
			}
		}
		this.captureFrom = to;
	}

	/** JSON that cannot be walked on: cut short, or a byte where none can be. */
	static final class Malformed extends Exception {

		/** The input ended inside a value. */
		static final Malformed TRUNCATED = new Malformed("truncated JSON");

		/** A value cut at the end of its line (a JSON line written halfway). */
		static final Malformed CUT = new Malformed("truncated JSON");

		static final Malformed BROKEN = new Malformed("broken JSON");

		private Malformed(String reason) {
			super(reason, null, false, false);
		}

	}

}
