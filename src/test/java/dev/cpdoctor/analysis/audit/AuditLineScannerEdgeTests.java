package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The fast line scanner against inputs the random damage of AuditLineScannerTests does
 * not generate: escapes at a line's end, invalid escapes, timestamps with characters
 * beyond Latin-1, and the JSON parser's length limits. Either both paths agree or the
 * event is a counted problem; nothing throws.
 */
class AuditLineScannerEdgeTests {

	private static final String HEAD = "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\","
			+ "\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"verb\":\"get\",\"userAgent\":\"ua\","
			+ "\"objectRef\":{\"resource\":\"pods\"},\"responseStatus\":{\"code\":200},"
			+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\",\"stageTimestamp\":\"2026-11-22T10:00:00.005000Z\"";

	private record Result(List<AuditEvent> events, long kept, Map<String, Long> problems) {
	}

	private static Result parse(boolean fast, byte[] body) {
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = new AuditEventParser(fast).parseLines(body, 0, body.length, events::add);
		return new Result(events, report.events(), report.problems());
	}

	/**
	 * A backslash right before the newline: line mode's string scan skips the newline as
	 * the escaped character and reads on into the next line, gluing two broken lines into
	 * one event.
	 */
	@Test
	void anEscapedNewlineDoesNotJoinTwoLines() {
		byte[] body = (HEAD + ",\"x\":\"\\\n\"}\n").getBytes(StandardCharsets.UTF_8);
		Result reference = parse(false, body);
		Result fast = parse(true, body);
		assertThat(reference.events()).isEmpty(); // two broken lines
		assertThat(fast.events()).isEqualTo(reference.events());
		assertThat(fast.problems()).isEqualTo(reference.problems());
	}

	/**
	 * Timestamps.fast(String) indexes the ISO-8859-1 bytes of the text by its char
	 * length: a supplementary character (two chars, one '?' byte) makes the array shorter
	 * than the text.
	 */
	@Test
	void aTimestampWithAnEmojiIsAProblemNotAnException() {
		String bad = HEAD.replace("\"stageTimestamp\":\"2026-11-22T10:00:00.005000Z\"",
				"\"stageTimestamp\":\"2026-11-22T10:00:00.0050\uD83D\uDE00Z\"") + "}\n";
		byte[] body = bad.getBytes(StandardCharsets.UTF_8);
		assertThatCode(() -> parse(false, body)).doesNotThrowAnyException();
		assertThatCode(() -> parse(true, body)).doesNotThrowAnyException();
	}

	@Test
	void aTimestampWithAnEscapedSurrogateIsAProblemNotAnException() {
		// the same through a JSON escape: pure ASCII bytes on the wire
		String bad = HEAD.replace("\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\"",
				"\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.0000\\ud83d\\ude00Z\"") + "}\n";
		byte[] body = bad.getBytes(StandardCharsets.UTF_8);
		assertThatCode(() -> parse(true, body)).doesNotThrowAnyException();
	}

	/**
	 * Invalid escapes in a skipped string: the scanner only steps over the byte after a
	 * backslash.
	 */
	@Test
	void anInvalidEscapeInASkippedStringIsRejectedByBothPaths() {
		for (String escape : new String[] { "\\x", "\\u00zz", "\\u12", "\\\u0001" }) {
			byte[] body = (HEAD + ",\"requestURI\":\"/api" + escape + "\"}\n").getBytes(StandardCharsets.UTF_8);
			Result reference = parse(false, body);
			Result fast = parse(true, body);
			assertThat(fast.events()).as(escape).isEqualTo(reference.events());
			assertThat(fast.problems()).as(escape).isEqualTo(reference.problems());
		}
	}

	/** Jackson's default StreamReadConstraints: numbers of at most 1000 digits. */
	@Test
	void aNumberOverJacksonsLengthLimitIsRejectedByBothPaths() {
		assertSameAsJackson((HEAD + ",\"n\":" + "1".repeat(1_001) + "}\n").getBytes(StandardCharsets.UTF_8));
	}

	/** Jackson's default StreamReadConstraints: names of at most 50,000 characters. */
	@Test
	void aNameOverJacksonsLengthLimitIsRejectedByBothPaths() {
		assertSameAsJackson((HEAD + ",\"" + "k".repeat(50_001) + "\":1}\n").getBytes(StandardCharsets.UTF_8));
	}

	private static void assertSameAsJackson(byte[] body) {
		Result reference = parse(false, body);
		Result fast = parse(true, body);
		assertThat(fast.events()).isEqualTo(reference.events());
		assertThat(fast.problems()).isEqualTo(reference.problems());
	}

	/**
	 * An escaped lone surrogate and a user agent cut through a surrogate pair: replaced
	 * (UTF-8 and PostgreSQL cannot keep them), counted once per event, the event kept.
	 */
	@Test
	void loneSurrogatesAreReplacedAndCounted() {
		String line = HEAD.replace("\"auditID\":\"a1\"", "\"auditID\":\"a\\ud800b\"")
			.replace("\"userAgent\":\"ua\"", "\"userAgent\":\"" + "u".repeat(1023) + "\\ud83d\\ude00\"") + "}\n";
		byte[] body = line.getBytes(StandardCharsets.UTF_8);
		Result result = parse(true, body);
		assertThat(result.events()).singleElement().satisfies((event) -> {
			assertThat(event.auditId()).isEqualTo("a\uFFFDb");
			assertThat(event.userAgent()).hasSize(1023).doesNotContain("\uD83D");
		});
		assertThat(result.problems()).containsEntry("lone UTF-16 surrogate (replaced)", 1L)
			.containsEntry("user agent longer than 1024 characters (cut)", 1L);
		assertThat(parse(false, body)).isEqualTo(result);
	}

}
