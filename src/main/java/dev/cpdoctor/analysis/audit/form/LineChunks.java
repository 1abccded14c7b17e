package dev.cpdoctor.analysis.audit.form;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A stream read in large chunks, handed on as ranges of whole lines: the import's fast
 * path, as the log tailer reads a file. A line longer than the document cap is skipped
 * whole and counted, never held; a last line without a newline counts all the same.
 */
final class LineChunks {

	/** What a chunk of lines, or one line, is handed to. */
	interface Range {

		void accept(byte[] b, int start, int end) throws IOException;

	}

	/** Bytes read per chunk: few, large calls of the parser. */
	static final int CHUNK = 4 * 1024 * 1024;

	private final InputStream in;

	private final FormReading reading;

	private final int chunk;

	/**
	 * @param size the input's size where it is known to be small (else {@link #CHUNK}):
	 * the first chunk's buffer is no larger
	 */
	LineChunks(InputStream in, FormReading reading, int size) {
		this.in = in;
		this.reading = reading;
		this.chunk = Math.max(1024, Math.min(CHUNK, size + 1));
	}

	/** Each line, without its newline; blank lines are skipped. */
	void lines(Range line) throws IOException {
		ranges((b, start, end) -> {
			int from = start;
			while (from < end) {
				int newline = JsonSkip.indexOf(b, (byte) '\n', from, end);
				int to = (newline < 0) ? end : newline;
				if (JsonSkip.skipSpace(b, from, to) < to) {
					line.accept(b, from, to);
				}
				from = to + 1;
			}
		});
	}

	/**
	 * Ranges of whole lines, each as large as a chunk allows. A gzip found damaged ends
	 * the input: the lines read before it are handed on first.
	 */
	void ranges(Range chunk) throws IOException {
		int maxLine = this.reading.limits().maxDocument();
		byte[] buf = new byte[Math.min(this.chunk, maxLine + 1)];
		int filled = 0;
		boolean skipping = false;
		boolean eof = false;
		Gunzip.Damaged damaged = null;
		while (!eof) {
			try {
				int n = this.in.read(buf, filled, buf.length - filled);
				eof = n < 0;
				filled += Math.max(n, 0);
			}
			catch (Gunzip.Damaged ex) {
				damaged = ex;
				eof = true;
			}
			if (!eof && filled < buf.length) {
				continue;
			}
			if (skipping) {
				int newline = JsonSkip.indexOf(buf, (byte) '\n', 0, filled);
				filled = (newline < 0) ? 0 : shift(buf, newline + 1, filled);
				skipping = newline < 0;
				if (skipping || !eof && filled < buf.length) {
					continue;
				}
			}
			int end = eof ? filled : lastNewline(buf, filled);
			if (end > 0) {
				chunk.accept(buf, 0, end);
				filled = shift(buf, end, filled);
			}
			else if (filled == buf.length && buf.length <= maxLine) {
				buf = Arrays.copyOf(buf, (int) Math.min(2L * buf.length, maxLine + 1L));
			}
			else if (filled == buf.length) {
				this.reading.problem("line longer than " + FormLimits.size(maxLine) + " (skipped)");
				skipping = true;
				filled = 0;
			}
		}
		if (damaged != null) {
			throw damaged;
		}
	}

	/** Moves buf[from..filled) to the start; answers the bytes left. */
	private static int shift(byte[] buf, int from, int filled) {
		System.arraycopy(buf, from, buf, 0, filled - from);
		return filled - from;
	}

	/** The length up to and with the last newline, or 0. */
	private static int lastNewline(byte[] b, int length) {
		for (int i = length - 1; i >= 0; i--) {
			if (b[i] == '\n') {
				return i + 1;
			}
		}
		return 0;
	}

}
