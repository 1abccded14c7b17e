package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * The dashboard's own calls to one cluster's apiserver in a window, as recorded call by
 * call: how many, how they failed, how long they took, and the same per bin for a chart.
 * Durations are of all calls, failed ones included (a timeout takes the whole timeout).
 *
 * @param window the window asked about
 * @param calls calls started in the window (those read, see {@code truncated})
 * @param networkFailures calls the network did not carry: timeout, refused, unreachable,
 * TLS, other
 * @param httpErrors calls answered with HTTP 400 or more (the apiserver answered)
 * @param failures failed calls per kind of failure ("timeout", "HTTP 5xx"), most first
 * @param p50 median duration, null without calls
 * @param p99 99th percentile (nearest rank) of the durations, null without calls
 * @param longest the longest call, null without calls
 * @param lastFailure the newest call that failed (network or HTTP error), null when none
 * did
 * @param lastNetworkFailure the newest call the network did not carry, null when none
 * @param longestFailureRun the most network failures in a row, calls ordered by start
 * @param last the newest call, null without calls
 * @param bins the window cut in equal bins, oldest first
 * @param truncated only the newest calls of the window were read (a long window of a busy
 * cluster)
 */
public record CallHistory(TimeWindow window, int calls, int networkFailures, int httpErrors,
		Map<String, Integer> failures, Duration p50, Duration p99, OwnCall longest, OwnCall lastFailure,
		OwnCall lastNetworkFailure, int longestFailureRun, OwnCall last, List<Bin> bins, boolean truncated) {

	/** At most this many bins: a small chart. */
	public static final int MAX_BINS = 120;

	/**
	 * One bin of the chart.
	 *
	 * @param from the bin's start
	 * @param calls calls started in it
	 * @param networkFailures of those, not carried by the network
	 * @param httpErrors of those, answered with HTTP 400 or more
	 * @param p50Millis median duration in milliseconds, null without calls
	 * @param maxMillis longest duration in milliseconds, null without calls
	 */
	public record Bin(Instant from, int calls, int networkFailures, int httpErrors, Double p50Millis,
			Double maxMillis) {
	}

	public CallHistory {
		Objects.requireNonNull(window, "window");
		failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
		bins = List.copyOf(bins);
	}

	/** Whether any call was recorded in the window. */
	public boolean any() {
		return this.calls > 0;
	}

	/** The share of calls the network did not carry, 0 without calls. */
	public double networkFailureShare() {
		return (this.calls == 0) ? 0 : (double) this.networkFailures / this.calls;
	}

	/**
	 * The bin for a window: the smallest of 1 min, 5 min, 15 min, 1 h, 6 h, 1 d giving at
	 * most {@link #MAX_BINS}.
	 */
	public static Duration binFor(TimeWindow window) {
		Duration bin = Duration.ofMinutes(1);
		for (Duration candidate : new Duration[] { Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15),
				Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(4) }) {
			bin = candidate;
			if (window.length().toMillis() <= candidate.toMillis() * MAX_BINS) {
				break;
			}
		}
		return bin;
	}

	/**
	 * @param window the window asked about
	 * @param recorded the recorded calls of the cluster; those not started in the window
	 * are left out
	 * @param truncated whether the store gave only the newest calls of the window
	 */
	public static CallHistory of(TimeWindow window, List<OwnCall> recorded, boolean truncated) {
		List<OwnCall> calls = recorded.stream()
			.filter((call) -> window.contains(call.at()))
			.sorted(Comparator.comparing(OwnCall::at))
			.toList();
		int network = 0;
		int http = 0;
		int run = 0;
		int longestRun = 0;
		OwnCall longest = null;
		OwnCall lastFailure = null;
		OwnCall lastNetworkFailure = null;
		Map<String, Integer> failures = new LinkedHashMap<>();
		for (OwnCall call : calls) {
			if (longest == null || call.took().compareTo(longest.took()) > 0) {
				longest = call;
			}
			String failure = call.failureKind();
			if (failure != null) {
				failures.merge(failure, 1, Integer::sum);
				lastFailure = call;
			}
			if (call.outcome().networkFailure()) {
				network++;
				lastNetworkFailure = call;
				run++;
				longestRun = Math.max(longestRun, run);
			}
			else {
				run = 0;
				if (call.httpError()) {
					http++;
				}
			}
		}
		Map<String, Integer> mostFirst = failures.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
		List<Duration> sorted = calls.stream().map(OwnCall::took).sorted().toList();
		return new CallHistory(window, calls.size(), network, http, mostFirst, nearestRank(sorted, 50),
				nearestRank(sorted, 99), longest, lastFailure, lastNetworkFailure, longestRun,
				calls.isEmpty() ? null : calls.get(calls.size() - 1), bins(window, calls), truncated);
	}

	private static List<Bin> bins(TimeWindow window, List<OwnCall> calls) {
		long step = binFor(window).toMillis();
		long start = Math.floorDiv(window.from().toEpochMilli(), step) * step;
		int count = (int) Math.max(1, Math.floorDiv(window.to().toEpochMilli() - 1 - start, step) + 1);
		List<List<OwnCall>> perBin = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			perBin.add(new ArrayList<>());
		}
		for (OwnCall call : calls) {
			int index = (int) Math.floorDiv(call.at().toEpochMilli() - start, step);
			perBin.get(Math.min(count - 1, Math.max(0, index))).add(call);
		}
		List<Bin> bins = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			List<OwnCall> in = perBin.get(i);
			List<Duration> sorted = in.stream().map(OwnCall::took).sorted().toList();
			int network = (int) in.stream().filter((c) -> c.outcome().networkFailure()).count();
			int http = (int) in.stream().filter(OwnCall::httpError).count();
			Duration p50 = nearestRank(sorted, 50);
			bins.add(new Bin(Instant.ofEpochMilli(start + i * step), in.size(), network, http, millis(p50),
					sorted.isEmpty() ? null : millis(sorted.get(sorted.size() - 1))));
		}
		return bins;
	}

	private static Double millis(Duration duration) {
		return (duration != null) ? duration.toNanos() / 1_000_000.0 : null;
	}

	/**
	 * The smallest value with at least p % of the values at or below it; null for none.
	 */
	static Duration nearestRank(List<Duration> sorted, int percent) {
		if (sorted.isEmpty()) {
			return null;
		}
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

}
