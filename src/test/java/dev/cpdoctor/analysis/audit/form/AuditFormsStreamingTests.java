package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.audit.AuditEvent;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON lines of Events with byte-order marks at the start of lines, and a line past the
 * document cap between two that are not.
 */
class AuditFormsStreamingTests {

	private static final FormLimits SMALL = FormLimits.of(64 * 1024, 1L << 40);

	/** Event {@code i} of a generated input, one line of JSON. */
	static String event(int i) {
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\"gen-" + i
				+ "\",\"stage\":\"ResponseComplete\",\"requestURI\":\"/api/v1/pods\",\"verb\":\"list\","
				+ "\"userAgent\":\"agent-" + (i % 7) + "\",\"objectRef\":{\"resource\":\"pods\",\"apiVersion\":\"v1\"},"
				+ "\"responseStatus\":{\"metadata\":{},\"code\":200},"
				+ "\"requestReceivedTimestamp\":\"2026-11-22T10:00:00.000000Z\","
				+ "\"stageTimestamp\":\"2026-11-22T10:00:00.012000Z\"}";
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

}
