package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static dev.cpdoctor.analysis.audit.JsonLexer.FAIL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strict lexer alone on hostile input: whatever it is given, it answers a position or
 * FAIL, never throws, and never takes what the JSON parser would refuse.
 */
class JsonLexerTests {

	private static JsonLexer lexer(String text, boolean lines) {
		return lexer(text.getBytes(StandardCharsets.UTF_8), lines);
	}

	private static JsonLexer lexer(byte[] bytes, boolean lines) {
		JsonLexer lexer = new JsonLexer();
		lexer.reset(bytes, bytes.length, lines);
		return lexer;
	}

	private static int skip(String text) {
		return lexer(text, false).skipValue(0, 0);
	}

	@Test
	void aStringIsReadToItsClosingQuoteEightBytesAtATimeOrNot() {
		for (String content : new String[] { "", "a", "abcdefg", "abcdefgh", "abcdefghijklmnopq" }) {
			JsonLexer lexer = lexer("\"" + content + "\" ", false);
			assertThat(lexer.string(0)).as(content).isEqualTo(content.length() + 2);
			assertThat(lexer.text()).isEqualTo(content);
			assertThat(lexer.escaped()).isFalse();
		}
	}

	@Test
	void anUnterminatedStringFails() {
		for (String text : new String[] { "\"", "\"abc", "\"abcdefghijklmnop", "\"abc\\\"", "\"abc\\", "\"\\u12" }) {
			assertThat(lexer(text, false).string(0)).as(text).isEqualTo(FAIL);
		}
	}

	@Test
	void escapesAreTakenOnlyWhereJsonAllowsThem() {
		JsonLexer lexer = lexer("\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\\uABCD\"", false);
		assertThat(lexer.string(0)).isEqualTo(lexer.bytes().length);
		assertThat(lexer.escaped()).isTrue();
		for (String escape : new String[] { "\\x", "\\u00zz", "\\u12\"", "\\\u0001", "\\'", "\\\n" }) {
			assertThat(lexer("\"a" + escape + "b\"", true).string(0)).as(escape).isEqualTo(FAIL);
		}
	}

