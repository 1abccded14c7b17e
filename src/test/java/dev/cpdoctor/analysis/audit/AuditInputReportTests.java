package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * What the data-quality panel is told: each reason's count per event and its first
 * offending input, escaped and cut.
 */
class AuditInputReportTests {

	private final AuditEventParser parser = new AuditEventParser();

	private final List<AuditEvent> events = new ArrayList<>();

	private static String event(String auditId, String userAgent) {
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"auditID\":\"" + auditId
				+ "\",\"stage\":\"ResponseComplete\",\"verb\":\"list\",\"userAgent\":\"" + userAgent
				+ "\",\"objectRef\":{\"resource\":\"pods\"},\"responseStatus\":{\"code\":200},"
				+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\","
				+ "\"stageTimestamp\":\"2026-11-22T10:00:00.250000Z\"}";
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String sample(String text) {
		byte[] bytes = utf8(text);
		return InputSample.of(bytes, 0, bytes.length);
	}

	@Test
	void controlCharactersNulAndInvalidUtf8ShowAsVisibleEscapesNeverRaw() {
		byte[] input = { '{', '"', 'a', '"', ':', 0, '\n', '\t', '\r', (byte) 0xff, (byte) 0xc3, '<', 0x1b, 0x7f, '}' };
		assertThat(InputSample.of(input, 0, input.length))
			.isEqualTo("{\"a\":\\u0000\\n\\t\\r\\xff\\xc3<\\u001b\\u007f}");
		// Well-formed UTF-8 shows as itself; what would not show as itself (a
		// right-to-left override, a zero-width space, a byte-order mark) is escaped.
		assertThat(sample("inv\u00e9ntory \u4e2d \uD83D\uDE00")).isEqualTo("inv\u00e9ntory \u4e2d \uD83D\uDE00");
		assertThat(sample("a\u202Eb\u200Bc\uFEFFd")).isEqualTo("a\\u202eb\\u200bc\\ufeffd");
		// Overlong forms, an encoded surrogate and a sequence cut by the end are not
		// UTF-8: each byte escaped.
		byte[] notUtf8 = { (byte) 0xc0, (byte) 0xaf, (byte) 0xed, (byte) 0xa0, (byte) 0x80, 'x', (byte) 0xe2,
				(byte) 0x82 };
		assertThat(InputSample.of(notUtf8, 0, notUtf8.length)).isEqualTo("\\xc0\\xaf\\xed\\xa0\\x80x\\xe2\\x82");
		// Markup stays text: the page escapes it.
		assertThat(sample("<script>alert(1)</script>")).isEqualTo("<script>alert(1)</script>");
		// White space around the input is left out.
		assertThat(sample("  \r\n  {}\n")).isEqualTo("{}");
	}

	@Test
	void aSampleIsCutTo200CharactersAndSaysSo() {
		assertThat(sample("x".repeat(200))).isEqualTo("x".repeat(200));
		assertThat(sample("x".repeat(201))).isEqualTo("x".repeat(199) + "\u2026").hasSize(200);
		// A megabyte line: 200 characters, read from its head only.
		byte[] huge = utf8("y".repeat(1_000_000));
		assertThat(InputSample.of(huge, 0, huge.length)).hasSize(200).endsWith("y\u2026");
		// An escape is never cut in half.
		assertThat(sample("\u0000".repeat(40))).isEqualTo("\\u0000".repeat(33) + "\u2026");
	}

	@Test
	void aCutNeverSplitsASurrogatePair() {
		String smiley = "\uD83D\uDE00";
		for (String prefix : new String[] { "", "a" }) {
			String cut = sample(prefix + smiley.repeat(150));
			assertThat(cut).endsWith("\u2026").hasSizeLessThanOrEqualTo(200);
			String kept = cut.substring(0, cut.length() - 1);
			assertThat(kept).isEqualTo(prefix + smiley.repeat((199 - prefix.length()) / 2));
			assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
		}
	}

	@Test
	void aReasonKeepsItsFirstSampleAndCountsEveryEvent() {
		String lines = "{\"auditID\":\"first\",\"stage\":\"ResponseComplete\",\"verb\":1}\n"
				+ "{\"auditID\":\"second\",\"stage\":\"ResponseComplete\",\"verb\":2}\n" + event("ok-1", "kubectl")
				+ "\n" + "{\"auditID\":\"third\",\"stage\":\"ResponseComplete\",\"verb\":3}\n";
		byte[] bytes = utf8(lines);
		AuditInputReport report = this.parser.parseLines(bytes, 0, bytes.length, this.events::add);
		assertThat(report.events()).isEqualTo(1);
		assertThat(report.problems()).containsExactly(entry("wrong type for verb", 3L));
		assertThat(report.samples()).containsExactly(
				entry("wrong type for verb", "{\"auditID\":\"first\",\"stage\":\"ResponseComplete\",\"verb\":1}"));
		// Reports added up keep the first report's sample.
		byte[] other = utf8("{\"auditID\":\"fourth\",\"stage\":\"ResponseComplete\",\"verb\":4}\n{oops\n");
		AuditInputReport later = this.parser.parseLines(other, 0, other.length, this.events::add);
		report.add(later);
		assertThat(report.problems()).containsExactly(entry("broken JSON", 1L), entry("wrong type for verb", 4L));
		assertThat(report.samples()).containsEntry("broken JSON", "{oops");
		assertThat(report.samples().get("wrong type for verb")).contains("first").doesNotContain("fourth");
	}

	/**
	 * A 22-event EventList with 3 bad items counts 3 problems and 19 events, compact or
	 * pretty-printed.
	 */
	@Test
	void anEventListCountsEachBadItemOnceWithTheItemAsItsSample() {
		List<String> items = new ArrayList<>();
		for (int i = 0; i < 22; i++) {
			items.add((i % 7 == 3) ? "{\"auditID\":\"bad-" + i + "\",\"stage\":\"ResponseComplete\"}"
					: event("ok-" + i, "kubectl"));
		}
		String compact = AuditTraffic.eventList(items);
		String pretty = "{\n  \"kind\": \"EventList\",\n  \"apiVersion\": \"audit.k8s.io/v1\",\n  \"items\": [\n    "
				+ String.join(",\n    ", items).replace(",\"", ",\n      \"") + "\n  ]\n}\n";
		for (String list : new String[] { compact, pretty }) {
			this.events.clear();
			AuditInputReport report = this.parser.parseBody(utf8(list), this.events::add);
			assertThat(report.events()).as(list).isEqualTo(19);
			assertThat(report.problems()).containsExactly(entry("no usable requestReceivedTimestamp or timestamp", 3L));
			assertThat(report.samples().get("no usable requestReceivedTimestamp or timestamp")).startsWith("{")
				.contains("bad-3")
				.doesNotContain("bad-10")
				.doesNotContain("ok-");
		}
	}

	@Test
	void repairedEventsKeepTheirSampleToo() {
		String longAgent = event("cut-1", "k".repeat(2_000));
		String nul = event("nul-1", "kubectl\\u0000");
		String hashed = event("h".repeat(100), "kubectl");
		byte[] bytes = utf8(longAgent + "\n" + nul + "\n" + hashed + "\n");
		AuditInputReport report = this.parser.parseLines(bytes, 0, bytes.length, this.events::add);
		assertThat(report.events()).isEqualTo(3);
		assertThat(report.problems()).containsOnlyKeys("user agent longer than 1024 characters (cut)",
				"NUL character (replaced)", "auditID longer than 64 characters (hashed)");
		assertThat(report.samples().get("user agent longer than 1024 characters (cut)")).contains("cut-1")
			.hasSize(200)
			.endsWith("\u2026");
		// The JSON escape was text in the input and stays text.
		assertThat(report.samples().get("NUL character (replaced)")).contains("nul-1", "kubectl\\u0000");
		assertThat(report.samples().get("auditID longer than 64 characters (hashed)")).contains("hhhh");
		assertThat(report.problems().keySet()).allMatch(AuditInputReport::isRepair);
		assertThat(AuditInputReport.isRepair("wrong type for verb")).isFalse();
	}

	@Test
	void aBrokenEventListIsSampledFromWhereItBroke() {
		String good = event("ok-1", "kubectl");
		String cutOff = "{\"kind\":\"EventList\",\"items\":[" + good + "," + good.substring(0, 60);
		AuditInputReport report = this.parser.parseEventList(utf8(cutOff), this.events::add);
		assertThat(report.events()).isEqualTo(1);
		assertThat(report.problems()).containsExactly(entry("truncated JSON", 1L));
		assertThat(report.samples().get("truncated JSON")).isEqualTo(good.substring(0, 60));

		AuditInputReport notAList = this.parser.parseEventList(utf8("[1,\u0000 2]"), this.events::add);
		assertThat(notAList.samples()).containsExactly(entry("not an EventList", "[1,\\u0000 2]"));
		AuditInputReport numberItem = this.parser.parseEventList(utf8("{\"items\":[42]}"), this.events::add);
		assertThat(numberItem.samples()).containsExactly(entry("item is not an object", "42"));
	}

	@Test
	void aLineOfRawBytesIsSampledEscaped() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes(utf8(event("ok-1", "kubectl") + "\n"));
		body.writeBytes(utf8("{\"auditID\":\"x\",\"userAgent\":\"<script>"));
		body.write(0);
		body.write(0xff);
		body.writeBytes(utf8("\"}\n"));
		byte[] bytes = body.toByteArray();
		AuditInputReport report = this.parser.parseLines(bytes, 0, bytes.length, this.events::add);
		assertThat(report.events()).isEqualTo(1);
		assertThat(report.problems()).hasSize(1);
		assertThat(report.samples().values())
			.containsExactly("{\"auditID\":\"x\",\"userAgent\":\"<script>\\u0000\\xff\"}");
		// A report of one refused piece carries its sample; one without input has none.
		assertThat(AuditInputReport.rejected("line too long", bytes, 0, 10).samples())
			.containsExactly(entry("line too long", "{\"kind\":\"E"));
		assertThat(AuditInputReport.rejected("line too long").samples()).isEmpty();
	}

}
