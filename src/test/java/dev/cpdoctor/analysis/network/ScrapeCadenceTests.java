package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;

import static org.assertj.core.api.Assertions.assertThat;

class ScrapeCadenceTests {

	private static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");

	private static final TimeWindow DAY = new TimeWindow(T0, T0.plus(Duration.ofDays(1)));

	@Test
	void percentilesAreNearestRankOverTheIntervals() {
		// 196 intervals of 60 s, 3 of 300 s, 1 of 1200 s: 200 intervals, 201 scrapes.
		List<Instant> times = new ArrayList<>();
		Instant at = T0;
		times.add(at);
		for (int i = 0; i < 200; i++) {
			long seconds = (i < 196) ? 60 : (i < 199) ? 300 : 1200;
			at = at.plusSeconds(seconds);
			times.add(at);
		}
		ScrapeCadence cadence = ScrapeCadence.of(DAY, times);
		assertThat(cadence.samples()).isEqualTo(201);
		assertThat(cadence.intervalP50()).isEqualTo(Duration.ofSeconds(60));
		assertThat(cadence.intervalP99()).as("rank 198 of 200").isEqualTo(Duration.ofSeconds(300));
		assertThat(cadence.longestGap()).isEqualTo(Duration.ofSeconds(1200));
		assertThat(cadence.longestGapFrom()).isEqualTo(times.get(199));
		assertThat(cadence.first()).isEqualTo(T0);
		assertThat(cadence.last()).isEqualTo(at);
	}

	@Test
	void fewerThanTwoScrapesHaveNoIntervals() {
		assertThat(ScrapeCadence.of(DAY, List.of())).isEqualTo(new ScrapeCadence(DAY, 0, null, null, null, null, null, null));
		assertThat(ScrapeCadence.of(DAY, List.of(T0))).isEqualTo(new ScrapeCadence(DAY, 1, T0, T0, null, null, null, null));
	}

}
