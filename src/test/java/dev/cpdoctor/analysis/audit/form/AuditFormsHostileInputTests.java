package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.audit.AuditEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input nobody meant to be an audit log, or meant to hurt: it never throws anything but
 * an IOException, holds no more than its caps, and every refused piece is counted with a
 * reason; the events around it are kept.
 */
class AuditFormsHostileInputTests {

	private static final FormLimits LIMITS = FormLimits.of(64 * 1024, 64L * 1024 * 1024);

	private static FormRead read(byte[] input, List<AuditEvent> events) throws IOException {
		return new AuditForms(LIMITS).read(new ByteArrayInputStream(input), events::add);
	}

	private static FormRead read(String input, List<AuditEvent> events) throws IOException {
		return read(input.getBytes(StandardCharsets.UTF_8), events);
	}

	@Test
	void randomBytesAreCountedNeverThrown() throws IOException {
		Random random = new Random(14);
		for (int size : new int[] { 1, 2, 3, 17, 4096, 300_000 }) {
			for (int round = 0; round < 20; round++) {
				byte[] bytes = new byte[size];
				random.nextBytes(bytes);
				if (round % 4 == 1 && size > 2) {
					bytes[0] = (byte) 0x1f; // gzip magic, then garbage
					bytes[1] = (byte) 0x8b;
				}
				else if (round % 4 == 2) {
					bytes[0] = '{';
				}
				else if (round % 4 == 3) {
					bytes[0] = '[';
				}
				List<AuditEvent> events = new ArrayList<>();
				FormRead read = read(bytes, events);
				assertThat(read.report().problems()).as("%d bytes, round %d", size, round).isNotEmpty();
				assertThat(events).isEmpty();
			}
		}
	}

	@Test
	void garbageAfterTheGzipMagicIsADamagedGzip() throws IOException {
		byte[] bytes = { 0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 'n', 'o', 't', ' ', 'd', 'e', 'f', 'l', 'a', 't' };
		FormRead read = read(bytes, new ArrayList<>());
		assertThat(read.report().problems()).containsOnlyKeys("gzip damaged or cut short (reading stopped there)");
		assertThat(read.forms()).containsExactly(AuditForm.GZIP);
	}

	@Test
	void gzipOfSomethingElseIsOneProblem() throws IOException {
		FormRead read = read(FormFixtures.gzip("Hello, this is no audit log.\n".getBytes(StandardCharsets.UTF_8)),
				new ArrayList<>());
		assertThat(read.report().problems()).containsOnlyKeys(
				"not an audit log in a known form (JSON, gzip, CloudWatch export lines or a Log Analytics CSV export)");
		assertThat(read.forms()).containsExactly(AuditForm.GZIP);
	}

	@Test
	void invalidEscapesCostTheirEventOnly() throws IOException {
		String good = AuditFormsStreamingTests.event(1);
		String badEscape = AuditFormsStreamingTests.event(2).replace("agent-2", "agent\\q");
		String cutEscape = AuditFormsStreamingTests.event(3).replace("agent-3", "agent\\u12");
		List<AuditEvent> events = new ArrayList<>();
		FormRead lines = read(good + "\n" + badEscape + "\n" + cutEscape + "\n" + good.replace("gen-1", "gen-4"),
				events);
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-1", "gen-4");
		assertThat(lines.report().problems()).containsExactly(Map.entry("broken JSON", 2L));

		events.clear();
		String message = "{\"message\":\"" + badEscape.replace("\"", "\\\"") + "\",\"timestamp\":1}";
		String broken = "{\"message\":\"{\\\"auditID\\\":\\q\",\"timestamp\":1}";
		FormRead cloudWatch = read("{\"events\":[" + message + "," + broken + "]}", events);
		assertThat(events).isEmpty();
		assertThat(cloudWatch.report().problems()).containsExactly(Map.entry("broken JSON", 2L));
	}