	@Test
	void invalidUtf8ControlCharactersAndAnyNonAsciiByteFail() {
		byte[][] bodies = { { '"', (byte) 0xC3, 0x28, '"' }, { '"', (byte) 0xFF, '"' },
				{ '"', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', (byte) 0x80, '"' }, { '"', 'a', 0x00, '"' },
				{ '"', 'a', '\n', '"' }, { '"', 'a', 0x1F, 'b', 'c', 'd', 'e', 'f', 'g', 'h', '"' },
				"\"é\"".getBytes(StandardCharsets.UTF_8) };
		for (byte[] body : bodies) {
			assertThat(lexer(body, false).string(0)).isEqualTo(FAIL);
			assertThat(lexer(body, false).skipValue(0, 0)).isEqualTo(FAIL);
		}
	}

	@Test
	void nestingDeeperThanTheLimitFailsWithoutExhaustingTheStack() {
		assertThat(skip("[".repeat(65) + "]".repeat(65))).isEqualTo(130);
		assertThat(skip("[".repeat(66) + "]".repeat(66))).isEqualTo(FAIL);
		assertThat(skip("[".repeat(100_000))).isEqualTo(FAIL);
		assertThat(skip("{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000))).isEqualTo(FAIL);
	}

	@Test
	void numbersFollowTheJsonGrammarAndItsLengthLimit() {
		for (String good : new String[] { "0", "-0", "7", "-12", "1.5", "-1.5e+3", "2E-7", "10e10" }) {
			assertThat(skip(good)).as(good).isEqualTo(good.length());
		}
		for (String bad : new String[] { "-", "+1", ".5", "1.", "1e", "1e+", "-x", "x", "" }) {
			assertThat(skip(bad)).as(bad).isEqualTo(FAIL);
		}
		assertThat(skip("01")).as("a leading zero ends the number").isEqualTo(1);
		assertThat(skip("1".repeat(1_000))).isEqualTo(1_000);
		assertThat(skip("1".repeat(1_001))).isEqualTo(FAIL);
		assertThat(skip("1".repeat(2_000_000))).isEqualTo(FAIL);
	}

	@Test
	void anIntegerIsAtMostItsDigitsAndNothingElse() {
		JsonLexer lexer = lexer("200,", false);
		assertThat(lexer.integer(0, 4)).isEqualTo(3);
		assertThat(lexer.integerValue()).isEqualTo(200);
		assertThat(lexer("0}", false).integer(0, 4)).isEqualTo(1);
		for (String bad : new String[] { "20000", "012", "200.0", "2e2", "-1", "", "x", "99999999999999999999" }) {
			assertThat(lexer(bad, false).integer(0, 4)).as(bad).isEqualTo(FAIL);
		}
	}

	@Test
	void literalsMustBeWhole() {
		assertThat(skip("true")).isEqualTo(4);
		assertThat(skip("false")).isEqualTo(5);
		assertThat(skip("null")).isEqualTo(4);
		for (String bad : new String[] { "tru", "nul", "fals", "trUe", "nil" }) {
			assertThat(skip(bad)).as(bad).isEqualTo(FAIL);
		}
	}

	@Test
	void objectsNeedStringKeysColonsAndCommas() {
		assertThat(skip("{}")).isEqualTo(2);
		String object = "{ \"a\" : [1, {\"b\":null}] , \"c\":\"d\" }";
		assertThat(skip(object + " ")).isEqualTo(object.length());
		for (String bad : new String[] { "{1:2}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":1", "[1,]", "[1 2]", "{\"a\"}",
				"[", "{" }) {
			assertThat(skip(bad)).as(bad).isEqualTo(FAIL);
		}
	}

	@Test
	void aWalkOverAnObjectVisitsEachKeyAndEndsAfterItsBrace() {
		JsonLexer lexer = lexer("{\"a\":1,\"bc\":[]} x", false);
		StringBuilder keys = new StringBuilder();
		int p;
		for (p = lexer.open(0); p >= 0; p = lexer.next(p, (byte) '}')) {
			p = lexer.key(p);
			keys.append(lexer.text()).append(' ');
			p = lexer.skipValue(p, 0);
		}
		assertThat(keys).hasToString("a bc ");
		assertThat(JsonLexer.closed(p)).isEqualTo(15);
		assertThat(JsonLexer.closed(lexer("{ }", false).open(0))).isEqualTo(3);
		assertThat(lexer("[]", false).open(0)).isEqualTo(FAIL);
	}

	@Test
	void anEscapedOrOverlongKeyFails() {
		assertThat(lexer("{\"a\\u0062\":1}", false).key(1)).isEqualTo(FAIL);
		assertThat(lexer("\"" + "k".repeat(50_001) + "\":1", false).key(0)).isEqualTo(FAIL);
		assertThat(lexer("\"" + "k".repeat(50_000) + "\":1", false).key(0)).isEqualTo(50_003);
	}

	@Test
	void inLineModeANewlineIsNoWhiteSpace() {
		assertThat(lexer(" \t\r\n x", true).ws(0)).isEqualTo(3);
		assertThat(lexer(" \t\r\n x", false).ws(0)).isEqualTo(5);
		assertThat(lexer("{\n\"a\":1}", true).skipValue(0, 0)).isEqualTo(FAIL);
		assertThat(lexer("{\n\"a\":1}", false).skipValue(0, 0)).isEqualTo(8);
	}

	@Test
	void theLexerStopsAtItsEndNotAtTheArraysEnd() {
		byte[] bytes = "\"abc\"".getBytes(StandardCharsets.US_ASCII);
		JsonLexer lexer = new JsonLexer();
		lexer.reset(bytes, 3, false);
		assertThat(lexer.string(0)).isEqualTo(FAIL);
		lexer.reset(bytes, 5, false);
		assertThat(lexer.string(0)).isEqualTo(5);
	}

}
