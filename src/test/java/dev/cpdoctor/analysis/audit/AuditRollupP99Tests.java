package dev.cpdoctor.analysis.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import static dev.cpdoctor.analysis.audit.RollupFixtures.FROM;
import static dev.cpdoctor.analysis.audit.RollupFixtures.HOUR;
import static dev.cpdoctor.analysis.audit.RollupFixtures.KUBECTL;
import static dev.cpdoctor.analysis.audit.RollupFixtures.exactP99;
import static dev.cpdoctor.analysis.audit.RollupFixtures.onlyPoint;
import static dev.cpdoctor.analysis.audit.RollupFixtures.randomInstant;
import static dev.cpdoctor.analysis.audit.RollupFixtures.rollupOf;
import static dev.cpdoctor.analysis.audit.RollupRequest.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * An {@link AuditRollup}'s P99 per verb and resource of one user agent: within one
 * percent of the exact P99, none for long-running requests, worst first.
 */
class AuditRollupP99Tests {

	private static final String FLOOD = "inventory-controller/v2.3.0";

	@Test
	void watchAndLongRunningSubresourcesAreCountedButCarryNoLatency() {
		AuditRollup rollup = new AuditRollup();
		Instant at = FROM.plusSeconds(10);
		List<RollupRequest> requests = List.of(RollupRequest.of("r-get", KUBECTL, "get", "", "pods", "", at, 40),
				RollupRequest.of("r-status", KUBECTL, "update", "", "pods", "status", at, 30),
				RollupRequest.of("r-watch", KUBECTL, "watch", "", "pods", "", at, 300_000),
				RollupRequest.of("r-log", KUBECTL, "get", "", "pods", "log", at, 4_000),
				RollupRequest.of("r-exec", KUBECTL, "create", "", "pods", "exec", at, 60_000),
				RollupRequest.of("r-attach", KUBECTL, "create", "", "pods", "attach", at, 70_000),
				RollupRequest.of("r-pf", KUBECTL, "create", "", "pods", "portforward", at, 90_000),
				RollupRequest.of("r-proxy", KUBECTL, "get", "", "services", "proxy", at, 20_000));
		for (RollupRequest req : requests) {
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
			.mapToDouble(RollupRequest::latencyMs)
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
	void p99ByVerbAndResourceIsWithinOnePercentOfTheExactP99() {
		Random random = new Random(7);
		List<RollupRequest> requests = floodAndAnotherClient(random);
		AuditRollup rollup = rollupOf(requests, () -> random.nextInt(3) > 0);

		List<VerbResourceLatency> rows = rollup.p99ByVerbAndResource(HOUR, FLOOD);

		Map<String, List<RollupRequest>> groups = requests.stream()
			.filter((r) -> r.userAgent().equals(FLOOD))
			.collect(Collectors.groupingBy(
					(r) -> r.verb() + " " + (r.group().isEmpty() ? r.resource() : r.resource() + "." + r.group())
							+ (r.subresource().isEmpty() ? "" : "/" + r.subresource())));
		assertThat(groups).containsOnlyKeys("list pods", "list deployments.apps", "get pods", "get pods/log");
		assertThat(rows).extracting((r) -> r.verb() + " " + r.resource())
			.containsExactlyInAnyOrderElementsOf(groups.keySet());
		for (VerbResourceLatency row : rows) {
			List<RollupRequest> group = groups.get(row.verb() + " " + row.resource());
			assertThat(row.requests()).as(row.verb() + " " + row.resource()).isEqualTo(group.size());
			if (row.resource().equals("pods/log")) {
				assertThat(row.p99Ms()).isNull();
				continue;
			}
			double exact = exactP99(group.stream().mapToDouble(RollupRequest::latencyMs).toArray());
			assertThat(row.p99Ms()).as(row.verb() + " " + row.resource()).isCloseTo(exact, withinPercentage(1));
		}
		// Worst P99 first, the rows without latency last.
		assertThat(rows).extracting((r) -> r.verb() + " " + r.resource())
			.containsExactly("list pods", "list deployments.apps", "get pods", "get pods/log");
		assertThat(rows.subList(0, 3)).extracting(VerbResourceLatency::p99Ms)
			.isSortedAccordingTo(Comparator.reverseOrder());
	}

	/**
	 * The flooding client's four kinds of request, each with latencies of a known shape,
	 * and another client asking the same.
	 */
	private static List<RollupRequest> floodAndAnotherClient(Random random) {
		List<RollupRequest> requests = new ArrayList<>();
		int id = 0;
		// list pods: log-normal around 260 ms with a heavy tail, some failing with
		// 500/429.
		for (int i = 0; i < 3_000; i++) {
			double ms = 260 * Math.exp(0.6 * random.nextGaussian());
			int code = (random.nextInt(20) == 0) ? 500 : ((random.nextInt(20) == 0) ? 429 : 200);
			requests.add(RollupRequest.of("p-" + id++, FLOOD, "list", "", "pods", "", randomInstant(random), ms)
				.withCode(code));
		}
		// list deployments.apps: uniform 5-80 ms.
		for (int i = 0; i < 2_000; i++) {
			double ms = 5 + 75 * random.nextDouble();
			requests.add(
					RollupRequest.of("p-" + id++, FLOOD, "list", "apps", "deployments", "", randomInstant(random), ms));
		}
		// get pods: exponential around 6 ms.
		for (int i = 0; i < 1_500; i++) {
			double ms = -6 * Math.log(1 - random.nextDouble());
			requests.add(RollupRequest.of("p-" + id++, FLOOD, "get", "", "pods", "", randomInstant(random), ms));
		}
		// get pods/log: long-running, counted but no P99.
		for (int i = 0; i < 40; i++) {
			requests.add(RollupRequest.of("p-" + id++, FLOOD, "get", "", "pods", "log", randomInstant(random),
					4_000 * random.nextDouble()));
		}
		// Another client asking the same: must not leak into the flooding client's rows.
		for (int i = 0; i < 500; i++) {
			requests.add(RollupRequest.of("p-" + id++, KUBECTL, "list", "", "pods", "", randomInstant(random), 90_000));
		}
		return requests;
	}

	@Test
	void p99OfUnknownUserAgentIsEmpty() {
		AuditRollup rollup = new AuditRollup();
		rollup.add(get("a-1", KUBECTL, FROM.plusSeconds(10), 10).completeEvent());

		assertThat(rollup.p99ByVerbAndResource(HOUR, "nobody")).isEmpty();
	}

}
