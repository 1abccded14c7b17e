package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where lines end in a log file read by its channel, or in a rotated file read through
 * gzip as a stream: the tailer's read loop ({@link AuditLogReader}) reads whole lines.
 */
final class LogLines {

	private LogLines() {
	}

	/**
	 * The offset after the newline that ends the line running through {@code from}, or
	 * the file's end.
	 */
	static long skipLine(FileChannel channel, long from) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		long position = from;
		while (true) {
			buffer.clear();
			int read = channel.read(buffer, position);
			if (read <= 0) {
				return position;
			}
			for (int i = 0; i < read; i++) {
				if (buffer.get(i) == '\n') {
					return position + i + 1;
				}
			}
			position += read;
		}
	}

	/** Bytes of a stream skipped up to and with the next newline (or its end). */
	static long skipLine(InputStream in) throws IOException {
		long skipped = 0;
		int b;
		do {
			b = in.read();
			skipped += (b >= 0) ? 1 : 0;
		}
		while (b >= 0 && b != '\n');
		return skipped;
	}

	/** Reads past {@code bytes} bytes (fewer at the end): answers how many. */
	static long skip(InputStream in, long bytes) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		long skipped = 0;
		while (skipped < bytes) {
			int n = in.read(buffer, 0, (int) Math.min(buffer.length, bytes - skipped));
			if (n < 0) {
				break;
			}
			skipped += n;
		}
		return skipped;
	}

	/** The length up to and with the last newline in bytes[0..length), or -1 for none. */
	static int lastNewline(byte[] bytes, int length) {
		for (int i = length - 1; i >= 0; i--) {
			if (bytes[i] == '\n') {
				return i + 1;
			}
		}
		return -1;
	}

}
