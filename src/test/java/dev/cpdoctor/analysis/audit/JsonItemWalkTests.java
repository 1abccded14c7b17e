package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static dev.cpdoctor.analysis.audit.JsonItemWalk.BROKEN;
import static dev.cpdoctor.analysis.audit.JsonItemWalk.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tolerant walk alone on hostile input: it finds a value's end whatever its strings
 * hold, and tells a truncated value from a broken one, never throwing.
 */
class JsonItemWalkTests {

	private static JsonItemWalk walk(String text) {
		return new JsonItemWalk(text.getBytes(StandardCharsets.UTF_8));
	}

	private static int skip(String text) {
		return walk(text).skip(0, 0);
	}

	@Test
	void stringsEndAtTheirClosingQuoteWhateverBytesTheyHold() {
		byte[] invalid = { '"', (byte) 0xC3, 0x28, (byte) 0xFF, 0x00, '\n', '\\', '"', '"', ',' };
		assertThat(new JsonItemWalk(invalid).skip(0, 0)).isEqualTo(9);
		assertThat(skip("\"a\\x\\u12\" ")).isEqualTo(9);
	}

	@Test
	void anUnterminatedStringIsTruncated() {
		for (String text : new String[] { "\"", "\"abc", "\"abc\\\"", "\"abc\\", "{\"a\":\"b" }) {
			assertThat(skip(text)).as(text).isEqualTo(TRUNCATED);
		}
	}

	@Test
	void containersAreSkippedWithTheirInsidesUnjudged() {
		String object = "{\"a\":[1,2,{\"b\":\"}\"}]}";
		assertThat(skip(object + " tail")).isEqualTo(object.length());
		String loose = "{\"a\" 1 2 : 3}";
		assertThat(skip(loose)).isEqualTo(loose.length());
		assertThat(skip("{\"a\"::1}")).isEqualTo(BROKEN);
		assertThat(skip("[")).isEqualTo(TRUNCATED);
		assertThat(skip("{\"a\":1")).isEqualTo(TRUNCATED);
		assertThat(skip("[1,}")).isEqualTo(BROKEN);
	}

	@Test
	void nestingDeeperThanTheLimitIsBrokenWithoutExhaustingTheStack() {
		assertThat(skip("[".repeat(513) + "]".repeat(513))).isEqualTo(1026);
		assertThat(skip("[".repeat(514) + "]".repeat(514))).isEqualTo(BROKEN);
		assertThat(skip("[".repeat(200_000))).isEqualTo(BROKEN);
	}

	@Test
	void scalarsRunToTheNextDelimiterHoweverLong() {
		String huge = "9".repeat(2_000_000);
		assertThat(skip(huge + ",")).isEqualTo(huge.length());
		assertThat(skip("1e999999]")).isEqualTo(8);
		assertThat(skip("nonsense ")).isEqualTo(8);
		for (String bad : new String[] { "}", "]", ",", ":" }) {
			assertThat(skip(bad)).as(bad).isEqualTo(BROKEN);
		}
		assertThat(skip("")).isEqualTo(TRUNCATED);
	}

	@Test
	void aMemberIsAStringKeyAndAColon() {
		assertThat(walk("\"items\" :\n [").memberValue(0)).isEqualTo(11);
		assertThat(walk("\"a\" 1").memberValue(0)).isEqualTo(BROKEN);
		assertThat(walk("1:2").memberValue(0)).isEqualTo(BROKEN);
		assertThat(walk("\"a\"  ").memberValue(0)).isEqualTo(TRUNCATED);
		assertThat(walk("\"a").memberValue(0)).isEqualTo(TRUNCATED);
	}

	@Test
	void aKeyIsItemsOnlyWhenItIsExactlyThat() {
		assertThat(walk("\"items\":").isString(0, "items")).isTrue();
		assertThat(walk("\"items2\":").isString(0, "items")).isFalse();
		assertThat(walk("\"item\":").isString(0, "items")).isFalse();
		assertThat(walk("\"items").isString(0, "items")).isFalse();
		assertThat(walk("\"it\\u006dms\"").isString(0, "items")).isFalse();
	}

	@Test
	void separatorsLeadToTheNextValueOrTheClose() {
		assertThat(walk("1 , 2").separator(1, (byte) ']')).isEqualTo(4);
		assertThat(walk("1 ]").separator(1, (byte) ']')).isEqualTo(2);
		assertThat(walk("1 }").separator(1, (byte) ']')).isEqualTo(BROKEN);
		assertThat(walk("1  ").separator(1, (byte) ']')).isEqualTo(TRUNCATED);
		assertThat(walk("").reason(TRUNCATED)).isEqualTo("truncated JSON");
		assertThat(walk("").reason(BROKEN)).isEqualTo("broken JSON");
	}

}
