package dev.cpdoctor.analysis.metrics;

import java.util.Map;

/**
 * One sample line of the Prometheus text format.
 *
 * @param family the family it belongs to (a histogram's _bucket, _sum and _count lines
 * share it)
 * @param name the sample's own name, e.g. apiserver_request_duration_seconds_bucket
 * @param labels label names to unescaped values, in the order of the line
 * @param value the value; NaN and infinities as Java doubles
 * @param timestampMs the optional timestamp in ms since the epoch, null when absent
 */
public record MetricSample(String family, String name, Map<String, String> labels, double value, Long timestampMs) {

	public String label(String labelName) {
		return this.labels.get(labelName);
	}

}
