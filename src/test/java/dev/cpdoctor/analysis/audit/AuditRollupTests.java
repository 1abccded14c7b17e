package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.withinPercentage;

class AuditRollupTests {

	private static final Instant FROM = Instant.parse("2026-03-02T10:00:00Z");

	private static final TimeWindow HOUR = new TimeWindow(FROM, FROM.plus(1, ChronoUnit.HOURS));

	private static final String KUBECTL = "kubectl/v1.30.2 (darwin/arm64) kubernetes/3968350";

	/**
	 * One request as a test describes it; it turns into the audit events of the stages
	 * logged.
	 */
	private record Req(String id, String userAgent, String verb, String group, String resource, String subresource,
			Instant received, long latencyNanos, int code) {

		static Req of(String id, String userAgent, String verb, String group, String resource, String subresource,
				Instant received, double latencyMs) {
			return new Req(id, userAgent, verb, group, resource, subresource, received,
					Math.round(latencyMs * 1_000_000), 200);
		}

		Req withCode(int newCode) {
			return new Req(this.id, this.userAgent, this.verb, this.group, this.resource, this.subresource,
					this.received, this.latencyNanos, newCode);
		}

		AuditEvent receivedEvent() {
			return new AuditEvent(this.id, Stage.REQUEST_RECEIVED, this.verb, this.userAgent, this.resource, this.group,
					this.subresource, 0, this.received, this.received);
		}

		AuditEvent startedEvent() {
			return new AuditEvent(this.id, Stage.RESPONSE_STARTED, this.verb, this.userAgent, this.resource, this.group,
					this.subresource, this.code, this.received, this.received.plusMillis(3));
		}

		AuditEvent completeEvent() {
			return new AuditEvent(this.id, Stage.RESPONSE_COMPLETE, this.verb, this.userAgent, this.resource,
					this.group, this.subresource, this.code, this.received, this.received.plusNanos(this.latencyNanos));
		}

		/** The latency exactly as stageTimestamp - requestReceivedTimestamp gives it. */
		double latencyMs() {
			return this.latencyNanos / 1_000_000.0;
		}

		boolean longRunning() {
			return "watch".equals(this.verb)
					|| List.of("exec", "attach", "portforward", "proxy", "log").contains(this.subresource);
		}

	}

	private static Req get(String id, String userAgent, Instant received, double latencyMs) {
		return Req.of(id, userAgent, "get", "", "pods", "", received, latencyMs);
	}

	private static LatencyPoint onlyPoint(AuditRollup rollup, TimeWindow window, String userAgent) {
		List<UserAgentLatency> series = rollup.latencySeries(window, window.length(), 10);
		UserAgentLatency ua = series.stream().filter((s) -> s.userAgent().equals(userAgent)).findFirst().orElseThrow();
		assertThat(ua.points()).hasSize(1);
		return ua.points().get(0);
	}

