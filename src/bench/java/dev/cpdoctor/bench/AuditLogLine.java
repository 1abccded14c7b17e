package dev.cpdoctor.bench;

import java.time.LocalDate;
import java.util.Arrays;

import static dev.cpdoctor.bench.AuditLogGenerator.ascii;

/**
 * One line being written: a growable byte array with the few encoders the events need.
 */
final class AuditLogLine {

	private static final byte[] HEX = ascii("0123456789abcdef");

	byte[] bytes = new byte[4096];

	int length;

	private long day = Long.MIN_VALUE;

	private byte[] datePrefix;

	void reset() {
		this.length = 0;
	}

	private void ensure(int more) {
		if (this.length + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + more));
		}
	}

	void put(byte b) {
		ensure(1);
		this.bytes[this.length++] = b;
	}

	void put(byte[] b) {
		ensure(b.length);
		System.arraycopy(b, 0, this.bytes, this.length, b.length);
		this.length += b.length;
	}

	void number(long value) {
		ensure(20);
		if (value == 0) {
			this.bytes[this.length++] = '0';
			return;
		}
		int digits = 0;
		for (long v = value; v > 0; v /= 10) {
			digits++;
		}
		int end = this.length + digits;
		for (long v = value; v > 0; v /= 10) {
			this.bytes[--end] = (byte) ('0' + v % 10);
		}
		this.length += digits;
	}

	/** 8-4-4-4-12 lower-case hex. */
	void uuid(long hi, long lo) {
		ensure(36);
		hex(hi >>> 32, 8);
		this.bytes[this.length++] = '-';
		hex(hi >>> 16, 4);
		this.bytes[this.length++] = '-';
		hex(hi, 4);
		this.bytes[this.length++] = '-';
		hex(lo >>> 48, 4);
		this.bytes[this.length++] = '-';
		hex(lo, 12);
	}

	private void hex(long value, int digits) {
		for (int i = digits - 1; i >= 0; i--) {
			this.bytes[this.length + i] = HEX[(int) (value & 0xF)];
			value >>>= 4;
		}
		this.length += digits;
	}

	/** 2026-11-22T10:00:00.123456Z from microseconds since the epoch. */
	void timestamp(long micros) {
		ensure(32);
		long day = Math.floorDiv(micros, 86_400_000_000L);
		if (day != this.day) {
			this.day = day;
			this.datePrefix = ascii(LocalDate.ofEpochDay(day) + "T");
		}
		put(this.datePrefix);
		long inDay = micros - day * 86_400_000_000L;
		long seconds = inDay / 1_000_000;
		two((int) (seconds / 3600));
		this.bytes[this.length++] = ':';
		two((int) (seconds / 60 % 60));
		this.bytes[this.length++] = ':';
		two((int) (seconds % 60));
		this.bytes[this.length++] = '.';
		long fraction = inDay % 1_000_000;
		for (int i = 5; i >= 0; i--) {
			this.bytes[this.length + i] = (byte) ('0' + fraction % 10);
			fraction /= 10;
		}
		this.length += 6;
		this.bytes[this.length++] = 'Z';
	}

	private void two(int value) {
		this.bytes[this.length++] = (byte) ('0' + value / 10);
		this.bytes[this.length++] = (byte) ('0' + value % 10);
	}

}
