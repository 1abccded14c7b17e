package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;

import static org.assertj.core.api.Assertions.assertThat;

class DemoScenarioTests {

	private static final long SEED = 20261122;

	private static final Instant ANCHOR = Instant.parse("2026-03-02T14:00:00Z");

	private static final long QUOTA = 8L * 1024 * 1024 * 1024;

	private static final DemoScenario SCENARIO = new DemoScenario(SEED, ANCHOR);

	private static AuditRollup rollup;

	private static String auditDigest;

	private static long auditEventCount;

	@BeforeAll
	static void rollUpTheAuditDayOnce() {
		rollup = new AuditRollup();
		EventDigest digest = new EventDigest();
		Consumer<AuditEvent> toRollup = rollup::add;
		SCENARIO.auditEvents(toRollup.andThen(digest));
		auditDigest = digest.hex();
		auditEventCount = digest.count;
	}

	/**
	 * A rolling 64-bit hash over every event in order (a record's hash covers all its
	 * fields): equal digests and counts mean the same stream. Cheaper than keeping 300k
	 * events twice.
	 */
	private static final class EventDigest implements Consumer<AuditEvent> {

		long hash = 17;

		long count;

		@Override
		public void accept(AuditEvent event) {
			this.hash = this.hash * 1_000_003 + event.hashCode();
			this.count++;
		}

		String hex() {
			return Long.toHexString(this.hash) + "/" + this.count;
		}

	}

	private static String digestOf(DemoScenario other) {
		EventDigest digest = new EventDigest();
		other.auditEvents(digest);
		return digest.hex();
	}

	// ---------------------------------------------------------------- determinism

	@Test
	void sameSeedAndAnchorGiveTheSameEtcdHistory() {
		assertThat(new DemoScenario(SEED, ANCHOR).etcdHistory()).isEqualTo(SCENARIO.etcdHistory());
	}

	@Test
	void sameSeedAndAnchorGiveTheSameAuditEvents() {
		assertThat(auditEventCount).isGreaterThan(100_000);
		assertThat(digestOf(new DemoScenario(SEED, ANCHOR))).isEqualTo(auditDigest);
	}

	@Test
	void anchorIsTruncatedToTheMinute() {
		DemoScenario withSeconds = new DemoScenario(SEED, ANCHOR.plusSeconds(42));

		assertThat(withSeconds.anchor()).isEqualTo(ANCHOR);
		assertThat(withSeconds.etcdHistory()).isEqualTo(SCENARIO.etcdHistory());
	}

	@Test
	void differentSeedGivesDifferentData() {
		DemoScenario other = new DemoScenario(SEED + 1, ANCHOR);

		assertThat(other.etcdHistory()).isNotEqualTo(SCENARIO.etcdHistory());
		assertThat(digestOf(other)).isNotEqualTo(auditDigest);
	}

	// ---------------------------------------------------------------- etcd

	@Test
	void etcdHistorySpansTwentyEightDaysHourlyEndingAtTheAnchor() {
		List<EtcdSample> history = SCENARIO.etcdHistory();

		assertThat(history).hasSize(28 * 24 + 1);
		assertThat(history.get(0).at()).isEqualTo(ANCHOR.minus(DemoScenario.ETCD_HISTORY));
		assertThat(history.get(history.size() - 1).at()).isEqualTo(ANCHOR);
		for (int i = 1; i < history.size(); i++) {
			assertThat(Duration.between(history.get(i - 1).at(), history.get(i).at())).isEqualTo(Duration.ofHours(1));
		}
		assertThat(history).allSatisfy((sample) -> {
			assertThat(sample.dbSizeBytes()).isPositive();
			assertThat(sample.objects()).isNotEmpty();
		});
	}

	@Test
	void etcdHistoryOfAnAnchorOffTheHourStillEndsAtTheAnchor() {
		Instant anchor = ANCHOR.plus(37, ChronoUnit.MINUTES);

		List<EtcdSample> history = new DemoScenario(SEED, anchor).etcdHistory();

		assertThat(history.get(history.size() - 1).at()).isEqualTo(anchor);
		assertThat(history.get(0).at()).isEqualTo(ANCHOR.minus(DemoScenario.ETCD_HISTORY));
		assertThat(history).extracting(EtcdSample::at).isSorted();
	}

	@Test
	void ephemeralReportsLeakPastTheRiskyCountAndEndUpTheLargestResource() {
		List<EtcdSample> history = SCENARIO.etcdHistory();
		ObjectCount first = leaking(history.get(0));
		ObjectCount last = leaking(history.get(history.size() - 1));

		assertThat(first.count()).isLessThan(ObjectCount.RISKY_COUNT);
		assertThat(first.isRisky()).isFalse();
		assertThat(last.count()).isGreaterThan(ObjectCount.RISKY_COUNT);
		assertThat(last.isRisky()).isTrue();
		ObjectCount largest = history.get(history.size() - 1)
			.objects()
			.stream()
			.max(Comparator.comparing(ObjectCount::count))
			.orElseThrow();
		assertThat(largest.qualifiedName()).isEqualTo("ephemeralreports.reports.kyverno.io");
	}

	private static ObjectCount leaking(EtcdSample sample) {
		return sample.objects()
			.stream()
			.filter((o) -> o.group().equals(DemoScenario.LEAKING_GROUP)
					&& o.resource().equals(DemoScenario.LEAKING_RESOURCE))
			.findFirst()
			.orElseThrow();
	}

