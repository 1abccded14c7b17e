package dev.cpdoctor.analysis.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;

/**
 * Reads one etcd member's own /metrics (self-managed etcd only) into
 * {@link EtcdServerMetrics}: the families of {@link EtcdServerMetrics#FAMILIES}, each
 * absent one (older etcd, a filtered endpoint) left null.
 */
public final class EtcdMemberMetrics {

	/** The families to ask the Prometheus parser for. */
	public static final List<String> FAMILIES = EtcdServerMetrics.FAMILIES;

	private EtcdMemberMetrics() {
	}

	public static EtcdServerMetrics of(String endpoint, Collection<MetricSample> samples) {
		Map<String, Long> values = new HashMap<>();
		for (MetricSample sample : samples) {
			if (!Double.isNaN(sample.value()) && !Double.isInfinite(sample.value())) {
				values.put(sample.name(), (long) sample.value());
			}
		}
		return new EtcdServerMetrics(endpoint, values.get(EtcdServerMetrics.QUOTA),
				values.get(EtcdServerMetrics.DB_TOTAL), values.get(EtcdServerMetrics.DB_IN_USE),
				values.get(EtcdServerMetrics.CURRENT_REVISION), values.get(EtcdServerMetrics.COMPACT_REVISION));
	}

}
