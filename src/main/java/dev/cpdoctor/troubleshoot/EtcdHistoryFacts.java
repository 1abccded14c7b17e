package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.ResourceGrowth;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceResult;

/**
 * What stored history says of a cluster's etcd: the newest sample, the size against the
 * quota, the growth, the APF rejections. Cause 2 reads them, and so do the overview and
 * etcd pages and the etcd JSON. Every answer of the pages' methods is a value: a history
 * that cannot be read says so.
 */
public final class EtcdHistoryFacts {

	/** How far back the growth chart looks from the end of the window. */
	public static final Duration GROWTH_SPAN = Duration.ofDays(28);

	/** The "change" column of the objects table compares with this long ago. */
	public static final Duration CHANGE_SPAN = Duration.ofDays(7);

	private final EtcdHistory history;

	private final PlatformEtcdUsage platform;

	/**
	 * @param platform the provider's own etcd usage metric (AKS), for clusters whose
	 * apiserver gives no current sample; a failure for clusters without one
	 */
	public EtcdHistoryFacts(EtcdHistory history, PlatformEtcdUsage platform) {
		this.history = history;
		this.platform = platform;
	}

	/**
	 * The newest sample at the end of the window: what the gauge and object table show.
	 */
	public SourceResult<EtcdSample> latest(Cluster cluster, TimeWindow window) {
		try {
			Optional<EtcdSample> sample = this.history.latestAtOrBefore(cluster.name(), window.to());
			return sample
				.map((s) -> SourceResult.ok(s,
						s.at().isBefore(window.from()) ? List.of("The newest etcd sample is from " + s.at()
								+ ", before this window: it may be out of date") : List.<String>of()))
				.orElseGet(() -> SourceResult.failed("No etcd sample of cluster '" + cluster.name() + "' at or before "
						+ window.to() + ". Samples come from the apiserver's /metrics or an uploaded dump."));
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

	/**
	 * The gauge: from the apiserver's newest sample; when there is none for the window
	 * (the apiserver cannot be reached, or is too old), from the provider's platform
	 * metric where there is one (AKS etcd_database_usage_percentage).
	 */
	public SourceResult<EtcdUsage> usage(Cluster cluster, SourceResult<EtcdSample> latest, TimeWindow window) {
		SourceResult<EtcdUsage> fromApiserver = usage(cluster, latest);
		if (fromApiserver.ok() && fromApiserver.warnings().isEmpty()) {
			return fromApiserver;
		}
		SourceResult<PlatformEtcdUsage.Usage> metric = this.platform.latest(cluster, window);
		if (!(metric instanceof SourceResult.Ok<PlatformEtcdUsage.Usage> ok)) {
			return fromApiserver;
		}
		long quota = cluster.etcdQuota().toBytes();
		double fraction = Math.max(0, ok.value().percent()) / 100.0;
		return SourceResult.ok(EtcdUsage.of(ok.value().metric(), Math.round(fraction * quota), quota, ok.value().at()),
				List.of("From the platform metric: the apiserver's /metrics gave no current sample ("
						+ (fromApiserver.ok() ? "the newest is older than the window" : fromApiserver.error()) + ")"));
	}

	public SourceResult<EtcdUsage> usage(Cluster cluster, SourceResult<EtcdSample> latest) {
		if (!latest.ok()) {
			return SourceResult.failed(latest.error());
		}
		EtcdSample sample = latest.value();
		if (sample.dbSizeBytes() == null) {
			return SourceResult.failed("The cluster serves no etcd DB size metric (" + sample.sizeMetric() + ")");
		}
		return SourceResult.ok(
				EtcdUsage.of(sample.sizeMetric(), sample.dbSizeBytes(), cluster.etcdQuota().toBytes(), sample.at()),
				latest.warnings());
	}

	/**
	 * How each resource changed between the sample a week before the window's end and the
	 * latest.
	 */
	public SourceResult<List<ResourceGrowth>> weekChange(Cluster cluster, SourceResult<EtcdSample> latest) {
		if (!latest.ok()) {
			return SourceResult.failed(latest.error());
		}
		try {
			Optional<EtcdSample> weekAgo = this.history.latestAtOrBefore(cluster.name(),
					latest.value().at().minus(CHANGE_SPAN));
			return weekAgo.map((then) -> SourceResult.ok(ResourceGrowth.between(then, latest.value())))
				.orElseGet(() -> SourceResult.failed("No sample " + CHANGE_SPAN.toDays() + " days before "
						+ latest.value().at() + " to compare with"));
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

	/**
	 * Requests API Priority and Fairness rejected in the window, per flow schema,
	 * priority level and reason.
	 */
	public SourceResult<List<ApfRate>> apfRejections(Cluster cluster, TimeWindow window) {
		try {
			return SourceResult.ok(this.history.apfRates(cluster.name(), window));
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("Could not read APF history: " + ex.getMessage());
		}
	}

	/**
	 * The etcd members and size estimates stored with the latest sample: extras of the
	 * etcd page, empty when the sample had none or they cannot be read (the page still
	 * renders).
	 */
	public List<EtcdMember> members(Cluster cluster, SourceResult<EtcdSample> latest) {
		try {
			return latest.ok() ? this.history.members(cluster.name(), latest.value().at()) : List.of();
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	public Map<String, Long> sizeEstimates(Cluster cluster, SourceResult<EtcdSample> latest) {
		try {
			return latest.ok() ? this.history.sizeEstimates(cluster.name(), latest.value().at()) : Map.of();
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	/**
	 * The growth chart's span: 4 weeks, or the window when it is longer (e.g. "last 90
	 * d").
	 */
	public static Duration growthSpan(TimeWindow window) {
		return (window.length().compareTo(GROWTH_SPAN) > 0) ? window.length() : GROWTH_SPAN;
	}

	public SourceResult<EtcdGrowth> growth(Cluster cluster, TimeWindow window) {
		try {
			TimeWindow span = new TimeWindow(window.to().minus(growthSpan(window)), window.to().plusSeconds(1));
			EtcdGrowth growth = EtcdGrowth.of(this.history.sizes(cluster.name(), span), cluster.etcdQuota().toBytes());
			if (growth.points().isEmpty()) {
				return SourceResult.failed(
						"No etcd size history in the " + growthSpan(window).toDays() + " days before " + window.to());
			}
			return SourceResult.ok(growth);
		}
		catch (RuntimeException ex) {
			return SourceResult.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

	/**
	 * The newest sample at or before an instant, read as it is (the JSON API answers a
	 * history that cannot be read with an error status).
	 */
	public Optional<EtcdSample> sampleAt(Cluster cluster, Instant at) {
		return this.history.latestAtOrBefore(cluster.name(), at);
	}

	/**
	 * The DB size over exactly the window, and how each resource's count changed from its
	 * first sample to its last; read as it is, for the JSON API.
	 */
	public WindowGrowth growthWithin(Cluster cluster, TimeWindow window) {
		EtcdGrowth growth = EtcdGrowth.of(this.history.sizes(cluster.name(), window), cluster.etcdQuota().toBytes());
		List<ResourceGrowth> resources = this.history.earliestAtOrAfter(cluster.name(), window.from())
			.filter((first) -> first.at().isBefore(window.to()))
			.flatMap((first) -> this.history.latestAtOrBefore(cluster.name(), window.to().minusNanos(1))
				.map((last) -> ResourceGrowth.between(first, last)))
			.orElse(List.of());
		return new WindowGrowth(growth, resources);
	}

	/** The DB size over a window, and each resource's change within it. */
	public record WindowGrowth(EtcdGrowth growth, List<ResourceGrowth> resources) {
	}

}
