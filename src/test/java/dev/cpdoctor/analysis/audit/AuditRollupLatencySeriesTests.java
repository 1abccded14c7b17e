package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

import static dev.cpdoctor.analysis.audit.RollupFixtures.FROM;
import static dev.cpdoctor.analysis.audit.RollupFixtures.HOUR;
import static dev.cpdoctor.analysis.audit.RollupFixtures.KUBECTL;
import static dev.cpdoctor.analysis.audit.RollupFixtures.onlyPoint;
import static dev.cpdoctor.analysis.audit.RollupFixtures.pickIndex;
import static dev.cpdoctor.analysis.audit.RollupFixtures.rollupOf;
import static dev.cpdoctor.analysis.audit.RollupRequest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * An {@link AuditRollup}'s latency series: averages from ResponseComplete only, one point
 * per bin of the window, the top user agents with the rest as "other".
 */
class AuditRollupLatencySeriesTests {

	private static final Duration BIN = Duration.ofMinutes(5);

	/** Five-minute bins of the hour. */
	private static final int BINS = 12;

	@Test
	void latencyComesFromResponseCompleteOnly() {
		AuditRollup rollup = new AuditRollup();
		RollupRequest complete = get("a-1", KUBECTL, FROM.plusSeconds(10), 100);
		rollup.add(complete.receivedEvent());
		rollup.add(complete.completeEvent());
		// Logged at RequestReceived only (say, the apiserver restarted): counted, no
		// latency. Its stage timestamp is late on purpose: a RequestReceived duration
		// must never be averaged in.
		RollupRequest unfinished = get("a-2", KUBECTL, FROM.plusSeconds(20), 0);
		rollup.add(new AuditEvent(unfinished.id(), Stage.REQUEST_RECEIVED, "get", KUBECTL, "pods", "", "", 0,
				unfinished.received(), unfinished.received().plusSeconds(9)));
		// A panicked request: counted, no latency either.
		RollupRequest panicked = get("a-3", KUBECTL, FROM.plusSeconds(30), 0);
		rollup.add(new AuditEvent(panicked.id(), Stage.PANIC, "get", KUBECTL, "pods", "", "", 500, panicked.received(),
				panicked.received().plusSeconds(4)));

		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(3);
		assertThat(point.avgMs()).isEqualTo(100.0);
	}

