package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;

/**
 * Routes each question to the source that answers for the cluster ({@link ClusterRoute});
 * a cluster without one gets a failed result that says what to configure, never an
 * exception.
 */
public final class ClusterSources implements AuditAnalytics, WebhookSource, PlatformEtcdUsage {

	private static final Logger log = LoggerFactory.getLogger(ClusterSources.class);

	private final List<ClusterRoute<AuditSources>> audit;

	private final List<ClusterRoute<WebhookSource>> webhooks;

	private final List<ClusterRoute<PlatformEtcdUsage>> platform;

	private final boolean documented;

	/**
	 * @param audit each cluster's audit source
	 * @param webhooks each cluster's webhook source (the apiserver's for any cluster)
	 * @param platform the cloud provider's etcd usage metric, where a cluster has one
	 */
	public ClusterSources(List<ClusterRoute<AuditSources>> audit, List<ClusterRoute<WebhookSource>> webhooks,
			List<ClusterRoute<PlatformEtcdUsage>> platform) {
		this(audit, webhooks, platform, false);
	}

	private ClusterSources(List<ClusterRoute<AuditSources>> audit, List<ClusterRoute<WebhookSource>> webhooks,
			List<ClusterRoute<PlatformEtcdUsage>> platform, boolean documented) {
		this.audit = List.copyOf(audit);
		this.webhooks = List.copyOf(webhooks);
		this.platform = List.copyOf(platform);
		this.documented = documented;
	}

	/** The provider's etcd usage metric; a failure for clusters without one. */
	@Override
	public SourceResult<PlatformEtcdUsage.Usage> latest(Cluster cluster, TimeWindow window) {
		return ClusterRoute.find(this.platform, cluster)
			.map((source) -> guarded(() -> source.latest(cluster, window)))
			.orElseGet(() -> SourceResult.failed("Cluster '" + cluster.name() + "' has no platform etcd usage metric"
					+ " (AKS clusters with cpdoctor.clusters[].azure.resource-id have one)"));
	}

	/** These sources with the documented form where a cluster's source has one. */
	public ClusterSources inForm(boolean documented) {
		return (documented == this.documented) ? this
				: new ClusterSources(this.audit, this.webhooks, this.platform, documented);
	}

	public boolean hasDocumentedForm(Cluster cluster) {
		return ClusterRoute.find(this.audit, cluster).map((sources) -> sources.documented() != null).orElse(false);
	}

	public Optional<QueryText> queryText(Cluster cluster) {
		return ClusterRoute.find(this.audit, cluster).map(AuditSources::queryText);
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		AuditAnalytics source = auditSource(cluster);
		return (source != null) ? guarded(() -> source.topUserAgents(cluster, window, limit)) : noAuditSource(cluster);
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		AuditAnalytics source = auditSource(cluster);
		return (source != null) ? guarded(() -> source.latency(cluster, window, bin, topN)) : noAuditSource(cluster);
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		AuditAnalytics source = auditSource(cluster);
		return (source != null) ? guarded(() -> source.p99ByVerbAndResource(cluster, window, userAgent))
				: noAuditSource(cluster);
	}

	private AuditAnalytics auditSource(Cluster cluster) {
		return ClusterRoute.find(this.audit, cluster)
			.map((sources) -> (this.documented && sources.documented() != null) ? sources.documented()
					: sources.corrected())
			.orElse(null);
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		WebhookSource source = ClusterRoute.find(this.webhooks, cluster).orElse(null);
		return (source != null) ? guarded(() -> source.webhooks(cluster)) : noWebhookSource(cluster);
	}

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		WebhookSource source = ClusterRoute.find(this.webhooks, cluster).orElse(null);
		return (source != null) ? guarded(() -> source.failedCalls(cluster)) : noWebhookSource(cluster);
	}

	private static <T> SourceResult<T> noWebhookSource(Cluster cluster) {
		return SourceResult.failed("Webhook configurations of cluster '" + cluster.name()
				+ "' are not read yet: that needs apiserver access (" + cluster.access().describe() + ")");
	}

	/**
	 * A source that throws anyway still gives its panel a reason, never the page a 500.
	 */
	private static <T> SourceResult<T> guarded(Supplier<SourceResult<T>> call) {
		try {
			return call.get();
		}
		catch (RuntimeException ex) {
			log.warn("Source failed", ex);
			return SourceResult.failed("The source failed: " + ex.getClass().getSimpleName()
					+ ((ex.getMessage() != null) ? ": " + ex.getMessage() : ""));
		}
	}

	private static <T> SourceResult<T> noAuditSource(Cluster cluster) {
		return SourceResult.failed("No audit source is configured for cluster '" + cluster.name()
				+ "'. Audit analytics come from Log Analytics (AKS) or the audit webhook / audit log file (any cluster).");
	}

}
