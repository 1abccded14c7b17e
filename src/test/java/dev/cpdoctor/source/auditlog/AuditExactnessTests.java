package dev.cpdoctor.source.auditlog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.history.AuditStore;
import dev.cpdoctor.history.H2AuditStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The exactness suite: a generated trace with exact answers, delivered shuffled across
 * its whole hour, split into batches of any size, with batches resent minutes and hours
 * later and the application restarted between batches, counts every request once, with
 * exact averages and P99 within 1 %.
 */
class AuditExactnessTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow HOUR = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	@TempDir
	Path dir;

	private JdbcDataSource database;

	private MovingClock clock;

	@BeforeEach
	void database() {
		this.database = H2AuditStores.dataSource(this.dir, null);
		this.clock = new MovingClock(T0.plus(Duration.ofMinutes(70)));
	}

	@Test
	void aShuffledHourSplitResentAndRestartedCountsEveryRequestOnce() {
		AuditTraffic traffic = AuditTraffic.random(14, 40_000, 12, T0, 60);
		List<AuditEvent> events = parse(traffic.jsonLinesBytes(true));
		Random random = new Random(14);
		Collections.shuffle(events, random);
		List<List<AuditEvent>> batches = split(events, random, 1, 1500);
		Cluster cluster = new Cluster("lab", CountedRequests.Limits.live());
		List<List<AuditEvent>> sent = new ArrayList<>();
		long resent = 0;
		for (int b = 0; b < batches.size(); b++) {
			cluster.ingest(batches.get(b));
			sent.add(batches.get(b));
			this.clock.advance(Duration.ofSeconds(20));
			if (b % 7 == 6) {
				// minutes later: a part of an earlier batch, split otherwise (a new
				// digest)
				List<AuditEvent> earlier = sent.get(random.nextInt(sent.size()));
				cluster.ingest(earlier.subList(random.nextInt(earlier.size()), earlier.size()));
				resent++;
			}
			if (b % 40 == 39) {
				cluster = cluster.restarted();
			}
		}
		// Hours later, after a restart: every batch once more, merged two by two.
		this.clock.advance(Duration.ofHours(2));
		cluster = cluster.restarted();
		for (int b = 0; b + 1 < batches.size(); b += 2) {
			List<AuditEvent> again = new ArrayList<>(batches.get(b));
			again.addAll(batches.get(b + 1));
			cluster.ingest(again);
		}
		cluster.finish();
		assertThat(resent).isGreaterThan(10);
		assertExact(cluster, traffic);
	}

	@Test
	void aMemoryBoundFarBelowTheTraceStillCountsExactlyByReadingTheStore() {
		AuditTraffic traffic = AuditTraffic.random(15, 6_000, 6, T0, 20);
		List<AuditEvent> events = parse(traffic.jsonLinesBytes(true));
		Random random = new Random(15);
		Collections.shuffle(events, random);
		Cluster cluster = new Cluster("small", new CountedRequests.Limits(Duration.ofHours(3), 1024));
		for (List<AuditEvent> batch : split(events, random, 300, 900)) {
			cluster.ingest(batch);
			cluster.ingest(batch.subList(0, batch.size() / 3));
		}
		cluster.finish();
		CountedRequests counted = cluster.ingest.counted();
		assertThat(counted.reads()).isGreaterThan(40);
		// one minute's table may exceed the bound alone: it is the one kept
		assertThat(counted.codesInMemory()).isLessThanOrEqualTo(1024 * 2);
		assertExact(cluster, traffic);
	}

	@Test
	void completionOnlyAndV1beta1LogsCountEveryCompletedRequestAtOnceAndTheRestWhenTheInputEnds() {
		AuditTraffic traffic = AuditTraffic.random(16, 37, 3, T0, 2);
		StringBuilder log = new StringBuilder();
		for (AuditTraffic.Request r : traffic.requests()) {
			// audit.k8s.io/v1beta1 before Kubernetes 1.10: only timestamp, no
			// requestReceivedTimestamp or stageTimestamp
			log.append(AuditTraffic.event(r, "ResponseComplete")
				.replace("audit.k8s.io/v1\"", "audit.k8s.io/v1beta1\"")
				.replaceFirst(",\"requestReceivedTimestamp\":\"[^\"]+\",\"stageTimestamp\":\"[^\"]+\"", "")
				.replace("\"auditID\"", "\"timestamp\":\"" + r.received() + "\",\"auditID\"")).append('\n');
		}
		Cluster cluster = new Cluster("old", CountedRequests.Limits.live());
		cluster.ingest(parse(log.toString().getBytes()));
		assertThat(cluster.ingest.status().requests()).isEqualTo(37);
		assertThat(cluster.ingest.pending()).isZero();
		// A log ending mid-stream: requests whose completion is not in it wait, then
		// count when the input ends.
		AuditTraffic cut = AuditTraffic.random(17, 50, 3, T0.plus(Duration.ofMinutes(5)), 1);
		StringBuilder received = new StringBuilder();
		cut.requests().forEach((r) -> received.append(AuditTraffic.event(r, "RequestReceived")).append('\n'));
		cluster.ingest(parse(received.toString().getBytes()));
		assertThat(cluster.ingest.pending()).isEqualTo(50);
		cluster.finish();
		assertThat(cluster.ingest.pending()).isZero();
		assertThat(cluster.ingest.status().requests()).isEqualTo(87);
		// Their completions, coming after all, add latency and no request.
		StringBuilder completions = new StringBuilder();
		cut.requests().forEach((r) -> completions.append(AuditTraffic.event(r, "ResponseComplete")).append('\n'));
		cluster.ingest(parse(completions.toString().getBytes()));
		assertThat(cluster.ingest.status().requests()).isEqualTo(87);
		long timed = cut.requests().stream().filter((r) -> !r.longRunning()).count();
		assertThat(cluster.ingest.status().lateCompletions()).isEqualTo(timed);
	}

	@Test
	void theSameLogImportedTwiceCountsNothingTheSecondTimeHoweverOld() {
		AuditTraffic traffic = AuditTraffic.random(18, 5_000, 5, T0.minus(Duration.ofHours(6)), 6 * 60);
		byte[] log = traffic.jsonLinesBytes(true);
		int events = parse(log).size();
		Cluster imported = new Cluster("import", CountedRequests.Limits.imported());
		imported.ingest(parse(log));
		imported.finish();
		assertThat(imported.ingest.status().requests()).isEqualTo(5_000);
		imported = imported.restarted();
		imported.ingest(parse(log));
		imported.finish();
		assertThat(imported.ingest.status().requests()).isZero();
		assertThat(imported.ingest.status().duplicates()).isEqualTo(events);
	}

	/**
	 * A log file that stopped growing, or a webhook gone silent, with requests still
	 * waiting for their completion: once quiet long enough they count.
	 */
	@Test
	void aQuietInputCountsItsWaitingRequests() {
		AuditTraffic cut = AuditTraffic.random(20, 30, 2, T0, 1);
		StringBuilder received = new StringBuilder();
		cut.requests().forEach((r) -> received.append(AuditTraffic.event(r, "RequestReceived")).append('\n'));
		Cluster cluster = new Cluster("quiet", CountedRequests.Limits.live());
		cluster.ingest(parse(received.toString().getBytes()));
		assertThat(cluster.ingest.pending()).isEqualTo(30);
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(cluster.ingest.finishIfQuiet(Duration.ofMinutes(10), "file")).isFalse();
		assertThat(cluster.ingest.pending()).isEqualTo(30);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(cluster.ingest.finishIfQuiet(Duration.ofMinutes(10), "file")).isTrue();
		assertThat(cluster.ingest.pending()).isZero();
		assertThat(cluster.ingest.status().requests()).isEqualTo(30);
		assertThat(cluster.ingest.finishIfQuiet(Duration.ofMinutes(10), "file")).isFalse();
	}

	/**
	 * A log older than the retention was taken (200, "events": 22) and deleted by the
	 * next retention run; now each of its events is refused with its own reason.
	 */
	@Test
	void eventsOlderThanTheRetentionAreRefusedPerEventAndNeverStored() {
		AuditTraffic old = AuditTraffic.random(19, 22, 2, T0.minus(Duration.ofDays(40)), 5);
		old.requests().removeIf(AuditTraffic.Request::longRunning);
		StringBuilder log = new StringBuilder();
		old.requests().forEach((r) -> log.append(AuditTraffic.event(r, "ResponseComplete")).append('\n'));
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = new AuditEventParser().parseBody(log.toString().getBytes(), events::add);
		Cluster cluster = new Cluster("lab", CountedRequests.Limits.live());
		cluster.ingest.ingest(events, report, "webhook", null);
		assertThat(report.events()).isZero();
		assertThat(report.problems())
			.containsOnlyKeys("older than the retention (cpdoctor.audit.retention, 30 d): it would be deleted at once");
		assertThat(report.problems().values()).containsExactly((long) old.requests().size());
		AuditStore store = AuditStore.on(this.database);
		assertThat(store.queries().coverage("lab")).isNull();
	}

	private void assertExact(Cluster cluster, AuditTraffic traffic) {
		AuditStore store = AuditStore.on(this.database);
		AuditRollup bins = store.queries().userAgentBins(cluster.name, HOUR, HOUR.length());
		Map<String, Long> exact = traffic.requestsPerUserAgent();
		List<UserAgentRequests> top = bins.topUserAgents(HOUR, 100);
		assertThat(top).hasSize(exact.size());
		top.forEach((ua) -> assertThat(ua.requests()).as(ua.userAgent()).isEqualTo(exact.get(ua.userAgent())));
		Map<String, Double> averages = traffic.averageLatency();
		for (UserAgentLatency series : bins.latencySeries(HOUR, HOUR.length(), 100)) {
			assertThat(series.points().get(0).avgMs()).as(series.userAgent())
				.isCloseTo(averages.get(series.userAgent()), within(1e-6));
		}
		for (UserAgentRequests ua : top.subList(0, 3)) {
			Map<String, Double> p99 = traffic.p99(ua.userAgent());
			List<VerbResourceLatency> rows = store.queries()
				.verbsAndResources(cluster.name, HOUR, ua.userAgent())
				.p99ByVerbAndResource(HOUR, ua.userAgent());
			rows.stream().filter((row) -> row.p99Ms() != null).forEach((row) -> {
				double expected = p99.get(row.verb() + " " + row.resource());
				assertThat(row.p99Ms()).isCloseTo(expected, within(expected * 0.01));
			});
			assertThat(rows.stream().filter((row) -> row.p99Ms() != null)).hasSize(p99.size());
		}
	}

	private static List<AuditEvent> parse(byte[] log) {
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = new AuditEventParser().parseBody(log, events::add);
		assertThat(report.events()).isEqualTo(events.size());
		return events;
	}

	private static List<List<AuditEvent>> split(List<AuditEvent> events, Random random, int smallest, int largest) {
		List<List<AuditEvent>> batches = new ArrayList<>();
		for (int from = 0; from < events.size();) {
			int to = Math.min(events.size(), from + smallest + random.nextInt(largest - smallest + 1));
			batches.add(events.subList(from, to));
			from = to;
		}
		return batches;
	}

	/**
	 * One cluster's ingest on the test's database; restarted, it is a new application on
	 * the same database (its memory gone, as after kill -9).
	 */
	private final class Cluster {

		final String name;

		final CountedRequests.Limits remember;

		final AuditIngest ingest;

		Cluster(String name, CountedRequests.Limits remember) {
			this.name = name;
			this.remember = remember;
			this.ingest = new AuditIngest(name, AuditStore.on(AuditExactnessTests.this.database).writer(),
					AuditStream.Limits.defaults().withRetention(Duration.ofDays(30)), remember, 4,
					AuditExactnessTests.this.clock);
		}

		void ingest(List<AuditEvent> batch) {
			this.ingest.ingest(new ArrayList<>(batch), new AuditInputReport(), "webhook", null);
		}

		void finish() {
			this.ingest.finish("webhook", null);
		}

		Cluster restarted() {
			return new Cluster(this.name, this.remember);
		}

	}

	/** A clock the test moves on. */
	private static final class MovingClock extends Clock {

		private Instant now;

		MovingClock(Instant now) {
			this.now = now;
		}

		void advance(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

}