	@Test
	void requestWithoutAnyLatencyHasNullAverage() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(10), 0).receivedEvent());

		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(1);
		assertThat(point.avgMs()).isNull();
	}

	@Test
	void latencySeriesHasOneBinPerStartedBinOfTheWindow() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(10), 10).completeEvent());

		List<UserAgentLatency> hour = rollup.latencySeries(HOUR, Duration.ofMinutes(5), 10);
		assertThat(hour).singleElement().satisfies((series) -> {
			assertThat(series.points()).hasSize(12);
			for (int i = 0; i < 12; i++) {
				assertThat(series.points().get(i).at()).isEqualTo(FROM.plus(5L * i, ChronoUnit.MINUTES));
			}
		});
		TimeWindow ragged = new TimeWindow(FROM, FROM.plus(62, ChronoUnit.MINUTES));
		assertThat(rollup.latencySeries(ragged, Duration.ofMinutes(5), 10).get(0).points()).hasSize(13);
		assertThat(rollup.latencySeries(ragged, Duration.ofMinutes(1), 10).get(0).points()).hasSize(62);
		TimeWindow day = TimeWindow.ending(FROM.plus(1, ChronoUnit.DAYS), Duration.ofDays(1));
		assertThat(rollup.latencySeries(day, Duration.ofHours(1), 10).get(0).points()).hasSize(24);
	}

	@Test
	void latencySeriesAveragesExactlyPerBinWithTheRestAsOther() {
		// Five user agents with clearly different rates, random minutes, integer
		// latencies (their sums are exact in double); bin 3 (minutes 15-19) gets no
		// traffic at all; "quiet" sends only watches, so it has requests but never an
		// average.
		Random random = new Random(42);
		List<RollupRequest> requests = fiveAgentsWithAQuietBin(random);
		// Outside the window: must change nothing.
		requests.add(get("before", "kubelet", FROM.minusSeconds(1), 5_000));
		requests.add(get("after", "argocd", HOUR.to(), 5_000));
		AuditRollup rollup = rollupOf(requests, random::nextBoolean);

		int topN = 2;
		List<RollupRequest> inWindow = requests.stream().filter((r) -> HOUR.contains(r.received())).toList();
		Map<String, Long> perAgent = inWindow.stream()
			.collect(Collectors.groupingBy(RollupRequest::userAgent, Collectors.counting()));
		List<String> top = perAgent.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(topN)
			.map(Map.Entry::getKey)
			.toList();
		assertThat(top).containsExactly("kubelet", "controller-manager");
		ExpectedBins expected = ExpectedBins.of(inWindow, top);

		List<UserAgentLatency> series = rollup.latencySeries(HOUR, BIN, topN);

		assertThat(series).extracting(UserAgentLatency::userAgent)
			.containsExactlyInAnyOrder("kubelet", "controller-manager", AuditRollup.OTHER);
		assertThat(series.subList(0, 2)).extracting(UserAgentLatency::userAgent).containsExactlyElementsOf(top);
		for (UserAgentLatency s : series) {
			assertBinsAsExpected(s, expected);
			assertThat(s.points().get(3).requests()).isZero();
			assertThat(s.points().get(3).avgMs()).isNull();
		}
		// "other" sums the three agents outside the top 2, "quiet" (watches only)
		// included.
		long otherRequests = series.stream()
			.filter((s) -> s.userAgent().equals(AuditRollup.OTHER))
			.flatMap((s) -> s.points().stream())
			.mapToLong(LatencyPoint::requests)
			.sum();
		assertThat(otherRequests).isEqualTo(perAgent.get("argocd") + perAgent.get("kubectl") + perAgent.get("quiet"));
	}

	/**
	 * 3000 draws of five user agents with clearly different rates over the hour, none in
	 * bin 3; "quiet" and one request in twenty are watches, one in ten fails.
	 */
	private static List<RollupRequest> fiveAgentsWithAQuietBin(Random random) {
		String[] agents = { "kubelet", "controller-manager", "argocd", "kubectl", "quiet" };
		double[] weights = { 0.40, 0.25, 0.15, 0.12, 0.08 };
		List<RollupRequest> requests = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			String userAgent = agents[pickIndex(random, weights)];
			long second = random.nextInt(3600);
			if (second / 300 == 3) {
				continue;
			}
			boolean watch = userAgent.equals("quiet") || random.nextInt(20) == 0;
			String verb = watch ? "watch" : (random.nextBoolean() ? "get" : "list");
			long ms = watch ? 300_000 : 1 + random.nextInt(2_000);
			requests.add(RollupRequest.of("r-" + i, userAgent, verb, "", "pods", "", FROM.plusSeconds(second), ms)
				.withCode(random.nextInt(10) == 0 ? 500 : 200));
		}
		return requests;
	}

	/** Every point of a series against the requests, the averages to the bit. */
	private static void assertBinsAsExpected(UserAgentLatency s, ExpectedBins expected) {
		assertThat(s.points()).hasSize(BINS);
		for (int i = 0; i < BINS; i++) {
			LatencyPoint point = s.points().get(i);
			assertThat(point.at()).isEqualTo(FROM.plus(BIN.multipliedBy(i)));
			assertThat(point.requests()).as("%s requests in bin %d", s.userAgent(), i)
				.isEqualTo(expected.count().get(s.userAgent())[i]);
			long n = expected.latencyCount().getOrDefault(s.userAgent(), new long[BINS])[i];
			if (n == 0) {
				assertThat(point.avgMs()).as("%s average in bin %d", s.userAgent(), i).isNull();
			}
			else {
				assertThat(point.avgMs()).as("%s average in bin %d", s.userAgent(), i)
					.isEqualTo(expected.latencySum().get(s.userAgent())[i] / n);
			}
		}
	}

	/**
	 * Per series label (a top user agent or "other") and bin: the requests, those with a
	 * latency, and their latencies' sum, counted from the requests themselves.
	 */
	private record ExpectedBins(Map<String, long[]> count, Map<String, long[]> latencyCount,
			Map<String, double[]> latencySum) {

		static ExpectedBins of(List<RollupRequest> inWindow, List<String> top) {
			ExpectedBins expected = new ExpectedBins(new HashMap<>(), new HashMap<>(), new HashMap<>());
			for (RollupRequest req : inWindow) {
				String label = top.contains(req.userAgent()) ? req.userAgent() : AuditRollup.OTHER;
				int index = (int) (Duration.between(FROM, req.received()).toMinutes() / BIN.toMinutes());
				expected.count.computeIfAbsent(label, (l) -> new long[BINS])[index]++;
				if (!req.longRunning()) {
					expected.latencyCount.computeIfAbsent(label, (l) -> new long[BINS])[index]++;
					expected.latencySum.computeIfAbsent(label, (l) -> new double[BINS])[index] += req.latencyMs();
				}
			}
			return expected;
		}

	}

	@Test
	void latencySeriesHasNoOtherSeriesWhenTopCoversEveryone() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", "one", FROM.plusSeconds(10), 10).completeEvent());
		rollup.add(get("a-2", "two", FROM.plusSeconds(10), 10).completeEvent());

		assertThat(rollup.latencySeries(HOUR, Duration.ofMinutes(5), 2)).extracting(UserAgentLatency::userAgent)
			.containsExactly("one", "two");
		assertThat(rollup.latencySeries(HOUR, Duration.ofMinutes(5), 0)).extracting(UserAgentLatency::userAgent)
			.containsExactly(AuditRollup.OTHER);
	}

	@Test
	void userAgentNamedOtherIsNotMixedWithTheRest() {
		AuditRollup rollup = new AuditRollup();
		for (int i = 0; i < 5; i++) {
			rollup.add(get("o-" + i, AuditRollup.OTHER, FROM.plusSeconds(10 + i), 100).completeEvent());
		}
		for (int i = 0; i < 3; i++) {
			rollup.add(get("k-" + i, "kubelet", FROM.plusSeconds(10 + i), 10).completeEvent());
		}
		rollup.add(get("x-1", "small-client", FROM.plusSeconds(20), 1_000).completeEvent());

		List<UserAgentLatency> series = rollup.latencySeries(HOUR, HOUR.length(), 2);

		// The agent that calls itself "other" must keep its own numbers: 5 requests of
		// 100 ms; small-client belongs to a separate rest series.
		List<UserAgentLatency> named = series.stream().filter((s) -> s.userAgent().equals(AuditRollup.OTHER)).toList();
		assertThat(named).isNotEmpty();
		assertThat(named.get(0).points().get(0).requests()).isEqualTo(5);
		assertThat(named.get(0).points().get(0).avgMs()).isEqualTo(100.0);
		long total = series.stream().flatMap((s) -> s.points().stream()).mapToLong(LatencyPoint::requests).sum();
		assertThat(total).isEqualTo(9);
		assertThat(series).hasSize(3);
	}

	@Test
	void binShorterThanOneMinuteIsRejected() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(10), 10).completeEvent());

		for (Duration bin : List.of(Duration.ofSeconds(59), Duration.ofMillis(59_999), Duration.ZERO,
				Duration.ofMinutes(-5))) {
			assertThatIllegalArgumentException().as(bin.toString())
				.isThrownBy(() -> rollup.latencySeries(HOUR, bin, 10))
				.withMessageContaining("at least one minute");
		}
		assertThatNoException().isThrownBy(() -> rollup.latencySeries(HOUR, Duration.ofMinutes(1), 10));
	}

}
