package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one scrape told about etcd at one instant.
 *
 * @param at when it was sampled
 * @param sizeMetric the metric family the DB size came from, e.g.
 * apiserver_storage_size_bytes
 * @param dbSizeBytes the DB size, largest over members/endpoints; null when the cluster
 * serves none
 * @param objects object counts per resource
 */
public record EtcdSample(Instant at, String sizeMetric, Long dbSizeBytes, List<ObjectCount> objects) {

	public EtcdSample {
		Objects.requireNonNull(at, "at");
		objects = List.copyOf(objects);
		if (dbSizeBytes != null && dbSizeBytes < 0) {
			dbSizeBytes = null;
		}
	}

}
