package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many requests API Priority and Fairness rejected for one flow schema, priority level and
 * reason over a window, from the counter apiserver_flowcontrol_rejected_requests_total.
 *
 * @param rejected the counter's increase between the first and last sample of the window
 * @param perSecond rejected / the seconds between those samples
 */
public record ApfRate(String flowSchema, String priorityLevel, String reason, double rejected, double perSecond) {

	/**
	 * The rates of every series seen at least twice. A counter that goes down was reset (apiserver
	 * restart): the increase after a reset is its new value, as Prometheus' rate() counts it.
	 * Series that rejected nothing are left out; the largest increase comes first.
	 */
	public static List<ApfRate> of(List<ApfCounter> counters) {
		record Key(String flowSchema, String priorityLevel, String reason) {
		}
		final class Series {

			ApfCounter first;

			ApfCounter last;

			double increase;

		}
		Map<Key, Series> series = new LinkedHashMap<>();
		counters.stream().sorted(Comparator.comparing(ApfCounter::at)).forEach((c) -> {
			Series s = series.computeIfAbsent(new Key(c.flowSchema(), c.priorityLevel(), c.reason()), (k) -> new Series());
			if (s.first == null) {
				s.first = c;
			}
			else {
				s.increase += (c.total() >= s.last.total()) ? c.total() - s.last.total() : c.total();
			}
			s.last = c;
		});
		List<ApfRate> rates = new ArrayList<>();
		series.forEach((key, s) -> {
			double seconds = Duration.between(s.first.at(), s.last.at()).toMillis() / 1000.0;
			if (seconds > 0 && s.increase > 0) {
				rates.add(new ApfRate(key.flowSchema(), key.priorityLevel(), key.reason(), s.increase, s.increase / seconds));
			}
		});
		rates.sort(Comparator.comparing(ApfRate::rejected).reversed());
		return rates;
	}

}
