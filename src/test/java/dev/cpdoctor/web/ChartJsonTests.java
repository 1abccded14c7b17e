package dev.cpdoctor.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.etcd.EtcdGrowth.SizePoint;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ChartJsonTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final long GIB = 1L << 30;

	private final ChartJson charts = new ChartJson(JSON);

	@Test
	void forecastLineMeetsTheQuotaWhereDaysToQuotaSays() {
		// Noisy, not exactly linear: the fitted line and the last real point differ.
		Instant start = Instant.parse("2026-10-01T12:00:00Z");
		long[] sizes = { 4_000, 4_300, 4_450, 4_900, 5_000, 5_600, 5_550, 6_100, 6_300, 6_200 };
		List<SizePoint> points = new ArrayList<>();
		for (int day = 0; day < sizes.length; day++) {
			points.add(new SizePoint(start.plus(day, ChronoUnit.DAYS), sizes[day] * GIB / 1000));
		}
		long quota = 8 * GIB;
		EtcdGrowth growth = EtcdGrowth.of(points, quota);
		assertThat(growth.fittedBytesAtLast()).isNotEqualTo((double) points.get(points.size() - 1).dbSizeBytes());

		JsonNode chart = JSON.readTree(this.charts.growth(growth, quota));
		JsonNode forecast = chart.get("forecast");
		long lastAt = points.get(points.size() - 1).at().toEpochMilli();
		assertThat(forecast.get(0).get(0).asLong()).isEqualTo(lastAt);
		assertThat(forecast.get(0).get(1).asDouble()).isCloseTo(growth.fittedBytesAtLast(), within(1.0));
		double days = (forecast.get(1).get(0).asLong() - lastAt) / 86_400_000.0;
		assertThat(days).isCloseTo(growth.daysToQuota(), within(1e-6));
		assertThat(forecast.get(1).get(1).asDouble()).isCloseTo(quota, within(2.0));
	}

	@Test
	void alreadyOverQuotaIsZeroDays() {
		Instant start = Instant.parse("2026-10-01T12:00:00Z");
		List<SizePoint> points = List.of(new SizePoint(start, 7 * GIB),
				new SizePoint(start.plus(1, ChronoUnit.DAYS), 7 * GIB + GIB / 2),
				new SizePoint(start.plus(2, ChronoUnit.DAYS), 9 * GIB));
		EtcdGrowth growth = EtcdGrowth.of(points, 8 * GIB);
		assertThat(growth.daysToQuota()).isZero();
	}

	@Test
	void latencySeriesFlagTheRestSoAClientCalledOtherIsNotGreyedOut() {
		var series = List.of(new UserAgentLatency("other", false, List.of(new LatencyPoint(Instant.EPOCH, 12.5, 3))),
				new UserAgentLatency("other", true, List.of(new LatencyPoint(Instant.EPOCH, null, 0))));
		JsonNode chart = JSON.readTree(this.charts.latency(series));
		assertThat(chart.get("series").get(0).get("others").asBoolean()).isFalse();
		assertThat(chart.get("series").get(1).get("others").asBoolean()).isTrue();
		assertThat(chart.get("series").get(0).get("points").get(0).get(1).asDouble()).isEqualTo(12.5);
		assertThat(chart.get("series").get(1).get("points").get(0).get(1).isNull()).isTrue();
	}

}
