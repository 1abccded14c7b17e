package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast line scanner must never change an answer: on real-shaped lines and on the same
 * lines cut, flipped, escaped and retyped at random, the parser with the scanner gives
 * exactly the events and problem counts of the JSON parser alone.
 */
class AuditLineScannerTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static void assertSameAsJsonParser(byte[] body) {
		List<AuditEvent> fast = new ArrayList<>();
		List<AuditEvent> reference = new ArrayList<>();
		AuditInputReport fastReport = new AuditEventParser(true).parseLines(body, 0, body.length, fast::add);
		AuditInputReport referenceReport = new AuditEventParser(false).parseLines(body, 0, body.length, reference::add);
		assertThat(fast).isEqualTo(reference);
		assertThat(fastReport.events()).isEqualTo(referenceReport.events());
		assertThat(fastReport.problems()).isEqualTo(referenceReport.problems());
	}

	@Test
	void realShapedLinesGiveTheSameEvents() {
		byte[] body = AuditTraffic.random(51, 3_000, 20, T0, 60).jsonLinesBytes(true);
		assertSameAsJsonParser(body);
		List<AuditEvent> events = new ArrayList<>();
		new AuditEventParser().parseLines(body, 0, body.length, events::add);
		assertThat(events).hasSizeGreaterThan(6_000);
	}

	@Test
	void damagedLinesGiveTheSameEventsAndProblemCounts() {
		Random random = new Random(52);
		String[] lines = AuditTraffic.random(53, 2_000, 10, T0, 30).jsonLines(true).split("\n");
		String[] damages = { "\\\"", "\\u00e9", "null", "42", "{}", "[]", "\"", "}", ",", ":", "é", "\u0001", " ",
				"tru", "1.5", "-", "\"code\":2000" };
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		for (String line : lines) {
			String damaged = line;
			switch (random.nextInt(6)) {
				case 0 -> damaged = line.substring(0, random.nextInt(line.length())); // truncated
				case 1 -> {
					int at = random.nextInt(line.length());
					damaged = line.substring(0, at) + damages[random.nextInt(damages.length)] + line.substring(at);
				}
				case 2 -> {
					int at = random.nextInt(line.length());
					damaged = line.substring(0, at)
							+ line.substring(Math.min(line.length(), at + 1 + random.nextInt(5)));
				}
				default -> {
					// unchanged
				}
			}
			byte[] bytes = damaged.getBytes(StandardCharsets.UTF_8);
			if (random.nextInt(20) == 0 && bytes.length > 0) {
				bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x7f)); // invalid
																							// UTF-8
																							// (mostly)
			}
			body.writeBytes(bytes);
			body.write('\n');
		}
		assertSameAsJsonParser(body.toByteArray());
	}

	@Test
	void fieldsWithEscapesNullsAndWrongTypesGoToTheJsonParser() {
		String base = AuditTraffic.event(AuditTraffic.random(54, 1, 1, T0, 1).requests().get(0), "ResponseComplete");
		String[] variants = { base.replace("\"verb\":\"", "\"verb\":\"x\\\"y"),
				base.replace("\"userAgent\":\"", "\"userAgent\":\"\\u00e9"),
				base.replaceFirst("\"verb\":\"[a-z]+\"", "\"verb\":null"),
				base.replaceFirst("\"verb\":\"[a-z]+\"", "\"verb\":7"),
				base.replace("\"objectRef\":{", "\"objectRef\":null,\"x\":{"),
				base.replaceFirst("\"code\":\\d+", "\"code\":200.0"),
				base.replace("\"userAgent\":\"", "\"userAgent\":\"ünïcode "), base + " trailing", "  " + base + "  \r",
				base.replaceFirst("\"code\":(\\d+)", "\"code\":0$1"),
				base.replace("\"level\":", "\"n\":1-2-3,\"level\":"), base.replace("\"level\":", "\"n\":01,\"level\":"),
				base.replace("\"level\":", "\"n\":1.,\"level\":"),
				base.replace("\"level\":", "\"n\":-1.5e+3,\"level\":"),
				base.replace("\"objectRef\":{\"resource\"", "\"objectRef\":{\"res\\u006furce\":\"x\",\"resource\"") };
		assertSameAsJsonParser(String.join("\n", variants).getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void timestampsReadFastAreTheInstantsOfTheGeneralParser() {
		String[] texts = { "2026-11-22T10:00:00Z", "2026-11-22T10:00:00.1Z", "2026-11-22T10:00:00.123456Z",
				"2026-11-22T10:00:00.123456789Z", "2024-02-29T23:59:59.999999Z", "1970-01-01T00:00:00Z",
				"1969-12-31T23:59:59.5Z", "2000-03-01T00:00:00Z", "2100-02-28T12:00:00Z", "9999-12-31T23:59:59Z" };
		for (String text : texts) {
			assertThat(Timestamps.fast(text)).as(text).isEqualTo(Instant.parse(text));
		}
		for (String bad : new String[] { "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-11-22T24:00:00Z",
				"2026-11-22T10:00:00.Z", "2026-11-22 10:00:00Z", "2026-11-22T10:00:00+01:00",
				"2026-11-22T10:00:00.1234567890Z" }) {
			assertThat(Timestamps.fast(bad)).as(bad).isNull();
		}
		assertThat(Timestamps.parse("2026-11-22T10:00:00+01:00")).isEqualTo(Instant.parse("2026-11-22T09:00:00Z"));
		assertThat(Timestamps.parse("yesterday")).isNull();
	}

}
