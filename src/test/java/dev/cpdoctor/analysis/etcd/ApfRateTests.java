package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ApfRateTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static ApfCounter at(int seconds, String flowSchema, double total) {
		return new ApfCounter(T0.plusSeconds(seconds), flowSchema, "throttled", "concurrency-limit", total);
	}

	private static List<Instant> samplesAt(int... seconds) {
		return IntStream.of(seconds).mapToObj(T0::plusSeconds).toList();
	}

	@Test
	void rateIsTheIncreaseOverTheSecondsBetweenFirstAndLastSample() {
		List<ApfRate> rates = ApfRate.of(samplesAt(0, 60, 120),
				List.of(at(0, "inventory", 100), at(60, "inventory", 160), at(120, "inventory", 340)));
		assertThat(rates).singleElement().satisfies((r) -> {
			assertThat(r.rejected()).isEqualTo(240);
			assertThat(r.perSecond()).isCloseTo(2.0, within(1e-9));
		});
	}

	@Test
	void aCounterResetCountsItsNewValueNotANegativeIncrease() {
		// 100 -> 150 (+50), apiserver restarts, 20 (+20), 50 (+30)
		List<ApfRate> rates = ApfRate.of(samplesAt(0, 60, 120, 180), List.of(at(0, "inventory", 100),
				at(60, "inventory", 150), at(120, "inventory", 20), at(180, "inventory", 50)));
		assertThat(rates).singleElement().satisfies((r) -> assertThat(r.rejected()).isEqualTo(100));
	}

	@Test
	void aSeriesAppearingMidWindowCountsFromZeroAtTheSampleBefore() {
		// The counter exists only from the flow schema's first rejection: absent at 0
		// means 0 there.
		List<ApfRate> rates = ApfRate.of(samplesAt(0, 60, 120),
				List.of(at(60, "inventory", 100), at(120, "inventory", 150)));
		assertThat(rates).singleElement().satisfies((r) -> {
			assertThat(r.rejected()).isEqualTo(150);
			assertThat(r.perSecond()).isCloseTo(150 / 120.0, within(1e-9));
		});
	}

	@Test
	void withoutAnEarlierSampleTheFirstValueIsTheBaseline() {
		List<ApfRate> rates = ApfRate.of(samplesAt(60, 120),
				List.of(at(60, "inventory", 100), at(120, "inventory", 150)));
		assertThat(rates).singleElement().satisfies((r) -> assertThat(r.rejected()).isEqualTo(50));
	}

	@Test
	void seriesRejectingNothingAreLeftOutAndTheWorstComesFirst() {
		List<ApfRate> rates = ApfRate.of(samplesAt(0, 60, 120), List.of(at(120, "busy", 90), at(0, "busy", 10),
				at(0, "quiet", 5), at(120, "quiet", 5), at(60, "once", 1_000), at(0, "some", 0), at(120, "some", 3)));
		assertThat(rates).extracting(ApfRate::flowSchema).containsExactly("once", "busy", "some");
		assertThat(rates.get(1).rejected()).isEqualTo(80);
	}

}