	@Test
	void requestLoggedAtReceivedAndCompleteCountsOnce() {
		AuditRollup rollup = new AuditRollup();
		Req req = get("a-1", KUBECTL, FROM.plusSeconds(30), 120);
		rollup.add(req.receivedEvent());
		rollup.add(req.completeEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 1));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(1);
		assertThat(point.avgMs()).isEqualTo(120.0);
		assertThat(rollup.p99ByVerbAndResource(HOUR, KUBECTL)).singleElement()
			.satisfies((row) -> assertThat(row.requests()).isEqualTo(1));
	}

	@Test
	void aRetriedBatchRepeatingResponseCompleteAddsNoLatencyTwice() {
		AuditRollup rollup = new AuditRollup();
		Req slow = get("a-1", KUBECTL, FROM.plusSeconds(30), 900);
		Req fast = get("a-2", KUBECTL, FROM.plusSeconds(40), 100);
		rollup.add(slow.receivedEvent());
		rollup.add(slow.completeEvent());
		rollup.add(fast.completeEvent());
		// the webhook backend retries the batch holding the slow request: its events
		// arrive again (counting its latency twice would give (900 + 900 + 100) / 3 = 633
		// ms)
		rollup.add(slow.receivedEvent());
		rollup.add(slow.completeEvent());

		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(500.0);
	}

	@Test
	void aSealedRollupAnswersTheSameAndRefusesMoreEvents() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(30), 250).completeEvent());
		rollup.seal();
		assertThat(onlyPoint(rollup, HOUR, KUBECTL).avgMs()).isEqualTo(250.0);
		assertThatThrownBy(() -> rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(40), 1).completeEvent()))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("sealed");
	}

	@Test
	void stagesArrivingOutOfOrderStillCountOnce() {
		AuditRollup rollup = new AuditRollup();
		Req req = get("a-1", KUBECTL, FROM.plusSeconds(30), 80);
		rollup.add(req.completeEvent());
		rollup.add(req.receivedEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 1));
		assertThat(onlyPoint(rollup, HOUR, KUBECTL).avgMs()).isEqualTo(80.0);
	}

	@Test
	void requestLoggedOnlyAtResponseCompleteCountsOnce() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(5), 40).completeEvent());
		rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(65), 60).completeEvent());

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 2));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(50.0);
	}

	@Test
	void latencyComesFromResponseCompleteOnly() {
		AuditRollup rollup = new AuditRollup();
		Req complete = get("a-1", KUBECTL, FROM.plusSeconds(10), 100);
		rollup.add(complete.receivedEvent());
		rollup.add(complete.completeEvent());
		// Logged at RequestReceived only (say, the apiserver restarted): counted, no
		// latency. Its stage timestamp is late on purpose: a RequestReceived duration
		// must never be averaged in.
		Req unfinished = get("a-2", KUBECTL, FROM.plusSeconds(20), 0);
		rollup.add(new AuditEvent(unfinished.id(), Stage.REQUEST_RECEIVED, "get", KUBECTL, "pods", "", "", 0,
				unfinished.received(), unfinished.received().plusSeconds(9)));
		// A panicked request: counted, no latency either.
		Req panicked = get("a-3", KUBECTL, FROM.plusSeconds(30), 0);
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
	void watchAndLongRunningSubresourcesAreCountedButCarryNoLatency() {
		AuditRollup rollup = new AuditRollup();
		Instant at = FROM.plusSeconds(10);
		List<Req> requests = List.of(Req.of("r-get", KUBECTL, "get", "", "pods", "", at, 40),
				Req.of("r-status", KUBECTL, "update", "", "pods", "status", at, 30),
				Req.of("r-watch", KUBECTL, "watch", "", "pods", "", at, 300_000),
				Req.of("r-log", KUBECTL, "get", "", "pods", "log", at, 4_000),
				Req.of("r-exec", KUBECTL, "create", "", "pods", "exec", at, 60_000),
				Req.of("r-attach", KUBECTL, "create", "", "pods", "attach", at, 70_000),
				Req.of("r-pf", KUBECTL, "create", "", "pods", "portforward", at, 90_000),
				Req.of("r-proxy", KUBECTL, "get", "", "services", "proxy", at, 20_000));
		for (Req req : requests) {
			rollup.add(req.receivedEvent());
			if ("watch".equals(req.verb())) {
				rollup.add(req.startedEvent());
			}
			rollup.add(req.completeEvent());
		}

		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(requests.size());
		double expected = requests.stream()
			.filter((r) -> !r.longRunning())
			.mapToDouble(Req::latencyMs)
			.average()
			.orElseThrow();
		assertThat(expected).isEqualTo(35.0);
		assertThat(point.avgMs()).isEqualTo(expected);

		Map<String, VerbResourceLatency> rows = rollup.p99ByVerbAndResource(HOUR, KUBECTL)
			.stream()
			.collect(Collectors.toMap((r) -> r.verb() + " " + r.resource(), (r) -> r));
		assertThat(rows).containsOnlyKeys("get pods", "update pods/status", "watch pods", "get pods/log",
				"create pods/exec", "create pods/attach", "create pods/portforward", "get services/proxy");
		assertThat(rows.get("watch pods").p99Ms()).isNull();
		assertThat(rows.get("watch pods").requests()).isEqualTo(1);
		assertThat(rows.get("get pods/log").p99Ms()).isNull();
		assertThat(rows.get("create pods/exec").p99Ms()).isNull();
		assertThat(rows.get("get pods").p99Ms()).isCloseTo(40.0, withinPercentage(1));
		assertThat(rows.get("update pods/status").p99Ms()).isCloseTo(30.0, withinPercentage(1));
	}

	@Test
	void topUserAgentsAreOrderedByRequestsThenNameAndLimited() {
		AuditRollup rollup = new AuditRollup();
		Map<String, Integer> counts = new LinkedHashMap<>();
		counts.put("scheduler", 3);
		counts.put("kubelet", 7);
		counts.put("argocd", 3);
		counts.put("kubectl", 1);
		counts.put("controller-manager", 5);
		int id = 0;
		for (Map.Entry<String, Integer> entry : counts.entrySet()) {
			for (int i = 0; i < entry.getValue(); i++) {
				Req req = get("id-" + id++, entry.getKey(), FROM.plusSeconds(17L * id), 10);
				rollup.add(req.receivedEvent());
				rollup.add(req.completeEvent());
			}
		}

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests("kubelet", 7),
				new UserAgentRequests("controller-manager", 5), new UserAgentRequests("argocd", 3),
				new UserAgentRequests("scheduler", 3), new UserAgentRequests("kubectl", 1));
		assertThat(rollup.topUserAgents(HOUR, 2)).extracting(UserAgentRequests::userAgent)
			.containsExactly("kubelet", "controller-manager");
		assertThat(rollup.topUserAgents(HOUR, 0)).isEmpty();
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
		String[] agents = { "kubelet", "controller-manager", "argocd", "kubectl", "quiet" };
		double[] weights = { 0.40, 0.25, 0.15, 0.12, 0.08 };
		List<Req> requests = new ArrayList<>();
		for (int i = 0; i < 3000; i++) {
			String userAgent = agents[pickIndex(random, weights)];
			long second = random.nextInt(3600);
			if (second / 300 == 3) {
				continue;
			}
			boolean watch = userAgent.equals("quiet") || random.nextInt(20) == 0;
			String verb = watch ? "watch" : (random.nextBoolean() ? "get" : "list");
			long ms = watch ? 300_000 : 1 + random.nextInt(2_000);
			requests.add(Req.of("r-" + i, userAgent, verb, "", "pods", "", FROM.plusSeconds(second), ms)
				.withCode(random.nextInt(10) == 0 ? 500 : 200));
		}
		// Outside the window: must change nothing.
		requests.add(get("before", "kubelet", FROM.minusSeconds(1), 5_000));
		requests.add(get("after", "argocd", HOUR.to(), 5_000));
		AuditRollup rollup = new AuditRollup();
		for (Req req : requests) {
			if (random.nextBoolean()) {
				rollup.add(req.receivedEvent());
			}
			rollup.add(req.completeEvent());
		}

		int topN = 2;
		Duration bin = Duration.ofMinutes(5);
		List<Req> inWindow = requests.stream().filter((r) -> HOUR.contains(r.received())).toList();
		Map<String, Long> perAgent = inWindow.stream()
			.collect(Collectors.groupingBy(Req::userAgent, Collectors.counting()));
		List<String> top = perAgent.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(topN)
			.map(Map.Entry::getKey)
			.toList();
		assertThat(top).containsExactly("kubelet", "controller-manager");
		int bins = 12;
		Map<String, long[]> count = new HashMap<>();
		Map<String, long[]> latencyCount = new HashMap<>();
		Map<String, double[]> latencySum = new HashMap<>();
		for (Req req : inWindow) {
			String label = top.contains(req.userAgent()) ? req.userAgent() : AuditRollup.OTHER;
			int index = (int) (Duration.between(FROM, req.received()).toMinutes() / bin.toMinutes());
			count.computeIfAbsent(label, (l) -> new long[bins])[index]++;
			if (!req.longRunning()) {
				latencyCount.computeIfAbsent(label, (l) -> new long[bins])[index]++;
				latencySum.computeIfAbsent(label, (l) -> new double[bins])[index] += req.latencyMs();
			}
		}

		List<UserAgentLatency> series = rollup.latencySeries(HOUR, bin, topN);

		assertThat(series).extracting(UserAgentLatency::userAgent)
			.containsExactlyInAnyOrder("kubelet", "controller-manager", AuditRollup.OTHER);
		assertThat(series.subList(0, 2)).extracting(UserAgentLatency::userAgent).containsExactlyElementsOf(top);
		for (UserAgentLatency s : series) {
			assertThat(s.points()).hasSize(bins);
			for (int i = 0; i < bins; i++) {
				LatencyPoint point = s.points().get(i);
				assertThat(point.at()).isEqualTo(FROM.plus(bin.multipliedBy(i)));
				assertThat(point.requests()).as("%s requests in bin %d", s.userAgent(), i)
					.isEqualTo(count.get(s.userAgent())[i]);
				long n = latencyCount.getOrDefault(s.userAgent(), new long[bins])[i];
				if (n == 0) {
					assertThat(point.avgMs()).as("%s average in bin %d", s.userAgent(), i).isNull();
				}
				else {
					assertThat(point.avgMs()).as("%s average in bin %d", s.userAgent(), i)
						.isEqualTo(latencySum.get(s.userAgent())[i] / n);
				}
			}
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
	void p99ByVerbAndResourceIsWithinOnePercentOfTheExactP99() {
		Random random = new Random(7);
		String flood = "inventory-controller/v2.3.0";
		List<Req> requests = new ArrayList<>();
		int id = 0;
		// list pods: log-normal around 260 ms with a heavy tail, some failing with
		// 500/429.
		for (int i = 0; i < 3_000; i++) {
			double ms = 260 * Math.exp(0.6 * random.nextGaussian());
			int code = (random.nextInt(20) == 0) ? 500 : ((random.nextInt(20) == 0) ? 429 : 200);
			requests.add(Req.of("p-" + id++, flood, "list", "", "pods", "", randomInstant(random), ms).withCode(code));
		}
		// list deployments.apps: uniform 5-80 ms.
		for (int i = 0; i < 2_000; i++) {
			double ms = 5 + 75 * random.nextDouble();
			requests.add(Req.of("p-" + id++, flood, "list", "apps", "deployments", "", randomInstant(random), ms));
		}
		// get pods: exponential around 6 ms.
		for (int i = 0; i < 1_500; i++) {
			double ms = -6 * Math.log(1 - random.nextDouble());
			requests.add(Req.of("p-" + id++, flood, "get", "", "pods", "", randomInstant(random), ms));
		}
		// get pods/log: long-running, counted but no P99.
		for (int i = 0; i < 40; i++) {
			requests.add(Req.of("p-" + id++, flood, "get", "", "pods", "log", randomInstant(random),
					4_000 * random.nextDouble()));
		}
		// Another client asking the same: must not leak into the flooding client's rows.
		for (int i = 0; i < 500; i++) {
			requests.add(Req.of("p-" + id++, KUBECTL, "list", "", "pods", "", randomInstant(random), 90_000));
		}
		AuditRollup rollup = new AuditRollup();
		for (Req req : requests) {
			if (random.nextInt(3) > 0) {
				rollup.add(req.receivedEvent());
			}
			rollup.add(req.completeEvent());
		}

		List<VerbResourceLatency> rows = rollup.p99ByVerbAndResource(HOUR, flood);

		Map<String, List<Req>> groups = requests.stream()
			.filter((r) -> r.userAgent().equals(flood))
			.collect(Collectors.groupingBy(
					(r) -> r.verb() + " " + (r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group())
							+ (r.subresource().isEmpty() ? "" : "/" + r.subresource())));
		assertThat(groups).containsOnlyKeys("list pods", "list deployments.apps", "get pods", "get pods/log");
		assertThat(rows).extracting((r) -> r.verb() + " " + r.resource())
			.containsExactlyInAnyOrderElementsOf(groups.keySet());
		for (VerbResourceLatency row : rows) {
			List<Req> group = groups.get(row.verb() + " " + row.resource());
			assertThat(row.requests()).as(row.verb() + " " + row.resource()).isEqualTo(group.size());
			if (row.resource().equals("pods/log")) {
				assertThat(row.p99Ms()).isNull();
				continue;
			}
			double exact = exactP99(group.stream().mapToDouble(Req::latencyMs).toArray());
			assertThat(row.p99Ms()).as(row.verb() + " " + row.resource()).isCloseTo(exact, withinPercentage(1));
		}
		// Worst P99 first, the rows without latency last.
		assertThat(rows).extracting((r) -> r.verb() + " " + r.resource())
			.containsExactly("list pods", "list deployments.apps", "get pods", "get pods/log");
		assertThat(rows.subList(0, 3)).extracting(VerbResourceLatency::p99Ms)
			.isSortedAccordingTo(Comparator.reverseOrder());
	}

	@Test
	void p99OfUnknownUserAgentIsEmpty() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(10), 10).completeEvent());

		assertThat(rollup.p99ByVerbAndResource(HOUR, "nobody")).isEmpty();
	}

	@Test
	void eventsOutsideTheWindowAreIgnored() {
		AuditRollup rollup = new AuditRollup();
		List<Req> outside = List.of(get("o-1", KUBECTL, FROM.minusMillis(1), 9_000),
				get("o-2", KUBECTL, FROM.minus(3, ChronoUnit.HOURS), 9_000), get("o-3", KUBECTL, HOUR.to(), 9_000),
				get("o-4", KUBECTL, HOUR.to().plusSeconds(90), 9_000));
		List<Req> inside = List.of(get("i-1", KUBECTL, FROM, 10), get("i-2", KUBECTL, HOUR.to().minusMillis(1), 30));
		for (Req req : outside) {
			rollup.add(req.receivedEvent());
			rollup.add(req.completeEvent());
		}
		for (Req req : inside) {
			rollup.add(req.receivedEvent());
			rollup.add(req.completeEvent());
		}

		assertThat(rollup.topUserAgents(HOUR, 10)).containsExactly(new UserAgentRequests(KUBECTL, 2));
		LatencyPoint point = onlyPoint(rollup, HOUR, KUBECTL);
		assertThat(point.requests()).isEqualTo(2);
		assertThat(point.avgMs()).isEqualTo(20.0);
		assertThat(rollup.p99ByVerbAndResource(HOUR, KUBECTL)).singleElement().satisfies((row) -> {
			assertThat(row.requests()).isEqualTo(2);
			assertThat(row.p99Ms()).isCloseTo(exactP99(new double[] { 10, 30 }), withinPercentage(1));
		});
		TimeWindow later = new TimeWindow(HOUR.to().plus(1, ChronoUnit.HOURS), HOUR.to().plus(2, ChronoUnit.HOURS));
		assertThat(rollup.topUserAgents(later, 10)).isEmpty();
		assertThat(rollup.p99ByVerbAndResource(later, KUBECTL)).isEmpty();
		assertThat(rollup.latencySeries(later, Duration.ofMinutes(5), 10)).isEmpty();
	}

	@Test
	void coverageSpansTheMinutesWithData() {
		AuditRollup rollup = new AuditRollup();
		assertThat(rollup.coverage()).isNull();

		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(75), 10).completeEvent());
		rollup.add(get("a-2", KUBECTL, FROM.plusSeconds(600), 10).completeEvent());

		assertThat(rollup.coverage()).isEqualTo(new TimeWindow(FROM.plusSeconds(60), FROM.plusSeconds(660)));
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

	private static Instant randomInstant(Random random) {
		return FROM.plusMillis(random.nextInt(3_600_000));
	}

	private static int pickIndex(Random random, double[] weights) {
		double r = random.nextDouble();
		for (int i = 0; i < weights.length; i++) {
			r -= weights[i];
			if (r < 0) {
				return i;
			}
		}
		return weights.length - 1;
	}

	/**
	 * The exact P99 as DDSketch defines the quantile it approximates: the value of rank
	 * floor(0.99 * (n - 1)) in the sorted sample.
	 */
	private static double exactP99(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
	}

}
