package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many requests API Priority and Fairness rejected for one flow schema, priority
 * level and reason over a window, from the counter
 * apiserver_flowcontrol_rejected_requests_total.
 *
 * @param rejected the counter's increase between the first and last sample of the window
 * @param perSecond rejected / the seconds between those samples
 */
public record ApfRate(String flowSchema, String priorityLevel, String reason, double rejected, double perSecond) {

	/**
	 * The rates of every series over the samples of a window (the sample just before the
	 * window included, as the baseline). The counter appears only at a flow schema's
	 * first rejection, so a series missing from an earlier sample counted 0 there. A
	 * counter that goes down was reset (apiserver restart): the increase after a reset is
	 * its new value, as Prometheus' rate() counts it. Series that rejected nothing are
	 * left out; the largest increase comes first.
	 * @param sampleTimes every sample instant of the cluster in that span, with or
	 * without APF series
	 * @param counters the APF counters stored at those samples
	 */
	public static List<ApfRate> of(List<Instant> sampleTimes, List<ApfCounter> counters) {
		record Key(String flowSchema, String priorityLevel, String reason) {
		}
		final class Series {

			Instant firstAt;

			Instant lastAt;

			double lastTotal;

			double increase;

		}
		List<Instant> times = sampleTimes.stream().sorted().toList();
		Map<Key, Series> series = new LinkedHashMap<>();
		counters.stream().sorted(Comparator.comparing(ApfCounter::at)).forEach((c) -> {
			Key key = new Key(c.flowSchema(), c.priorityLevel(), c.reason());
			Series s = series.get(key);
			if (s == null) {
				s = new Series();
				series.put(key, s);
				Instant before = previous(times, c.at());
				if (before != null) {
					// Absent at the sample before: it rejected nothing until then.
					s.firstAt = before;
					s.increase = c.total();
				}
				else {
					s.firstAt = c.at();
				}
			}
			else {
				s.increase += (c.total() >= s.lastTotal) ? c.total() - s.lastTotal : c.total();
			}
			s.lastAt = c.at();
			s.lastTotal = c.total();
		});
		List<ApfRate> rates = new ArrayList<>();
		series.forEach((key, s) -> {
			double seconds = Duration.between(s.firstAt, s.lastAt).toMillis() / 1000.0;
			if (seconds > 0 && s.increase > 0) {
				rates.add(new ApfRate(key.flowSchema(), key.priorityLevel(), key.reason(), s.increase,
						s.increase / seconds));
			}
		});
		rates.sort(Comparator.comparing(ApfRate::rejected).reversed());
		return rates;
	}

	private static Instant previous(List<Instant> sortedTimes, Instant at) {
		Instant before = null;
		for (Instant t : sortedTimes) {
			if (!t.isBefore(at)) {
				break;
			}
			before = t;
		}
		return before;
	}

}
