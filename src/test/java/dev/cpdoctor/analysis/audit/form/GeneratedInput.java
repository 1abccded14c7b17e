package dev.cpdoctor.analysis.audit.form;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * A large input made on the fly as it is read, never held whole: a head, many items
 * joined by a separator, a tail (a 200,000-item EventList is one call).
 */
final class GeneratedInput extends InputStream {

	private final byte[] head;

	private final IntFunction<String> item;

	private final int count;

	private final byte[] separator;

	private final byte[] tail;

	/** The piece being read: -1 the head, 0..count-1 the items, count the tail. */
	private int piece = -1;

	private byte[] current;

	private int at;

	/** Bytes read so far. */
	long read;

	GeneratedInput(String head, IntFunction<String> item, int count, String separator, String tail) {
		this.head = head.getBytes(StandardCharsets.UTF_8);
		this.item = item;
		this.count = count;
		this.separator = separator.getBytes(StandardCharsets.UTF_8);
		this.tail = tail.getBytes(StandardCharsets.UTF_8);
		this.current = this.head;
	}

	@Override
	public int read() {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
	}

	@Override
	public int read(byte[] b, int off, int len) {
		while (this.at == this.current.length) {
			if (this.piece >= this.count) {
				return -1;
			}
			this.piece++;
			this.at = 0;
			if (this.piece == this.count) {
				this.current = this.tail;
			}
			else {
				String text = this.item.apply(this.piece);
				this.current = ((this.piece > 0) ? new String(this.separator, StandardCharsets.UTF_8) + text : text)
					.getBytes(StandardCharsets.UTF_8);
			}
		}
		int n = Math.min(len, this.current.length - this.at);
		System.arraycopy(this.current, this.at, b, off, n);
		this.at += n;
		this.read += n;
		return n;
	}

}
