package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.audit.AuditEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wrappers of any size walked item by item, documents of any layout, and the document
 * cap: a 200,000-item EventList or filter-log-events output under a 64 KiB cap (holding
 * either whole would be refused), pretty-printed and concatenated documents with
 * byte-order marks between them, a document past the cap between two that are not.
 */
class AuditFormsStreamingTests {

	private static final FormLimits SMALL = FormLimits.of(64 * 1024, 1L << 40);

	private static final int ITEMS = 200_000;

	/** Event {@code i} of a generated input, one line of JSON. */
	static String event(int i) {
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"gen-" + i
				+ "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/pods\",\"verb\":\"list\","
				+ "\"userAgent\":\"agent-" + (i % 7) + "\",\"objectRef\":{\"resource\":\"pods\",\"apiVersion\":\"v1\"},"
				+ "\"responseStatus\":{\"metadata\":{},\"code\":200},"
				+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\","
				+ "\"stageTimestamp\":\"2026-11-22T10:00:00.012000Z\"}";
	}

	private static String quoted(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static FormRead count(FormLimits limits, GeneratedInput in, AtomicLong events, List<String> last)
			throws IOException {
		return new AuditForms(limits).read(in, (e) -> {
			events.incrementAndGet();
			last.set(0, e.auditId());
		});
	}

	@Test
	void aHugeEventListIsWalkedItemByItem() throws IOException {
		GeneratedInput in = new GeneratedInput("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":[",
				AuditFormsStreamingTests::event, ITEMS, ",\n", "]}");
		AtomicLong events = new AtomicLong();
		List<String> last = new ArrayList<>(List.of(""));
		FormRead read = count(SMALL, in, events, last);
		assertThat(in.read).as("the whole list, far past the cap").isGreaterThan(100L * SMALL.maxDocument());
		assertThat(read.report().problems()).isEmpty();
		assertThat(read.report().events()).isEqualTo(ITEMS);
		assertThat(events).hasValue(ITEMS);
		assertThat(last.get(0)).isEqualTo("gen-" + (ITEMS - 1));
		assertThat(read.forms()).containsExactly(AuditForm.EVENT_LIST);
	}

	@Test
	void aHugeFilterLogEventsOutputIsWalkedEventByEvent() throws IOException {
		GeneratedInput in = new GeneratedInput("{\n    \"events\": [\n",
				(i) -> "        {\"logStreamName\": \"kube-apiserver-audit-0f1e\", \"timestamp\": "
						+ (1795341600000L + i) + ", \"message\": " + quoted(event(i))
						+ ", \"ingestionTime\": 1795341600999, \"eventId\": \"" + i + "\"}",
				ITEMS, ",\n", "\n    ],\n    \"searchedLogStreams\": []\n}\n");
		AtomicLong events = new AtomicLong();
		List<String> last = new ArrayList<>(List.of(""));
		FormRead read = count(SMALL, in, events, last);
		assertThat(read.report().problems()).isEmpty();
		assertThat(events).hasValue(ITEMS);
		assertThat(last.get(0)).isEqualTo("gen-" + (ITEMS - 1));
		assertThat(read.forms()).containsExactly(AuditForm.CLOUDWATCH_EVENTS);
	}

	@Test
	void concatenatedAndPrettyPrintedDocumentsCountOneEventEach() throws IOException {
		String pretty = event(1).replace(",\"", ",\n  \"").replace("{", "{\n  ").replace("}", "\n}");
		String bom = "\uFEFF";
		String input = bom + event(0) + event(2) + " " + bom + event(3) + "\n\n" + pretty + "\n" + bom
				+ pretty.replace("gen-1", "gen-4") + "\r\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(read.report().problems()).isEmpty();
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-2", "gen-3", "gen-1", "gen-4");
		assertThat(read.forms()).containsExactly(AuditForm.EVENT_DOCUMENTS);
	}

	@Test
	void linesCutShortAmongDocumentsCostThemselvesOnly() throws IOException {
		String pretty = event(1).replace(",\"", ",\n  \"").replace("{", "{\n  ").replace("}", "\n}");
		String cutInAString = event(5).substring(0, event(5).indexOf("\"pods\"") + 3);
		String cutBetweenValues = event(6).substring(0, event(6).indexOf("\"pods\"") + 6);
		String input = pretty + "\n" + cutInAString + "\n" + event(2) + "\n" + cutBetweenValues + "\n" + event(3) + "\n"
				+ pretty.replace("gen-1", "gen-4") + "\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-1", "gen-2", "gen-3", "gen-4");
		assertThat(read.report().problems()).containsExactly(Map.entry("truncated JSON", 2L));
	}

	@Test
	void aCompactFirstEventDoesNotMakePrettyPrintedOnesLines() throws IOException {
		String pretty = event(1).replace(",\"", ",\n  \"").replace("{", "{\n  ").replace("}", "\n}");
		String input = event(0) + "\n" + pretty + "\n" + event(2) + "\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(read.report().problems()).isEmpty();
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-1", "gen-2");
	}

	@Test
	void jsonLinesWithAByteOrderMarkAtTheStartOfLinesAreAllCounted() throws IOException {
		String bom = "\uFEFF";
		String input = bom + event(0) + "\n" + bom + event(1) + "\n" + event(2) + "\n" + bom + event(3);
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(read.report().problems()).isEmpty();
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-1", "gen-2", "gen-3");
		assertThat(read.forms()).containsExactly(AuditForm.EVENT_LINES);
	}

	@Test
	void aDocumentPastTheCapIsOneProblemAndTheDocumentsAroundItCount() throws IOException {
		String big = event(1).replace("\"level\"",
				"\"requestObject\":{\"data\":\"" + "x".repeat(100_000) + "\"},\"level\"");
		String input = "\n" + event(0) + "\n" + big.replace(",\"", ",\n\"") + "\n" + event(2) + "\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-2");
		assertThat(read.report().problems())
			.containsExactly(Map.entry("JSON document larger than 64 KiB (skipped)", 1L));
	}

	@Test
	void aLinePastTheCapIsOneProblemAndTheLinesAroundItCount() throws IOException {
		String big = event(1).replace("\"level\"",
				"\"requestObject\":{\"data\":\"" + "x".repeat(300_000) + "\"},\"level\"");
		String input = event(0) + "\n" + big + "\n" + event(2) + "\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-2");
		assertThat(read.report().problems()).containsOnlyKeys("line longer than 64 KiB (skipped)");
	}

	@Test
	void anEventListItemPastTheCapIsOneProblemAndTheOtherItemsCount() throws IOException {
		String big = event(1).replace("\"level\"",
				"\"requestObject\":{\"data\":\"" + "x".repeat(100_000) + "\"},\"level\"");
		String input = "{\"kind\":\"EventList\",\"items\":[" + event(0) + "," + big + "," + event(2) + "]}";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(SMALL).read(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
				events::add);
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-0", "gen-2");
		assertThat(read.report().problems()).containsOnlyKeys("item of items larger than 64 KiB (skipped)");
	}

}
