package dev.cpdoctor.history;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Variable-length integers, raw longs, byte and text fields: what the audit blobs
 * ({@link CellBlob}, {@link PendingBlob}) are written with. A reader that runs past the
 * end, or finds bytes left over, throws: stored bytes that do not read back are an error,
 * never skipped in silence.
 */
final class BlobBytes {

	private BlobBytes() {
	}

	static final class Writer {

		private byte[] bytes;

		private int length;

		Writer(int capacity) {
			this.bytes = new byte[Math.max(16, capacity)];
		}

		private void room(int more) {
			if (this.length + more > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
			}
		}

		void varLong(long value) {
			room(10);
			long rest = value;
			while ((rest & ~0x7FL) != 0) {
				this.bytes[this.length++] = (byte) ((rest & 0x7F) | 0x80);
				rest >>>= 7;
			}
			this.bytes[this.length++] = (byte) rest;
		}

		/** Any int, negative ones too (zigzag: small magnitudes stay short). */
		void signedInt(int value) {
			varLong(((long) value << 1) ^ ((long) value >> 63));
		}

		void rawLong(long value) {
			room(8);
			for (int shift = 56; shift >= 0; shift -= 8) {
				this.bytes[this.length++] = (byte) (value >>> shift);
			}
		}

		void raw(byte[] more) {
			room(more.length);
			System.arraycopy(more, 0, this.bytes, this.length, more.length);
			this.length += more.length;
		}

		void text(String text) {
			byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
			varLong(utf8.length);
			raw(utf8);
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.bytes, this.length);
		}

	}

	static final class Reader {

		private final byte[] bytes;

		private int position;

		Reader(byte[] bytes) {
			this.bytes = bytes;
		}

		private void need(long count) {
			if (count < 0 || this.position + count > this.bytes.length) {
				throw new IllegalArgumentException("Stored audit data ends in the middle of a field");
			}
		}

		void skip(int count) {
			need(count);
			this.position += count;
		}

		long varLong() {
			long value = 0;
			for (int shift = 0; shift < 64; shift += 7) {
				need(1);
				byte b = this.bytes[this.position++];
				value |= (long) (b & 0x7F) << shift;
				if (b >= 0) {
					return value;
				}
			}
			throw new IllegalArgumentException("Stored audit data holds a number longer than 64 bits");
		}

		int varInt() {
			long value = varLong();
			if (value < 0 || value > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("Stored audit data holds a count of " + value);
			}
			return (int) value;
		}

		int signedInt() {
			long zigzag = varLong();
			long value = (zigzag >>> 1) ^ -(zigzag & 1);
			if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
				throw new IllegalArgumentException("Stored audit data holds " + value + " where an int belongs");
			}
			return (int) value;
		}

		long rawLong() {
			need(8);
			long value = 0;
			for (int i = 0; i < 8; i++) {
				value = (value << 8) | (this.bytes[this.position++] & 0xFF);
			}
			return value;
		}

		byte[] bytes(int count) {
			need(count);
			byte[] copy = Arrays.copyOfRange(this.bytes, this.position, this.position + count);
			this.position += count;
			return copy;
		}

		String text() {
			int length = varInt();
			need(length);
			String text = new String(this.bytes, this.position, length, StandardCharsets.UTF_8);
			this.position += length;
			return text;
		}

		void expectEnd() {
			if (this.position != this.bytes.length) {
				throw new IllegalArgumentException(
						"Stored audit data has " + (this.bytes.length - this.position) + " bytes after its last field");
			}
		}

	}

}
