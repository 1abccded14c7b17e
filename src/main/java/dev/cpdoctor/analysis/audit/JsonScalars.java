package dev.cpdoctor.analysis.audit;

import tools.jackson.core.StreamReadConstraints;

import static dev.cpdoctor.analysis.audit.JsonLexer.FAIL;

/**
 * The ends of JSON numbers and literals in bytes, for {@link JsonLexer}: strictly by the
 * JSON grammar, FAIL for anything else (a leading zero, a lone sign or dot, a bare word).
 */
final class JsonScalars {

	/**
	 * Numbers the JSON parser refuses as too long (its default read constraints), refused
	 * here too so that they go to it.
	 */
	private static final int MAX_NUMBER = StreamReadConstraints.defaults().getMaxNumberLength();

	private JsonScalars() {
	}

	/** The position after {@code word} at p, or FAIL when it is not there. */
	static int literal(byte[] b, int p, int end, String word) {
		if (p + word.length() > end) {
			return FAIL;
		}
		for (int i = 0; i < word.length(); i++) {
			if (b[p + i] != word.charAt(i)) {
				return FAIL;
			}
		}
		return p + word.length();
	}

	/** A JSON number by the grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
	static int number(byte[] b, int p, int end) {
		int start = p;
		int after = numberEnd(b, p, end);
		return (after != FAIL && after - start > MAX_NUMBER) ? FAIL : after;
	}

	private static int numberEnd(byte[] b, int p, int end) {
		if (p < end && b[p] == '-') {
			p++;
		}
		if (p >= end) {
			return FAIL;
		}
		if (b[p] == '0') {
			p++;
		}
		else if (b[p] >= '1' && b[p] <= '9') {
			p = digits(b, p, end);
		}
		else {
			return FAIL;
		}
		if (p < end && b[p] == '.') {
			int after = digits(b, p + 1, end);
			if (after == p + 1) {
				return FAIL;
			}
			p = after;
		}
		if (p < end && (b[p] == 'e' || b[p] == 'E')) {
			p++;
			if (p < end && (b[p] == '+' || b[p] == '-')) {
				p++;
			}
			int after = digits(b, p, end);
			if (after == p) {
				return FAIL;
			}
			p = after;
		}
		return p;
	}

	/** The position after the digits at p (p itself when there is none). */
	private static int digits(byte[] b, int p, int end) {
		while (p < end && b[p] >= '0' && b[p] <= '9') {
			p++;
		}
		return p;
	}

}
