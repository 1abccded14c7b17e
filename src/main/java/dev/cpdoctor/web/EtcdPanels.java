package dev.cpdoctor.web;

import java.time.Duration;
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
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceResult;

/** The etcd panels of the overview and etcd pages, read from stored history. */
final class EtcdPanels {

	/** How far back the growth chart looks from the end of the window. */
	static final Duration GROWTH_SPAN = Duration.ofDays(28);

	/** The "change" column of the objects table compares with this long ago. */
	static final Duration CHANGE_SPAN = Duration.ofDays(7);

	private final EtcdHistory history;

	private final ClusterSources sources;

	EtcdPanels(EtcdHistory history, ClusterSources sources) {
		this.history = history;
		this.sources = sources;
	}

	/**
	 * The newest sample at the end of the window: what the gauge and object table show.
	 */
	Panel<EtcdSample> latest(Cluster cluster, TimeWindow window) {
		try {
			Optional<EtcdSample> sample = this.history.latestAtOrBefore(cluster.name(), window.to());
			return sample
				.map((s) -> new Panel<>(s, null,
						s.at().isBefore(window.from()) ? List.of("The newest etcd sample is from " + s.at()
								+ ", before this window: it may be out of date") : List.<String>of()))
				.orElseGet(() -> Panel.failed("No etcd sample of cluster '" + cluster.name() + "' at or before "
						+ window.to() + ". Samples come from the apiserver's /metrics or an uploaded dump."));
		}
		catch (RuntimeException ex) {
			return Panel.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

	/**
	 * The gauge: from the apiserver's newest sample; when there is none for the window
	 * (the apiserver cannot be reached, or is too old), from the provider's platform
	 * metric where there is one (AKS etcd_database_usage_percentage).
	 */
	Panel<EtcdUsage> usage(Cluster cluster, Panel<EtcdSample> latest, TimeWindow window) {
		Panel<EtcdUsage> fromApiserver = usage(cluster, latest);
		if (fromApiserver.ok() && fromApiserver.warnings().isEmpty()) {
			return fromApiserver;
		}
		Optional<PlatformEtcdUsage> platform = this.sources.platformEtcdUsage(cluster);
		if (platform.isEmpty()) {
			return fromApiserver;
		}
		SourceResult<PlatformEtcdUsage.Usage> metric = platform.get().latest(cluster, window);
		if (!(metric instanceof SourceResult.Ok<PlatformEtcdUsage.Usage> ok)) {
			return fromApiserver;
		}
		long quota = cluster.etcdQuota().toBytes();
		double fraction = Math.max(0, ok.value().percent()) / 100.0;
		return new Panel<>(EtcdUsage.of(ok.value().metric(), Math.round(fraction * quota), quota, ok.value().at()),
				null, List.of("From the platform metric: the apiserver's /metrics gave no current sample ("
						+ (fromApiserver.ok() ? "the newest is older than the window" : fromApiserver.error()) + ")"));
	}

	Panel<EtcdUsage> usage(Cluster cluster, Panel<EtcdSample> latest) {
		if (!latest.ok()) {
			return Panel.failed(latest.error());
		}
		EtcdSample sample = latest.value();
		if (sample.dbSizeBytes() == null) {
			return Panel.failed("The cluster serves no etcd DB size metric (" + sample.sizeMetric() + ")");
		}
		return new Panel<>(
				EtcdUsage.of(sample.sizeMetric(), sample.dbSizeBytes(), cluster.etcdQuota().toBytes(), sample.at()),
				null, latest.warnings());
	}

	/**
	 * How each resource changed between the sample a week before the window's end and the
	 * latest.
	 */
	Panel<List<ResourceGrowth>> weekChange(Cluster cluster, Panel<EtcdSample> latest) {
		if (!latest.ok()) {
			return Panel.failed(latest.error());
		}
		try {
			Optional<EtcdSample> weekAgo = this.history.latestAtOrBefore(cluster.name(),
					latest.value().at().minus(CHANGE_SPAN));
			return weekAgo
				.map((then) -> new Panel<>(ResourceGrowth.between(then, latest.value()), null, List.<String>of()))
				.orElseGet(() -> Panel.failed("No sample " + CHANGE_SPAN.toDays() + " days before "
						+ latest.value().at() + " to compare with"));
		}
		catch (RuntimeException ex) {
			return Panel.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

	/**
	 * Requests API Priority and Fairness rejected in the window, per flow schema,
	 * priority level and reason.
	 */
	Panel<List<ApfRate>> apfRejections(Cluster cluster, TimeWindow window) {
		try {
			return new Panel<>(this.history.apfRates(cluster.name(), window), null, List.of());
		}
		catch (RuntimeException ex) {
			return Panel.failed("Could not read APF history: " + ex.getMessage());
		}
	}

	/**
	 * The etcd members and size estimates stored with the latest sample: extras of the
	 * etcd page, empty when the sample had none or they cannot be read (the page still
	 * renders).
	 */
	List<EtcdMember> members(Cluster cluster, Panel<EtcdSample> latest) {
		try {
			return latest.ok() ? this.history.members(cluster.name(), latest.value().at()) : List.of();
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	Map<String, Long> sizeEstimates(Cluster cluster, Panel<EtcdSample> latest) {
		try {
			return latest.ok() ? this.history.sizeEstimates(cluster.name(), latest.value().at()) : Map.of();
		}
		catch (RuntimeException ex) {
			return Map.of();
		}
	}

	/** The overview's card of every cluster: its latest usage, or why there is none. */
	List<ClusterCard> cards(List<Cluster> clusters, TimeWindow window) {
		return clusters.stream()
			.map((cluster) -> new ClusterCard(cluster, usage(cluster, latest(cluster, window), window)))
			.toList();
	}

	record ClusterCard(Cluster cluster, Panel<EtcdUsage> usage) {
	}

	/**
	 * The growth chart's span: 4 weeks, or the window when it is longer (e.g. "last 90
	 * d").
	 */
	static Duration growthSpan(TimeWindow window) {
		return (window.length().compareTo(GROWTH_SPAN) > 0) ? window.length() : GROWTH_SPAN;
	}

	Panel<EtcdGrowth> growth(Cluster cluster, TimeWindow window) {
		try {
			TimeWindow span = new TimeWindow(window.to().minus(growthSpan(window)), window.to().plusSeconds(1));
			EtcdGrowth growth = EtcdGrowth.of(this.history.sizes(cluster.name(), span), cluster.etcdQuota().toBytes());
			if (growth.points().isEmpty()) {
				return Panel.failed(
						"No etcd size history in the " + growthSpan(window).toDays() + " days before " + window.to());
			}
			return new Panel<>(growth, null, List.of());
		}
		catch (RuntimeException ex) {
			return Panel.failed("Could not read etcd history: " + ex.getMessage());
		}
	}

}
