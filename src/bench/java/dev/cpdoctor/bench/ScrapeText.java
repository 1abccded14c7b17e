package dev.cpdoctor.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;

/**
 * Plain byte loops over a /metrics body for the parser benchmark: the lines of the
 * product's families as text, lines containing or starting with a string, and the loops
 * that give the parser's speed its scale (finding each line end, counting newlines).
 */
final class ScrapeText {

	private ScrapeText() {
	}

	record KeptText(long lines, long bytes) {
	}

	/** The sample lines of the product's families, found with plain string handling. */
	static KeptText keptText(byte[] body) {
		Set<String> wanted = new HashSet<>(ApiserverSnapshot.FAMILIES);
		ApiserverSnapshot.FAMILIES.stream()
			.filter((f) -> f.endsWith("_total"))
			.forEach((f) -> wanted.add(f.substring(0, f.length() - "_total".length())));
		long lines = 0;
		long bytes = 0;
		int start = 0;
		while (start < body.length) {
			int end = start;
			while (end < body.length && body[end] != '\n') {
				end++;
			}
			if (body[start] != '#') {
				int nameEnd = start;
				while (nameEnd < end && body[nameEnd] != '{' && body[nameEnd] != ' ') {
					nameEnd++;
				}
				String name = new String(body, start, nameEnd - start, StandardCharsets.US_ASCII);
				if (wanted.contains(name)
						|| wanted.contains(name.replaceFirst("_(bucket|sum|count|created|total)$", ""))) {
					lines++;
					bytes += end - start + 1;
				}
			}
			start = end + 1;
		}
		return new KeptText(lines, bytes);
	}

	/** Lines that contain the needle anywhere, as {@code grep -c} counts them. */
	static long linesContaining(byte[] body, byte[] needle) {
		long lines = 0;
		int start = 0;
		while (start < body.length) {
			int end = start;
			while (end < body.length && body[end] != '\n') {
				end++;
			}
			for (int i = start; i + needle.length <= end; i++) {
				if (Arrays.equals(body, i, i + needle.length, needle, 0, needle.length)) {
					lines++;
					break;
				}
			}
			start = end + 1;
		}
		return lines;
	}

	/** Lines that start with the prefix. */
	static long linesStartingWith(byte[] body, String prefix) {
		byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
		long lines = 0;
		for (int start = 0; start < body.length;) {
			if (start + p.length <= body.length && Arrays.equals(body, start, start + p.length, p, 0, p.length)) {
				lines++;
			}
			while (start < body.length && body[start] != '\n') {
				start++;
			}
			start++;
		}
		return lines;
	}

	/**
	 * The search the parser makes per line: stops at each newline, so the JIT cannot
	 * vectorize it.
	 */
	static long lineEnds(byte[] bytes) {
		long lines = 0;
		int start = 0;
		while (true) {
			int i = start;
			while (i < bytes.length && bytes[i] != '\n') {
				i++;
			}
			if (i == bytes.length) {
				return lines;
			}
			lines++;
			start = i + 1;
		}
	}

	/** Bytes equal to the target: the loop the JIT can vectorize. */
	static long count(byte[] bytes, byte target) {
		long n = 0;
		for (byte b : bytes) {
			if (b == target) {
				n++;
			}
		}
		return n;
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
