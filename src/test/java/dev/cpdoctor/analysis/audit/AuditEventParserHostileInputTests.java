package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The parser whole, past its lexers, on input built to hurt: deep nesting, huge numbers,
 * strings that never end. Each costs its own event (or, in an EventList, the rest of the
 * list) as a counted problem; the good events around it are kept and nothing throws.
 */
class AuditEventParserHostileInputTests {

	private static final String GOOD = "{\"auditID\":\"a1\",\"stage\":\"ResponseComplete\",\"verb\":\"get\","
			+ "\"userAgent\":\"ua\",\"objectRef\":{\"resource\":\"pods\"},\"responseStatus\":{\"code\":200},"
			+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\","
			+ "\"stageTimestamp\":\"2026-11-22T10:00:00.005000Z\"}";

	private record Result(List<AuditEvent> events, long kept, Map<String, Long> problems) {
	}

	private static Result lines(boolean fast, String body) {
		List<AuditEvent> events = new ArrayList<>();
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		AuditInputReport report = new AuditEventParser(fast).parseLines(bytes, 0, bytes.length, events::add);
		return new Result(events, report.events(), report.problems());
	}

	private static Result bothPaths(String body) {
		Result fast = lines(true, body);
		assertThat(lines(false, body)).isEqualTo(fast);
		return fast;
	}

	private static String withMember(String member) {
		return GOOD.substring(0, GOOD.length() - 1) + "," + member + "}";
	}

	@Test
	void deepNestingCostsItsLineOnly() {
		Result result = bothPaths(
				GOOD + "\n" + withMember("\"x\":" + "[".repeat(100_000) + "]".repeat(100_000)) + "\n" + GOOD + "\n");
		assertThat(result.kept()).isEqualTo(2);
		assertThat(result.problems()).containsOnlyKeys("broken JSON");
	}

	@Test
	void nestingTheScannerLeavesToTheJsonParserIsStillAnEvent() {
		Result result = bothPaths(withMember("\"x\":" + "[".repeat(100) + "]".repeat(100)) + "\n");
		assertThat(result.kept()).isEqualTo(1);
		assertThat(result.problems()).isEmpty();
	}

	@Test
	void hugeNumbersInSkippedMembersAndInTheCode() {
		Result result = bothPaths(
				withMember("\"n\":" + "9".repeat(990) + "e99999") + "\n" + withMember("\"n\":" + "9".repeat(100_000))
						+ "\n" + GOOD.replace("\"code\":200", "\"code\":" + "9".repeat(40)) + "\n");
		assertThat(result.kept()).isEqualTo(1);
		// 100,000 digits are over the JSON parser's length limit; 40 are no int
		assertThat(result.problems()).containsOnly(entry("broken JSON", 1L),
				entry("wrong type for responseStatus.code", 1L));
	}

	@Test
	void aStringThatNeverEndsIsTruncatedJson() {
		Result result = bothPaths(GOOD + "\n" + withMember("\"x\":\"" + "y".repeat(100_000)).replaceAll("\"}$", ""));
		assertThat(result.kept()).isEqualTo(1);
		assertThat(result.problems()).containsOnlyKeys("truncated JSON");
	}

	@Test
	void anEventListNestedTooDeepKeepsTheItemsBeforeIt() {
		String list = "{\"kind\":\"EventList\",\"items\":[" + GOOD + ",{\"x\":" + "[".repeat(100_000)
				+ "]".repeat(100_000) + "}," + GOOD + "]}";
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = new AuditEventParser().parseBody(list.getBytes(StandardCharsets.UTF_8), events::add);
		assertThat(events).hasSize(1);
		assertThat(report.problems()).containsOnly(entry("broken JSON", 1L));
	}

}
