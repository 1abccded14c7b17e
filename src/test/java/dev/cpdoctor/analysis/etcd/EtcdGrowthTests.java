package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdGrowth.SizePoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

class EtcdGrowthTests {

	private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

	private static final long GIB = 1024L * 1024 * 1024;

	private static final long QUOTA = 8 * GIB;

	private static double daysBetween(Instant from, Instant to) {
		return Duration.between(from, to).toMillis() / 86_400_000.0;
	}

	/** Hourly samples of a DB growing exactly linearly in time. */
	private static List<SizePoint> linear(Instant start, int hours, long startBytes, long bytesPerDay) {
		List<SizePoint> samples = new ArrayList<>();
		for (int h = 0; h < hours; h++) {
			Instant at = start.plus(h, ChronoUnit.HOURS);
			samples.add(new SizePoint(at, startBytes + Math.round(bytesPerDay * daysBetween(start, at))));
		}
		return samples;
	}

	@Test
	void dailyPointsKeepTheLastSampleOfEachUtcDay() {
		List<SizePoint> samples = new ArrayList<>(linear(START, 72, GIB, 24_000_000));
		SizePoint lateOnDayOne = new SizePoint(Instant.parse("2026-03-01T23:59:59.999Z"), 5 * GIB);
		samples.add(lateOnDayOne);
		SizePoint lastOfDayTwo = sampleAt(samples, Instant.parse("2026-03-02T23:00:00Z"));
		SizePoint lastOfDayThree = sampleAt(samples, Instant.parse("2026-03-03T23:00:00Z"));
		Collections.shuffle(samples, new Random(3));

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.points()).containsExactly(lateOnDayOne, lastOfDayTwo, lastOfDayThree);
	}

	private static SizePoint sampleAt(List<SizePoint> samples, Instant at) {
		return samples.stream().filter((s) -> s.at().equals(at)).findFirst().orElseThrow();
	}

	@Test
	void utcDayDecidesTheDayNotTheLocalDate() {
		// 23:30 UTC on March 1st is already March 2nd in Berlin: it still belongs to
		// March 1st.
		SizePoint first = new SizePoint(Instant.parse("2026-03-01T10:00:00Z"), 100);
		SizePoint lateFirst = new SizePoint(Instant.parse("2026-03-01T23:30:00Z"), 200);
		SizePoint second = new SizePoint(Instant.parse("2026-03-02T00:10:00Z"), 300);

		EtcdGrowth growth = EtcdGrowth.of(List.of(second, first, lateFirst), QUOTA);

		assertThat(growth.points()).containsExactly(lateFirst, second);
	}

	@Test
	void slopeIsExactOnLinearData() {
		long bytesPerDay = 50_000_000;
		List<SizePoint> samples = linear(START, 10 * 24, 2 * GIB, bytesPerDay);

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.points()).hasSize(10);
		assertThat(growth.bytesPerDay()).isCloseTo(bytesPerDay, withinPercentage(1e-6));
	}

	@Test
	void slopeUsesTheSampleTimesNotTheDayNumbers() {
		// The last sample of each day falls at a different time: the line is linear in
		// time only.
		Random random = new Random(11);
		long bytesPerDay = 123_456_789;
		List<SizePoint> samples = new ArrayList<>();
		for (int day = 0; day < 14; day++) {
			for (int i = 0; i < 3; i++) {
				Instant at = START.plus(day, ChronoUnit.DAYS).plusSeconds(random.nextInt(86_400));
				samples.add(new SizePoint(at, GIB + Math.round(bytesPerDay * daysBetween(START, at))));
			}
		}

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.points()).hasSize(14);
		assertThat(growth.bytesPerDay()).isCloseTo(bytesPerDay, withinPercentage(1e-6));
	}

	@Test
	void daysToQuotaOnLinearData() {
		long bytesPerDay = 50_000_000;
		List<SizePoint> samples = linear(START, 10 * 24, 2 * GIB, bytesPerDay);
		SizePoint last = samples.get(samples.size() - 1);

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		double expected = (QUOTA - last.dbSizeBytes()) / (double) bytesPerDay;
		assertThat(expected).isGreaterThan(100);
		assertThat(growth.daysToQuota()).isCloseTo(expected, within(1e-3));
	}

	@Test
	void daysToQuotaIsZeroWhenAlreadyOverQuota() {
		List<SizePoint> samples = linear(START, 5 * 24, QUOTA + GIB, 10_000_000);

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.daysToQuota()).isZero();
	}

	@Test
	void flatDatabaseHasNoDaysToQuota() {
		List<SizePoint> samples = new ArrayList<>();
		for (int day = 0; day < 7; day++) {
			samples.add(new SizePoint(START.plus(day, ChronoUnit.DAYS).plus(23, ChronoUnit.HOURS), 1_500_000_000L));
		}

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.bytesPerDay()).isCloseTo(0.0, within(1e-6));
		assertThat(growth.daysToQuota()).isNull();
	}

	@Test
	void flatDatabaseSampledAtIrregularTimesHasNoDaysToQuota() {
		List<SizePoint> samples = new ArrayList<>();
		Instant anchor = Instant.parse("2026-03-03T10:37:00Z");
		for (Instant at = START; at.isBefore(anchor); at = at.plus(1, ChronoUnit.HOURS)) {
			samples.add(new SizePoint(at, 1_500_000_000L));
		}
		samples.add(new SizePoint(anchor, 1_500_000_000L));

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.points()).hasSize(3);
		assertThat(growth.daysToQuota()).isNull();
	}

	@Test
	void shrinkingDatabaseHasNegativeSlopeAndNoDaysToQuota() {
		List<SizePoint> samples = linear(START, 6 * 24, 6 * GIB, -80_000_000);

		EtcdGrowth growth = EtcdGrowth.of(samples, QUOTA);

		assertThat(growth.bytesPerDay()).isCloseTo(-80_000_000.0, withinPercentage(1e-6));
		assertThat(growth.daysToQuota()).isNull();
	}

	@Test
	void fewerThanTwoDailyPointsGiveNoForecast() {
		EtcdGrowth none = EtcdGrowth.of(List.of(), QUOTA);
		assertThat(none.points()).isEmpty();
		assertThat(none.bytesPerDay()).isNull();
		assertThat(none.daysToQuota()).isNull();

		SizePoint only = new SizePoint(START, GIB);
		EtcdGrowth single = EtcdGrowth.of(List.of(only), QUOTA);
		assertThat(single.points()).containsExactly(only);
		assertThat(single.bytesPerDay()).isNull();
		assertThat(single.daysToQuota()).isNull();

		// Many samples, all on one UTC day, steeply growing: still one point, no
		// forecast.
		EtcdGrowth oneDay = EtcdGrowth.of(linear(START, 24, GIB, 5_000_000_000L), QUOTA);
		assertThat(oneDay.points()).hasSize(1);
		assertThat(oneDay.points().get(0).at()).isEqualTo(START.plus(23, ChronoUnit.HOURS));
		assertThat(oneDay.bytesPerDay()).isNull();
		assertThat(oneDay.daysToQuota()).isNull();
	}

}
