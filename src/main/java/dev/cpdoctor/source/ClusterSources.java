package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
 * Routes each question to the source configured for the cluster; a cluster without one
 * gets a failed result that says what to configure, never an exception.
 */
public final class ClusterSources implements AuditAnalytics, WebhookSource {

	private static final Logger log = LoggerFactory.getLogger(ClusterSources.class);

	private final Map<String, AuditAnalytics> audit;

	private final Map<String, AuditAnalytics> documentedAudit;

	private final Map<String, QueryText> queryTexts;

	private final Map<String, WebhookSource> webhooks;

	private final Map<String, PlatformEtcdUsage> platformEtcdUsage;

	/**
	 * Webhooks of clusters without a source of their own (read from their apiserver);
	 * null for none.
	 */
	private final WebhookSource apiserverWebhooks;

	/**
	 * @param audit each cluster's audit source (the corrected form)
	 * @param documentedAudit the same questions as the AKS guide documents them, where a
	 * source has that form
	 * @param queryTexts the query behind each answer, where a source speaks a query
	 * language
	 */
	public ClusterSources(Map<String, AuditAnalytics> audit, Map<String, AuditAnalytics> documentedAudit,
			Map<String, QueryText> queryTexts, Map<String, WebhookSource> webhooks,
			Map<String, PlatformEtcdUsage> platformEtcdUsage) {
		this(audit, documentedAudit, queryTexts, webhooks, platformEtcdUsage, null);
	}

	/**
	 * @param apiserverWebhooks asked for the webhooks of every cluster not in
	 * {@code webhooks}; it answers for itself when a cluster has no apiserver access
	 */
	public ClusterSources(Map<String, AuditAnalytics> audit, Map<String, AuditAnalytics> documentedAudit,
			Map<String, QueryText> queryTexts, Map<String, WebhookSource> webhooks,
			Map<String, PlatformEtcdUsage> platformEtcdUsage, WebhookSource apiserverWebhooks) {
		this.apiserverWebhooks = apiserverWebhooks;
		this.audit = Map.copyOf(audit);
		this.documentedAudit = Map.copyOf(documentedAudit);
		this.queryTexts = Map.copyOf(queryTexts);
		this.webhooks = Map.copyOf(webhooks);
		this.platformEtcdUsage = Map.copyOf(platformEtcdUsage);
	}

	/**
	 * The cloud provider's own etcd usage metric of a cluster, where there is one (AKS).
	 */
	public java.util.Optional<PlatformEtcdUsage> platformEtcdUsage(Cluster cluster) {
		return java.util.Optional.ofNullable(this.platformEtcdUsage.get(cluster.name()));
	}

	/** These sources with the documented form where a cluster's source has one. */
	public ClusterSources inForm(boolean documented) {
		if (!documented || this.documentedAudit.isEmpty()) {
			return this;
		}
		Map<String, AuditAnalytics> merged = new java.util.HashMap<>(this.audit);
		merged.putAll(this.documentedAudit);
		return new ClusterSources(merged, Map.of(), this.queryTexts, this.webhooks, this.platformEtcdUsage,
				this.apiserverWebhooks);
	}

	public boolean hasDocumentedForm(Cluster cluster) {
		return this.documentedAudit.containsKey(cluster.name());
	}

	public java.util.Optional<QueryText> queryText(Cluster cluster) {
		return java.util.Optional.ofNullable(this.queryTexts.get(cluster.name()));
	}

	@Override
	public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
		AuditAnalytics source = this.audit.get(cluster.name());
		return (source != null) ? guarded(() -> source.topUserAgents(cluster, window, limit)) : noAuditSource(cluster);
	}

	@Override
	public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin, int topN) {
		AuditAnalytics source = this.audit.get(cluster.name());
		return (source != null) ? guarded(() -> source.latency(cluster, window, bin, topN)) : noAuditSource(cluster);
	}

	@Override
	public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
			String userAgent) {
		AuditAnalytics source = this.audit.get(cluster.name());
		return (source != null) ? guarded(() -> source.p99ByVerbAndResource(cluster, window, userAgent))
				: noAuditSource(cluster);
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		WebhookSource source = webhookSource(cluster);
		return (source != null) ? guarded(() -> source.webhooks(cluster)) : noWebhookSource(cluster);
	}

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		WebhookSource source = webhookSource(cluster);
		return (source != null) ? guarded(() -> source.failedCalls(cluster)) : noWebhookSource(cluster);
	}

	private WebhookSource webhookSource(Cluster cluster) {
		return this.webhooks.getOrDefault(cluster.name(), this.apiserverWebhooks);
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
