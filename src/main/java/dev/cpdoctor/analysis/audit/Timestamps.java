package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * RFC 3339 timestamps as the apiserver writes them ({@code 2026-11-22T10:00:00.123456Z}),
 * read without the general parser (a twentieth of its cost); anything else goes to
 * {@link Instant#parse}, so both read the same instants.
 */
final class Timestamps {

	private Timestamps() {
	}

	/** The instant, or null when the text is absent or not a timestamp. */
	static Instant parse(String text) {
		if (text == null) {
			return null;
		}
		Instant fast = fast(text);
		if (fast != null) {
			return fast;
		}
		try {
			return Instant.parse(text);
		}
		catch (DateTimeParseException ex) {
			return null;
		}
	}

	/** yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z with valid fields, else null. */
	static Instant fast(String t) {
		// A character beyond Latin-1 becomes '?', which no timestamp holds; a surrogate
		// pair becomes one byte, so the bytes' own length counts, never the text's.
		byte[] bytes = t.getBytes(StandardCharsets.ISO_8859_1);
		return fast(bytes, 0, bytes.length);
	}

	/**
	 * {@link #fast(String)} on the ASCII bytes from..to, as the line scanner finds them.
	 */
	static Instant fast(byte[] b, int from, int to) {
		int n = to - from;
		if (n < 20 || n > 30 || b[from + 4] != '-' || b[from + 7] != '-' || b[from + 10] != 'T' || b[from + 13] != ':'
				|| b[from + 16] != ':' || b[to - 1] != 'Z') {
			return null;
		}
		int year = digits(b, from, 4);
		int month = digits(b, from + 5, 2);
		int day = digits(b, from + 8, 2);
		int hour = digits(b, from + 11, 2);
		int minute = digits(b, from + 14, 2);
		int second = digits(b, from + 17, 2);
		if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
				|| day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
			return null;
		}
		int nanos = 0;
		if (n > 20) {
			if (b[from + 19] != '.' || n == 21) {
				return null;
			}
			int fraction = n - 21;
			if (fraction > 9) {
				return null;
			}
			int value = digits(b, from + 20, fraction);
			if (value < 0) {
				return null;
			}
			nanos = value;
			for (int i = fraction; i < 9; i++) {
				nanos *= 10;
			}
		}
		else if (b[from + 19] != 'Z') {
			return null;
		}
		long days = daysFromCivil(year, month, day);
		return Instant.ofEpochSecond(days * 86_400 + hour * 3_600L + minute * 60L + second, nanos);
	}

	private static int digits(byte[] b, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			int c = b[i];
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

	private static int daysIn(int year, int month) {
		return switch (month) {
			case 2 -> ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0) ? 29 : 28;
			case 4, 6, 9, 11 -> 30;
			default -> 31;
		};
	}

	/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
	private static long daysFromCivil(int year, int month, int day) {
		int y = (month <= 2) ? year - 1 : year;
		int era = Math.floorDiv(y, 400);
		int yoe = y - era * 400;
		int doy = (153 * (month + ((month > 2) ? -3 : 9)) + 2) / 5 + day - 1;
		int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
		return era * 146_097L + doe - 719_468;
	}

}
