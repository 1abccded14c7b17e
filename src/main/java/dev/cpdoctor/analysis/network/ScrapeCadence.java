package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * How regularly the dashboard's own /metrics scrapes of a cluster got through in a window, from the
 * samples stored in history. Only successful scrapes are stored (with their instant, not their
 * duration or any error), so this says how often the dashboard reached the apiserver, not how long
 * each call took: a gap far above the scrape interval is a stretch in which scrapes failed.
 *
 * @param window the window asked about
 * @param samples stored scrapes in the window
 * @param first the first of them, null if none
 * @param last the last of them, null if none
 * @param intervalP50 median time between consecutive stored scrapes, null with fewer than two
 * @param intervalP99 99th percentile (nearest rank) of that time, null with fewer than two
 * @param longestGap the longest time between consecutive stored scrapes, null with fewer than two
 * @param longestGapFrom the stored scrape that the longest gap follows, null with fewer than two
 */
public record ScrapeCadence(TimeWindow window, int samples, Instant first, Instant last, Duration intervalP50,
		Duration intervalP99, Duration longestGap, Instant longestGapFrom) {

	public ScrapeCadence {
		Objects.requireNonNull(window, "window");
	}

	/** @param times the stored scrape instants in the window, oldest first */
	public static ScrapeCadence of(TimeWindow window, List<Instant> times) {
		if (times.isEmpty()) {
			return new ScrapeCadence(window, 0, null, null, null, null, null, null);
		}
		Instant first = times.get(0);
		Instant last = times.get(times.size() - 1);
		if (times.size() < 2) {
			return new ScrapeCadence(window, 1, first, last, null, null, null, null);
		}
		List<Duration> intervals = new ArrayList<>(times.size() - 1);
		Duration longest = Duration.ZERO;
		Instant longestFrom = first;
		for (int i = 1; i < times.size(); i++) {
			Duration interval = Duration.between(times.get(i - 1), times.get(i));
			intervals.add(interval);
			if (interval.compareTo(longest) > 0) {
				longest = interval;
				longestFrom = times.get(i - 1);
			}
		}
		List<Duration> sorted = intervals.stream().sorted().toList();
		return new ScrapeCadence(window, times.size(), first, last, nearestRank(sorted, 50), nearestRank(sorted, 99),
				longest, longestFrom);
	}

	/** The smallest value with at least p % of the values at or below it. */
	static Duration nearestRank(List<Duration> sorted, int percent) {
		int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
		return sorted.get(Math.max(0, rank - 1));
	}

}
