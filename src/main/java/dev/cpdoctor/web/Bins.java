package dev.cpdoctor.web;

import java.time.Duration;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * The bin of a latency timechart: 5 minutes as the checklist says, coarser for long
 * windows.
 */
final class Bins {

	private static final int MAX_POINTS = 400;

	private Bins() {
	}

	static Duration forWindow(TimeWindow window) {
		Duration bin = Duration.ofMinutes(5);
		for (Duration candidate : new Duration[] { Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1),
				Duration.ofHours(6), Duration.ofDays(1) }) {
			bin = candidate;
			if (window.length().dividedBy(candidate) <= MAX_POINTS) {
				break;
			}
		}
		return bin;
	}

}
