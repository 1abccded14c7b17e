package dev.cpdoctor.source.auditlog;

import java.time.Duration;
import java.util.List;

import org.springframework.dao.DataAccessException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.SourceResult;

/**
 * The three questions for clusters whose audit events come by webhook or from a log file,
 * answered from the stored rollups with the same logic as in memory
 * ({@code AuditRollup}).
 */
public final class StoredAuditAnalytics implements AuditAnalytics {

	private final AuditRollupQueries queries;

	public StoredAuditAnalytics(AuditRollupQueries queries) {
		this.queries = queries;
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		return read(cluster, window,
				() -> this.queries.userAgentBins(cluster.name(), window, window.length()).topUserAgents(window, limit));
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		return read(cluster, window,
				() -> this.queries.userAgentBins(cluster.name(), window, bin).latencySeries(window, bin, topN));
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		return read(cluster, window, () -> this.queries.verbsAndResources(cluster.name(), window, userAgent)
			.p99ByVerbAndResource(window, userAgent));
	}

	private interface Read<T> {

		T get();

	}

	/**
	 * The answer, with a warning when the window holds no stored minute (so an empty
	 * panel says why).
	 */
	private <T> SourceResult<T> read(Cluster cluster, TimeWindow window, Read<T> read) {
		try {
			T answer = read.get();
			TimeWindow data = this.queries.coverage(cluster.name());
			if (data == null) {
				return new SourceResult.Ok<>(answer, List.of("No audit events of cluster '" + cluster.name()
						+ "' are stored yet: see the data-quality panel for what the webhook and the log file received"));
			}
			if (!window.to().isAfter(data.from()) || !window.from().isBefore(data.to())) {
				return new SourceResult.Ok<>(answer, List.of("Stored audit events of cluster '" + cluster.name()
						+ "' run from " + data.from() + " to " + data.to() + "; this window lies outside them"));
			}
			return SourceResult.ok(answer);
		}
		catch (DataAccessException ex) {
			return SourceResult.failed("The stored audit rollups could not be read: "
					+ SourceResult.firstLine(ex.getMostSpecificCause().getMessage()));
		}
	}

}