	@Test
	void databaseEndsBetweenSixtyAndHundredPercentOfTheQuotaAndKeepsGrowing() {
		List<EtcdSample> history = SCENARIO.etcdHistory();
		long last = history.get(history.size() - 1).dbSizeBytes();

		assertThat(last).isBetween((long) (QUOTA * 0.60), QUOTA);
		assertThat(last).isGreaterThan(history.get(0).dbSizeBytes());

		EtcdGrowth growth = EtcdGrowth
			.of(history.stream().map((s) -> new EtcdGrowth.SizePoint(s.at(), s.dbSizeBytes())).toList(), QUOTA);
		assertThat(growth.points()).hasSizeBetween(28, 29);
		assertThat(growth.bytesPerDay()).isPositive();
		assertThat(growth.daysToQuota()).isNotNull();
		assertThat(growth.daysToQuota()).isFinite().isPositive();
		assertThat(growth.daysToQuota()).isLessThan(365.0);
	}

	// ---------------------------------------------------------------- audit

	private static TimeWindow lastHour() {
		return TimeWindow.ending(ANCHOR, Duration.ofHours(1));
	}

	private static TimeWindow firstHour() {
		return new TimeWindow(SCENARIO.auditDay().from(), SCENARIO.auditDay().from().plus(1, ChronoUnit.HOURS));
	}

	@Test
	void auditDayIsTheDayBeforeTheAnchor() {
		assertThat(SCENARIO.auditDay()).isEqualTo(new TimeWindow(ANCHOR.minus(1, ChronoUnit.DAYS), ANCHOR));
		assertThat(rollup.coverage()).isNotNull();
		assertThat(SCENARIO.auditDay().contains(rollup.coverage().from())).isTrue();
		assertThat(rollup.coverage().to()).isBeforeOrEqualTo(ANCHOR);
	}

	@Test
	void floodingUserAgentIsTopInTheLastHour() {
		List<UserAgentRequests> top = rollup.topUserAgents(lastHour(), 10);

		assertThat(top).isNotEmpty();
		assertThat(top.get(0).userAgent()).isEqualTo(DemoScenario.FLOODING_USER_AGENT);
		assertThat(top.get(0).requests()).isGreaterThan(top.get(1).requests());
	}

	@Test
	void floodingUserAgentIsNotTopInTheFirstHour() {
		assertThat(rollup.topUserAgents(firstHour(), 1)).extracting(UserAgentRequests::userAgent)
			.doesNotContain(DemoScenario.FLOODING_USER_AGENT);
	}

	@Test
	void floodingUserAgentLatencyClimbsMoreThanFiveFold() {
		double first = averageMs(firstHour(), DemoScenario.FLOODING_USER_AGENT);
		double last = averageMs(lastHour(), DemoScenario.FLOODING_USER_AGENT);

		assertThat(first).isPositive();
		assertThat(last).isGreaterThan(5 * first);
	}

	/** The average over a whole window: one bin as long as the window. */
	private static double averageMs(TimeWindow window, String userAgent) {
		List<UserAgentLatency> series = rollup.latencySeries(window, window.length(), 100);
		LatencyPoint point = series.stream()
			.filter((s) -> s.userAgent().equals(userAgent))
			.findFirst()
			.orElseThrow()
			.points()
			.get(0);
		assertThat(point.avgMs()).isNotNull();
		return point.avgMs();
	}

	@Test
	void floodingUserAgentsWorstCallIsListPods() {
		for (TimeWindow window : List.of(lastHour(), SCENARIO.incidentWindow(), SCENARIO.auditDay())) {
			List<VerbResourceLatency> rows = rollup.p99ByVerbAndResource(window, DemoScenario.FLOODING_USER_AGENT);
			assertThat(rows).as(window.toString()).isNotEmpty();
			assertThat(rows.get(0).verb()).isEqualTo("list");
			assertThat(rows.get(0).resource()).isEqualTo("pods");
			assertThat(rows.get(0).p99Ms()).isNotNull();
		}
	}

	@Test
	void scannerUserAgentAppearsInTheDay() {
		assertThat(rollup.topUserAgents(SCENARIO.auditDay(), 100)).extracting(UserAgentRequests::userAgent)
			.contains(DemoScenario.SCANNER_USER_AGENT);
	}

	// ---------------------------------------------------------------- webhooks

	@Test
	void exactlyOneWebhookIsBlockingNow() {
		List<AdmissionWebhook> blocking = SCENARIO.webhooks().stream().filter(AdmissionWebhook::isBlockingNow).toList();

		assertThat(blocking).singleElement().satisfies((webhook) -> {
			assertThat(webhook.failurePolicy()).isEqualTo("Fail");
			assertThat(webhook.readyEndpoints()).isZero();
			assertThat(webhook.riskSigns()).anySatisfy((sign) -> assertThat(sign).contains("no ready endpoints"));
		});
		assertThat(SCENARIO.webhooks()).filteredOn((w) -> !w.isBlockingNow())
			.allSatisfy((webhook) -> assertThat(webhook.riskSigns())
				.noneMatch((sign) -> sign.contains("no ready endpoints")));
	}

	@Test
	void theBlockingWebhookIsTheOneTheApiserverFailsToCall() {
		AdmissionWebhook blocking = SCENARIO.webhooks()
			.stream()
			.filter(AdmissionWebhook::isBlockingNow)
			.findFirst()
			.orElseThrow();

		assertThat(SCENARIO.webhookFailures()).singleElement().satisfies((failure) -> {
			assertThat(failure.webhook()).isEqualTo(blocking.name());
			assertThat(failure.message()).startsWith("Error creating: Internal error occurred: failed calling webhook")
				.contains(
						"failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s\"")
				.endsWith("broken pipe");
			assertThat(failure.namespace()).isEqualTo(blocking.service().split("/")[0]);
			assertThat(failure.lastSeen()).isBefore(ANCHOR).isAfter(SCENARIO.incidentWindow().from());
			assertThat(WebhookCallFailure.isAbout(failure.message())).isTrue();
		});
	}

}
