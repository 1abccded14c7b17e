package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;

/**
 * The three questions of the high-latency checklist, for one cluster. One interface,
 * several implementations: Log Analytics (KQL), audit webhook and log files (rollups),
 * the demo.
 */
public interface AuditAnalytics {

	SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit);

	SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN);

	SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window, String userAgent);

}
