package dev.cpdoctor.analysis.audit.form;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.form.FormFixtures.Expected;
import dev.cpdoctor.analysis.audit.form.FormFixtures.Fixture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every form from its fixture, built to the documented shape: the exact events (auditIDs,
 * stages, user agents, timestamps, resources, codes), the form named, no problem; the
 * same with a byte-order mark before it, gzipped, and both; read as a stream and from
 * bytes in memory.
 */
class AuditFormsFixtureTests {

	private static final FormLimits LIMITS = FormLimits.of(1024 * 1024, 64L * 1024 * 1024);

	static Stream<Arguments> fixtures() {
		List<Arguments> cases = new ArrayList<>();
		for (Fixture fixture : FormFixtures.ALL) {
			for (String wrapping : List.of("as is", "after a BOM", "gzipped", "gzipped after a BOM")) {
				cases.add(Arguments.of(fixture, wrapping));
			}
		}
		return cases.stream();
	}

	/**
	 * audit.k8s.io/v1beta1 events carry only {@code timestamp}: counted at it, in any of
	 * the wrappings. Their stage is AuditEventCheck's business (left out here).
	 */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "as is", "after a BOM", "gzipped" })
	void v1beta1EventsCountAtTheirTimestamp(String wrapping) throws IOException {
		byte[] input = FormFixtures.bytes("eventlist-v1beta1.json");
		input = wrapping.contains("BOM") ? FormFixtures.concat(FormFixtures.BOM, input) : input;
		input = wrapping.contains("gzip") ? FormFixtures.gzip(input) : input;
		List<AuditEvent> events = new ArrayList<>();
		FormRead read = new AuditForms(LIMITS).read(new ByteArrayInputStream(input), events::add);
		assertThat(read.report().events()).isEqualTo(2);
		// no other problem than the one AuditEventCheck may count for a missing
		// stageTimestamp
		assertThat(read.report().problems().keySet()).isSubsetOf("no stageTimestamp (counted, no latency)");
		assertThat(events).extracting(AuditEvent::auditId)
			.containsExactly("5d7e1a3c-9b2f-4e61-8c0d-1f2a3b4c5d01", "5d7e1a3c-9b2f-4e61-8c0d-1f2a3b4c5d02");
		assertThat(events).extracting(AuditEvent::userAgent)
			.containsExactly("", "kubelet/v1.11.3 (linux/amd64) kubernetes/a452946");
		assertThat(events).extracting(AuditEvent::requestReceived)
			.containsExactly(Instant.parse("2018-10-26T13:13:03Z"), Instant.parse("2018-10-26T13:13:04Z"));
		assertThat(events).extracting(AuditEvent::qualifiedResource).containsExactly("pods", "nodes");
		assertThat(read.forms()).last().isEqualTo(AuditForm.EVENT_LIST);
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("fixtures")
	void everyFormGivesItsExactEvents(Fixture fixture, String wrapping) throws IOException {
		byte[] input = fixture.bytes();
		if (wrapping.contains("BOM")) {
			input = FormFixtures.concat(FormFixtures.BOM, input);
		}
		Set<AuditForm> forms = new LinkedHashSet<>();
		if (wrapping.contains("gzip")) {
			input = FormFixtures.gzip(input);
			forms.add(AuditForm.GZIP);
		}
		forms.addAll(fixture.forms());

		List<AuditEvent> streamed = new ArrayList<>();
		FormRead read = new AuditForms(LIMITS).read(new ByteArrayInputStream(input), streamed::add);
		assertThat(read.report().problems()).isEmpty();
		assertThat(read.report().events()).isEqualTo(fixture.events().size());
		assertThat(streamed.stream().map(Expected::of)).containsExactlyElementsOf(fixture.events());
		assertThat(read.forms()).containsExactlyElementsOf(forms);
		assertThat(read.describe()).contains(fixture.forms().get(0).displayName());

		List<AuditEvent> inMemory = new ArrayList<>();
		FormRead fromBytes = new AuditForms(LIMITS).read(input, inMemory::add);
		assertThat(inMemory).isEqualTo(streamed);
		assertThat(fromBytes.forms()).isEqualTo(read.forms());
		assertThat(fromBytes.report().problems()).isEmpty();
	}

}
