package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.support.BoundedInputStream;

/**
 * Stores uploaded /metrics dumps as etcd samples, through the same parser and store as
 * the scrape; an unconfigured name becomes an offline cluster that stays after a restart.
 */
public final class MetricsDumpUpload implements MetricsUpload {

	/** A dump may carry an 'at' slightly ahead of our clock. */
	static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

	private final ClusterCatalog catalog;

	private final EtcdHistory history;

	private final DataSize maxUpload;

	private final Clock clock;

	public MetricsDumpUpload(ClusterCatalog catalog, EtcdHistory history, DataSize maxUpload, Clock clock) {
		this.catalog = catalog;
		this.history = history;
		this.maxUpload = maxUpload;
		this.clock = clock;
	}

	@Override
	public Upload upload(String name, Instant at, InputStream body) throws IOException {
		Instant now = this.clock.instant();
		Instant sampledAt = (at != null) ? at : now;
		if (sampledAt.isAfter(now.plus(CLOCK_SKEW))) {
			return refused(Refusal.INVALID,
					"'at' is in the future (" + sampledAt + "); give the instant the dump was taken");
		}
		Cluster known = this.catalog.find(name).orElse(null);
		if (known != null && known.isDemo()) {
			return refused(Refusal.DEMO, "'" + name + "' is the built-in demo; upload under another cluster name");
		}
		if (known == null) {
			try {
				Cluster.requireValidName(name);
			}
			catch (IllegalArgumentException ex) {
				return refused(Refusal.INVALID, ex.getMessage());
			}
		}
		ApiserverSnapshot snapshot;
		try (InputStream bounded = new BoundedInputStream(body, this.maxUpload.toBytes())) {
			snapshot = ApiserverSnapshot.parse(bounded);
		}
		catch (BoundedInputStream.LimitExceededException ex) {
			return refused(Refusal.TOO_LARGE, "The body is larger than " + this.maxUpload
					+ " (cpdoctor.apiserver.max-upload); nothing was stored");
		}
		if (!snapshot.report().looksLikePrometheusText()) {
			return refused(Refusal.INVALID,
					"The body is not Prometheus text (" + snapshot.report().samples() + " sample lines, "
							+ snapshot.report().malformedCount() + " malformed: " + snapshot.report().malformed()
							+ "). Send the output of: kubectl get --raw /metrics");
		}
		if (snapshot.sizeMetric() == null && snapshot.objects().isEmpty()) {
			return refused(Refusal.INVALID,
					"The body holds neither an etcd size family (" + ApiserverSnapshot.SIZE_FAMILIES
							+ ") nor object counts (" + ApiserverSnapshot.OBJECT_FAMILIES
							+ "): is it the apiserver's /metrics?");
		}
		Cluster cluster = (known != null) ? known : this.catalog.offline(name);
		this.history.saveScrape(cluster.name(), sampledAt, snapshot);
		return new Upload.Stored(cluster, sampledAt, snapshot);
	}

	private static Upload refused(Refusal refusal, String message) {
		return new Upload.Refused(refusal, message);
	}

}
