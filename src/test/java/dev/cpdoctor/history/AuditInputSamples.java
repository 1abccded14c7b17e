package dev.cpdoctor.history;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * One scenario of the input counts' samples for H2 and PostgreSQL alike: a row written
 * before V9 (no sample) migrated, then batches over two hours; each reason counts every
 * event and keeps its first sample.
 */
final class AuditInputSamples {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	/** Before V9: audit_input has no sample column. */
	static final String BEFORE_SAMPLES = "7";

	private static final String GOOD = "{\"auditID\":\"%s\",\"stage\":\"ResponseComplete\",\"verb\":\"get\","
			+ "\"userAgent\":\"kubectl\",\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\","
			+ "\"stageTimestamp\":\"2026-11-22T10:00:00.003Z\"}\n";

	private AuditInputSamples() {
	}

	/** A row of an older version: its events count, it has no sample. */
	static void writeRowBeforeSamples(DataSource beforeSamples) {
		new JdbcTemplate(beforeSamples).update("insert into audit_input (cluster, at_hour, origin, outcome, events)"
				+ " values ('c', ?, 'webhook', 'broken JSON', 2)", EtcdHistory.timestamp(T0));
	}

	/** Stores the batches on the migrated database and checks what the panel reads. */
	static void storeAndRead(DataSource migrated) {
		AuditStore store = AuditStore.on(migrated);
		AuditStream stream = new AuditStream(AuditStream.Limits.defaults());
		String wide = "\u00e9\u4e2d\uD83D\uDE00".repeat(60);
		store(store, stream, T0,
				GOOD.formatted("ok-1") + "{first broken\n{\"auditID\":\"w1\",\"verb\":7,\"x\":\"" + wide + "\"}\n");
		store(store, stream, T0.plusSeconds(600), "{second broken\n{\"auditID\":\"w2\",\"verb\":8}\n");
		store(store, stream, T0.plusSeconds(3600), GOOD.formatted("ok-2") + "{third broken\n");

		TimeWindow twoHours = new TimeWindow(T0, T0.plus(Duration.ofHours(2)));
		List<AuditInputCount> inputs = store.queries().inputs("c", twoHours);
		assertThat(inputs).extracting(AuditInputCount::outcome, AuditInputCount::events)
			.containsExactlyInAnyOrder(tuple("broken JSON", 5L), tuple(AuditInputCount.KEPT, 2L),
					tuple("wrong type for verb", 2L));
		assertThat(inputs).extracting(AuditInputCount::origin).containsOnly("webhook");
		// The row from before V9 had none: the first batch's sample is kept, not the
		// second's.
		assertThat(sample(inputs, "broken JSON")).isEqualTo("{first broken");
		assertThat(sample(inputs, AuditInputCount.KEPT)).isNull();
		// Non-ASCII and a pair of surrogates come back as stored, cut to 200 characters.
		assertThat(sample(inputs, "wrong type for verb"))
			.startsWith("{\"auditID\":\"w1\",\"verb\":7,\"x\":\"\u00e9\u4e2d\uD83D\uDE00")
			.hasSize(200)
			.endsWith("\u2026");
		// The second hour alone has its own first sample.
		TimeWindow secondHour = new TimeWindow(T0.plusSeconds(3600), T0.plus(Duration.ofHours(2)));
		assertThat(store.queries().inputs("c", secondHour)).contains(
				new AuditInputCount("webhook", "broken JSON", 1, "{third broken"),
				new AuditInputCount("webhook", AuditInputCount.KEPT, 1, null));
	}

	private static String sample(List<AuditInputCount> inputs, String outcome) {
		return inputs.stream().filter((c) -> c.outcome().equals(outcome)).findFirst().orElseThrow().sample();
	}

	private static void store(AuditStore store, AuditStream stream, Instant receivedAt, String lines) {
		byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = new AuditEventParser().parseLines(bytes, 0, bytes.length, events::add);
		AuditBatch batch = stream.process(events, receivedAt);
		store.writer().store("c", batch, "webhook", report, receivedAt, null, null);
		stream.commit(batch);
	}

}