	@Test
	void aTruncatedEventListKeepsTheItemsBeforeItsEnd() throws IOException {
		String list = new String(FormFixtures.bytes("eventlist-v1.json"), StandardCharsets.UTF_8).strip();
		String cut = list.substring(0, list.indexOf("a0b1c2d3") + 40);
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(cut, events);
		assertThat(events).hasSize(2);
		assertThat(read.report().problems()).containsExactly(Map.entry("truncated JSON", 1L));
	}

	@Test
	void refusedWrappersAndRecordsCountOnceEach() throws IOException {
		String input = String.join("\n", "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":null}",
				"{\"kind\":\"Status\",\"status\":\"Failure\",\"code\":403}", "[1, \"two\", [3]]",
				"{\"records\":[{\"data\":\"not base64!\"},{\"data\":\"\"}]}",
				"{\"records\":[{\"category\":\"kube-apiserver\",\"resourceId\":\"/x\",\"properties\":{\"log\":\"I1122\"}}]}",
				"{\"results\":[[{\"field\":\"@timestamp\",\"value\":\"2026-11-22 10:00:00.000\"}]]}",
				"{\"events\":[{\"message\":\"plain text, no JSON\",\"timestamp\":1}]}");
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(input, events);
		assertThat(events).isEmpty();
		assertThat(read.report().problems()).containsOnly(Map.entry("EventList without an items array", 1L),
				Map.entry("JSON value that is not an audit event nor a known export of one", 4L),
				Map.entry("Firehose record data is not base64", 1L), Map.entry("Firehose record without data", 1L),
				Map.entry("Azure record of another category than kube-audit or kube-audit-admin", 1L),
				Map.entry("Logs Insights result without @message (add @message to the query's fields)", 1L),
				Map.entry("CloudWatch event message is not an audit event", 1L));
	}

	@Test
	void aControlMessageIsNoEventAndNoProblem() throws IOException {
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(FormFixtures.gzip(FormFixtures.bytes("cloudwatch-subscription-control.json")), events);
		assertThat(events).isEmpty();
		assertThat(read.report().problems()).isEmpty();
		assertThat(read.forms()).containsExactly(AuditForm.GZIP, AuditForm.CLOUDWATCH_SUBSCRIPTION);
	}

	@Test
	void formsNestedTooDeepStopThere() throws IOException {
		String inner = new String(FormFixtures.bytes("events-v1.jsonl"), StandardCharsets.UTF_8);
		for (int i = 0; i < 6; i++) {
			inner = "{\"records\":[{\"data\":\""
					+ Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8)) + "\"}]}";
		}
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(inner, events);
		assertThat(events).isEmpty();
		assertThat(read.report().problems()).containsExactly(Map.entry("forms nested more than 4 deep", 1L));
	}

	@Test
	void deeplyNestedArraysAreBrokenNotAStackOverflow() throws IOException {
		String deep = "[".repeat(60_000) + "]".repeat(60_000);
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(deep + "\n" + AuditFormsStreamingTests.event(1) + "\n", events);
		assertThat(read.report().problems()).containsExactly(Map.entry("broken JSON", 1L));
		assertThat(events).extracting(AuditEvent::auditId).containsExactly("gen-1");
	}

	@Test
	void csvWithQuotedNewLinesAndQuotesInsideItsCellsIsReadByRfc4180() throws IOException {
		String csv = new String(FormFixtures.bytes("aks-aksaudit.csv"), StandardCharsets.UTF_8);
		String[] rows = csv.split("\r\n");
		String odd = rows[3].replace("kube-controller-manager/v1.30.5", "\"\"quoted\"\"\nagent");
		odd = odd.replaceFirst(",(\"\"quoted)", ",\"$1").replaceFirst("(leader-election)", "$1\"");
		String input = rows[0] + "\r\n" + odd + "\r\n" + "x,\"never closed\n";
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = read(input, events);
		assertThat(events).extracting(AuditEvent::userAgent)
			.containsExactly("\"quoted\"\nagent (linux/amd64) kubernetes/74e84a9/leader-election");
		assertThat(read.report().problems()).containsOnlyKeys("no auditID");
		assertThat(Arrays.asList(rows)).hasSize(4);
	}

}
