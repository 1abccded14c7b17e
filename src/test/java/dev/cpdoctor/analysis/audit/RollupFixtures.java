package dev.cpdoctor.analysis.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import dev.cpdoctor.analysis.TimeWindow;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hour the {@link AuditRollup} tests send their requests in, and what they need to
 * read the rollup back and know the exact answers.
 */
final class RollupFixtures {

	static final Instant FROM = Instant.parse("2026-03-02T10:00:00Z");

	static final TimeWindow HOUR = new TimeWindow(FROM, FROM.plus(1, ChronoUnit.HOURS));

	static final String KUBECTL = "kubectl/v1.30.2 (darwin/arm64) kubernetes/3968350";

	private RollupFixtures() {
	}

	/** The one point of a user agent's series when the whole window is one bin. */
	static LatencyPoint onlyPoint(AuditRollup rollup, TimeWindow window, String userAgent) {
		List<UserAgentLatency> series = rollup.latencySeries(window, window.length(), 10);
		UserAgentLatency ua = series.stream().filter((s) -> s.userAgent().equals(userAgent)).findFirst().orElseThrow();
		assertThat(ua.points()).hasSize(1);
		return ua.points().get(0);
	}

	/**
	 * A rollup of every request's ResponseComplete event, its RequestReceived event added
	 * before it when {@code alsoReceived} says so (asked once per request, in order).
	 */
	static AuditRollup rollupOf(List<RollupRequest> requests, BooleanSupplier alsoReceived) {
		AuditRollup rollup = new AuditRollup();
		for (RollupRequest req : requests) {
			if (alsoReceived.getAsBoolean()) {
				rollup.add(req.receivedEvent());
			}
			rollup.add(req.completeEvent());
		}
		return rollup;
	}

	static Instant randomInstant(Random random) {
		return FROM.plusMillis(random.nextInt(3_600_000));
	}

	static int pickIndex(Random random, double[] weights) {
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
	static double exactP99(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return sorted[(int) Math.floor(0.99 * (sorted.length - 1))];
	}

}
