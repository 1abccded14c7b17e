package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Daily etcd size points and a least-squares linear forecast.
 *
 * @param points one point per UTC day: the last sample of that day
 * @param bytesPerDay the slope of the fitted line; null with fewer than two points
 * @param fittedBytesAtLast the fitted line's value at the last point, where the forecast
 * starts; null with fewer than two points
 * @param daysToQuota days from the last point until the fitted line crosses the quota; 0
 * when the last point is already at or over it; null when not growing
 */
public record EtcdGrowth(List<SizePoint> points, Double bytesPerDay, Double fittedBytesAtLast, Double daysToQuota) {

	/**
	 * A slope below this is "not growing": least squares on a constant leaves float dust.
	 */
	static final double MIN_GROWTH_BYTES_PER_DAY = 1.0;

	public record SizePoint(Instant at, long dbSizeBytes) {
	}

	public static EtcdGrowth of(List<SizePoint> samples, long quotaBytes) {
		Map<LocalDate, SizePoint> lastPerDay = new TreeMap<>();
		for (SizePoint sample : samples) {
			lastPerDay.merge(LocalDate.ofInstant(sample.at(), ZoneOffset.UTC), sample,
					(a, b) -> b.at().isAfter(a.at()) ? b : a);
		}
		List<SizePoint> points = List.copyOf(lastPerDay.values());
		if (points.size() < 2) {
			return new EtcdGrowth(points, null, null, null);
		}
		Instant origin = points.get(0).at();
		double n = points.size();
		double sumX = 0;
		double sumY = 0;
		double sumXY = 0;
		double sumXX = 0;
		for (SizePoint p : points) {
			double x = days(origin, p.at());
			double y = p.dbSizeBytes();
			sumX += x;
			sumY += y;
			sumXY += x * y;
			sumXX += x * x;
		}
		double denominator = n * sumXX - sumX * sumX;
		if (denominator == 0) {
			return new EtcdGrowth(points, null, null, null);
		}
		double slope = (n * sumXY - sumX * sumY) / denominator;
		double intercept = (sumY - slope * sumX) / n;
		SizePoint last = points.get(points.size() - 1);
		double fittedAtLast = intercept + slope * days(origin, last.at());
		Double daysToQuota = null;
		if (last.dbSizeBytes() >= quotaBytes) {
			daysToQuota = 0.0;
		}
		// Under a byte a day is rounding noise of a flat DB, not growth.
		else if (slope >= MIN_GROWTH_BYTES_PER_DAY) {
			daysToQuota = Math.max(0.0, (quotaBytes - fittedAtLast) / slope);
		}
		return new EtcdGrowth(points, slope, fittedAtLast, daysToQuota);
	}

	/**
	 * How much the DB grew over the last {@code span} of daily points: the last point
	 * minus the newest point at least {@code span} older; null when the history is
	 * shorter.
	 */
	public Long changeOver(Duration span) {
		if (this.points.isEmpty()) {
			return null;
		}
		SizePoint last = this.points.get(this.points.size() - 1);
		Instant cutoff = last.at().minus(span);
		SizePoint before = null;
		for (SizePoint p : this.points) {
			if (!p.at().isAfter(cutoff)) {
				before = p;
			}
		}
		return (before != null) ? last.dbSizeBytes() - before.dbSizeBytes() : null;
	}

	private static double days(Instant origin, Instant at) {
		return Duration.between(origin, at).toMillis() / 86_400_000.0;
	}

}
