package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A UTF-8 byte-order mark (EF BB BF) before an EventList, at the start of JSON lines, and
 * before one event read alone: skipped, never the cause of a lost batch or line; and the
 * events read one at a time count like lines.
 */
class AuditEventParserBomTests {

	private static final byte[] BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

	private static byte[] bytes(Object... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (Object part : parts) {
			out.writeBytes((part instanceof byte[] b) ? b : part.toString().getBytes(StandardCharsets.UTF_8));
		}
		return out.toByteArray();
	}

	private static List<String> lines(int count) {
		AuditTraffic traffic = AuditTraffic.random(41, count, 3, Instant.parse("2026-11-22T10:00:00Z"), 5);
		return traffic.requests().stream().limit(count).map((r) -> AuditTraffic.event(r, "ResponseComplete")).toList();
	}

	@Test
	void anEventListAfterAByteOrderMarkKeepsAllItsEvents() {
		List<String> events = lines(22);
		List<AuditEvent> parsed = new ArrayList<>();
		AuditInputReport report = new AuditEventParser().parseBody(bytes(BOM, AuditTraffic.eventList(events)),
				parsed::add);
		assertThat(report.problems()).isEmpty();
		assertThat(report.events()).isEqualTo(22);
		assertThat(parsed).hasSize(22);
	}

	@Test
	void jsonLinesWithAByteOrderMarkAtTheirStartCountEveryLine() {
		List<String> events = lines(4);
		byte[] body = bytes(BOM, events.get(0), "\n", events.get(1), "\n", BOM, events.get(2), "\n", BOM,
				events.get(3));
		for (boolean fast : new boolean[] { true, false }) {
			List<AuditEvent> parsed = new ArrayList<>();
			AuditInputReport report = new AuditEventParser(fast).parseLines(body, 0, body.length, parsed::add);
			assertThat(report.problems()).isEmpty();
			assertThat(parsed).hasSize(4);
		}
	}

	@Test
	void eventsReadOneAtATimeShareOneReport() {
		List<String> events = lines(2);
		AuditInputReport report = new AuditInputReport();
		List<AuditEvent> parsed = new ArrayList<>();
		AuditEventParser.Events one = new AuditEventParser().events(report, parsed::add);
		byte[] pretty = bytes(BOM, events.get(0).replace(",\"", ",\n  \""));
		one.event(pretty, 0, pretty.length);
		byte[] second = bytes("  ", events.get(1), "\n");
		one.event(second, 0, second.length);
		one.event(second, 0, 2);
		one.problem("a refused wrapper");
		assertThat(parsed).hasSize(2);
		assertThat(report.events()).isEqualTo(2);
		assertThat(report.problems()).containsOnlyKeys("empty event", "a refused wrapper");
	}

}
