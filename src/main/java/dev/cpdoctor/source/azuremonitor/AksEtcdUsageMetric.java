package dev.cpdoctor.source.azuremonitor;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.Context;
import com.azure.monitor.query.MetricsQueryClient;
import com.azure.monitor.query.models.AggregationType;
import com.azure.monitor.query.models.MetricResult;
import com.azure.monitor.query.models.MetricValue;
import com.azure.monitor.query.models.MetricsQueryOptions;
import com.azure.monitor.query.models.MetricsQueryResult;
import com.azure.monitor.query.models.QueryTimeInterval;
import com.azure.monitor.query.models.TimeSeriesElement;
import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceResult;

/**
 * The AKS platform metric etcd_database_usage_percentage of one managed cluster resource,
 * through the Azure Monitor metrics query client. Answers are cached for a minute: a page
 * view never costs more than one metrics call a minute per window.
 */
public final class AksEtcdUsageMetric implements PlatformEtcdUsage {

	public static final String METRIC = "etcd_database_usage_percentage";

	private static final Duration LOOK_BACK = Duration.ofHours(1);

	private final MetricsQueryClient client;

	private final String resourceId;

	/**
	 * Loaded outside the cache's map lock (a metrics call with retries can take seconds);
	 * one load per window.
	 */
	private final AsyncCache<TimeWindow, SourceResult<Usage>> cache = Caffeine.newBuilder()
		.maximumSize(1_000)
		.expireAfterWrite(Duration.ofMinutes(1))
		// Blocking HTTP calls: not on the common pool (one thread on two cores).
		.executor(Executors.newCachedThreadPool((runnable) -> {
			Thread thread = new Thread(runnable, "azure-metrics");
			thread.setDaemon(true);
			return thread;
		}))
		.buildAsync();

	public AksEtcdUsageMetric(MetricsQueryClient client, String resourceId) {
		this.client = client;
		this.resourceId = resourceId;
	}

	@Override
	public SourceResult<Usage> latest(Cluster cluster, TimeWindow window) {
		return this.cache.get(window, (w, executor) -> CompletableFuture.supplyAsync(() -> query(w), executor)).join();
	}

	private SourceResult<Usage> query(TimeWindow window) {
		OffsetDateTime end = OffsetDateTime.ofInstant(window.to(), ZoneOffset.UTC);
		MetricsQueryOptions options = new MetricsQueryOptions()
			.setTimeInterval(new QueryTimeInterval(end.minus(LOOK_BACK), end))
			.setGranularity(Duration.ofMinutes(5))
			.setAggregations(AggregationType.MAXIMUM, AggregationType.AVERAGE);
		try {
			MetricsQueryResult result = this.client
				// The SDK puts "/" between the endpoint and the resource id: without the
				// id's own leading slash the path is /subscriptions/..., not
				// //subscriptions/...
				.queryResourceWithResponse(this.resourceId.replaceFirst("^/+", ""), List.of(METRIC), options,
						Context.NONE)
				.getValue();
			MetricResult metric = result.getMetricByName(METRIC);
			if (metric == null || metric.getTimeSeries() == null) {
				return SourceResult.failed("Azure Monitor has no " + METRIC + " for " + this.resourceId);
			}
			MetricValue newest = null;
			for (TimeSeriesElement series : metric.getTimeSeries()) {
				for (MetricValue value : series.getValues()) {
					if (value(value) != null
							&& (newest == null || value.getTimeStamp().isAfter(newest.getTimeStamp()))) {
						newest = value;
					}
				}
			}
			if (newest == null) {
				return SourceResult
					.failed("Azure Monitor reported no " + METRIC + " value in the hour before " + window.to());
			}
			return SourceResult
				.ok(new Usage(newest.getTimeStamp().toInstant(), value(newest), METRIC + " (AKS platform metric)"));
		}
		catch (HttpResponseException ex) {
			int status = (ex.getResponse() != null) ? ex.getResponse().getStatusCode() : 0;
			return SourceResult.failed("Azure Monitor metrics: HTTP " + status
					+ ((status == 403) ? " (the identity needs Monitoring Reader on the cluster)" : "") + ": "
					+ SourceResult.firstLine(ex.getMessage()));
		}
		catch (RuntimeException ex) {
			return SourceResult
				.failed("Azure Monitor metrics failed: " + SourceResult.firstLine(String.valueOf(ex.getMessage())));
		}
	}

	/** The maximum of a bin, else its average. */
	private static Double value(MetricValue value) {
		return (value.getMaximum() != null) ? value.getMaximum() : value.getAverage();
	}

}
