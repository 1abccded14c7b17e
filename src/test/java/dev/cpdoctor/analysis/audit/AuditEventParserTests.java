package dev.cpdoctor.analysis.audit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class AuditEventParserTests {

	private final AuditEventParser parser = new AuditEventParser();

	private final List<AuditEvent> events = new ArrayList<>();

	private static String event(String auditId, String stage, String extra) {
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"" + auditId
				+ "\",\"stage\":\"" + stage + "\",\"requestURI\":\"/api/v1/pods?limit=500\",\"verb\":\"list\","
				+ "\"user\":{\"username\":\"system:serviceaccount:inventory:inventory-controller\"},\"sourceIPs\":[\"10.0.0.7\"],"
				+ "\"userAgent\":\"inventory-controller/v2.3.0\",\"objectRef\":{\"resource\":\"pods\",\"apiVersion\":\"v1\"},"
				+ "\"responseStatus\":{\"metadata\":{},\"code\":200},"
				+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\",\"stageTimestamp\":\"2026-11-22T10:00:01.250000Z\""
				+ extra + "}";
	}

	@Test
	void theOldShapeFixtureParsesWithItsOwnValues() throws IOException {
		String fixture = Files.readString(Fixtures.path("audit/falco_trace_create_configmap.json"));
		AuditInputReport report = this.parser.parseLines(input(fixture), this.events::add);
		assertThat(report.events()).isEqualTo(1);
		assertThat(report.problems()).isEmpty();
		AuditEvent e = this.events.get(0);
		assertThat(e.auditId()).isEqualTo(between(fixture, "\"auditID\":\"", "\""));
		assertThat(e.verb()).isEqualTo(between(fixture, "\"verb\":\"", "\""));
		assertThat(e.resource()).isEqualTo("configmaps");
		assertThat(e.code()).isEqualTo(201);
		assertThat(e.stage()).isEqualTo(Stage.RESPONSE_COMPLETE);
		assertThat(e.requestReceived())
			.isEqualTo(Instant.parse(between(fixture, "\"requestReceivedTimestamp\":\"", "\"")));
		assertThat(e.latencyMs()).isCloseTo(5.772, Assertions.within(0.001));
	}

	@Test
	void badLinesAreCountedByReasonAndTheRestOfTheBatchIsKept() throws IOException {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		String hugeUa = "x".repeat(1_000_000);
		body.writeBytes((event("a-1", "ResponseComplete", "") + "\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(
				(event("a-2", "ResponseComplete", "").substring(0, 80) + "\n").getBytes(StandardCharsets.UTF_8));
		body.writeBytes(
				"{\"auditID\":\"a-3\",\"stage\":\"ResponseComplete\",\"verb\":5,\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\"}\n"
					.getBytes(StandardCharsets.UTF_8));
		body.writeBytes("{\"auditID\":\"a-4\",\"stage\":\"ResponseComplete\",\"verb\":\"get\"}\n"
			.getBytes(StandardCharsets.UTF_8));
		body.writeBytes((event("a-5", "ResponseComplete", "").replace("inventory-controller/v2.3.0", hugeUa) + "\n")
			.getBytes(StandardCharsets.UTF_8));
		byte[] invalidUtf8 = (event("a-6", "ResponseComplete", "").replace("inventory-controller", "inv\u00e9ntory")
				+ "\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		body.writeBytes(invalidUtf8);
		body.writeBytes("\n   \n".getBytes(StandardCharsets.UTF_8));
		body.writeBytes(
				event("a-7", "RequestReceived", "").replace(",\"stageTimestamp\":\"2026-11-22T10:00:01.250000Z\"", "")
					.getBytes(StandardCharsets.UTF_8));
		AuditInputReport report = this.parser.parseLines(new ByteArrayInputStream(body.toByteArray()),
				this.events::add);
		assertThat(this.events).extracting(AuditEvent::auditId).containsExactly("a-1", "a-5", "a-7");
		assertThat(report.problems()).containsOnly(entry("truncated JSON", 1L), entry("wrong type for verb", 1L),
				entry("no usable requestReceivedTimestamp or timestamp", 1L), entry("invalid UTF-8", 1L),
				entry("user agent longer than 1024 characters (cut)", 1L),
				entry("no stageTimestamp (counted, no latency)", 1L));
		assertThat(this.events.get(1).userAgent()).hasSize(AuditEventParser.MAX_USER_AGENT);
		assertThat(this.events.get(0).latencyMs()).isEqualTo(1250.0);
		assertThat(this.events.get(2).carriesLatency()).isFalse();
	}

	@Test
	void anEventListKeepsTheItemsBeforeABrokenTail() {
		String list = "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
				+ event("b-1", "RequestReceived", "") + "," + event("b-1", "ResponseComplete", "") + ",42,"
				+ event("b-2", "ResponseStarted", ",\"annotations\":{\"k\":\"v\"}") + "," + event("b-3", "Response", "")
				+ "," + event("b-4", "ResponseComplete", "").substring(0, 60);
		AuditInputReport report = this.parser.parseEventList(list.getBytes(StandardCharsets.UTF_8), this.events::add);
		assertThat(this.events).extracting(AuditEvent::auditId).containsExactly("b-1", "b-1", "b-2");
		assertThat(report.events()).isEqualTo(3);
		assertThat(report.problems()).containsOnly(entry("item is not an object", 1L),
				entry("unknown stage Response", 1L), entry("truncated JSON", 1L));
		AuditRollup rollup = new AuditRollup();
		this.events.forEach(rollup::add);
		assertThat(rollup.topUserAgents(
				new TimeWindow(Instant.parse("2026-11-22T09:00:00Z"), Instant.parse("2026-11-22T11:00:00Z")), 10))
			.containsExactly(new UserAgentRequests("inventory-controller/v2.3.0", 2));
	}

	@Test
	void aBodyThatIsNotAnEventList() {
		assertThat(this.parser.parseEventList("[1,2]".getBytes(StandardCharsets.UTF_8), this.events::add).problems())
			.containsOnly(entry("not an EventList", 1L));
		assertThat(
				this.parser.parseEventList("{\"kind\":\"Status\"}".getBytes(StandardCharsets.UTF_8), this.events::add)
					.problems())
			.containsOnly(entry("no items array", 1L));
		assertThat(this.events).isEmpty();
	}

	private static ByteArrayInputStream input(String text) {
		return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
	}

	private static String between(String text, String start, String end) {
		int from = text.indexOf(start) + start.length();
		return text.substring(from, text.indexOf(end, from));
	}

	@Test
	void longAuditIdsAreHashedNulsReplacedAndTimestampsOutsideTheStorableRangeRefused() {
		String longId = "x".repeat(300);
		String body = event(longId, "RequestReceived", "") + "\n" + event(longId, "ResponseComplete", "") + "\n"
				+ event("n-1", "ResponseComplete", "").replace("inventory-controller/v2.3.0", "evil\\u0000ua") + "\n"
				+ event("far", "ResponseComplete", "").replace("2026-11-22T10:00:00.000000Z", "+300000-01-01T00:00:00Z")
				+ "\n";
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		AuditInputReport report = this.parser.parseLines(bytes, 0, bytes.length, this.events::add);
		assertThat(report.problems()).containsEntry("auditID longer than 64 characters (hashed)", 2L)
			.containsEntry("NUL character (replaced)", 1L)
			.containsEntry("timestamp outside 1970..9999", 1L);
		assertThat(this.events).hasSize(3);
		assertThat(this.events.get(0).auditId()).hasSize(64).isEqualTo(this.events.get(1).auditId());
		assertThat(this.events.get(2).userAgent()).isEqualTo("evil\uFFFDua");
	}

	@Test
	void oneBadItemOfAnEventListCostsThatItemOnly() {
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		body.writeBytes("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
			.getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 10; i++) {
			if (i > 0) {
				body.write(',');
			}
			String item = event("i-" + i, "ResponseComplete", "");
			if (i == 3) {
				byte[] bytes = item.replace("inventory-controller", "inventory-c\u00ffntroller")
					.getBytes(StandardCharsets.ISO_8859_1);
				body.writeBytes(bytes); // invalid UTF-8 inside the user agent
				continue;
			}
			if (i == 5) {
				item = item.replace("\"code\":200", "\"code\":99999999999");
			}
			body.writeBytes(item.getBytes(StandardCharsets.UTF_8));
		}
		body.writeBytes("]}".getBytes(StandardCharsets.UTF_8));
		byte[] bytes = body.toByteArray();
		AuditInputReport report = this.parser.parseEventList(bytes, this.events::add);
		assertThat(report.events()).isEqualTo(8);
		assertThat(report.problems()).containsOnly(entry("invalid UTF-8", 1L),
				entry("wrong type for responseStatus.code", 1L));
		// Cut in the middle of item 7: the items before it are kept, the cut is counted
		// once.
		this.events.clear();
		String text = new String(bytes, StandardCharsets.ISO_8859_1);
		int cut = text.indexOf("i-7") + 40;
		AuditInputReport truncated = this.parser.parseEventList(Arrays.copyOf(bytes, cut), this.events::add);
		assertThat(truncated.events()).isEqualTo(5);
		assertThat(truncated.problems()).containsEntry("truncated JSON", 1L);
	}

}
