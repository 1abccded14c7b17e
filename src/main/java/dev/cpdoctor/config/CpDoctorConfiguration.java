package dev.cpdoctor.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.history.AuditRollupStore;
import dev.cpdoctor.history.DemoAnchorStore;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.history.HistoryProperties;
import dev.cpdoctor.history.HistoryRetention;
import dev.cpdoctor.history.BufferedCallRecorder;
import dev.cpdoctor.history.OwnCallProperties;
import dev.cpdoctor.history.OwnCallStore;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.source.ApiserverNetworkEvidence;
import dev.cpdoctor.source.CachingApiserverProbes;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.demo.DemoNetworkEvidence;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.CachingAuditAnalytics;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.CachingAksGuardSource;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.CachingAksManagedClusterSource;
import dev.cpdoctor.source.CachingFlowcontrolVersions;
import dev.cpdoctor.source.CachingWebhookSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.ProbeNetworkEvidence;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.source.apiserver.ApiserverProperties;
import dev.cpdoctor.source.CachingEtcdDirectSource;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.RoutedEtcdDirectSource;
import dev.cpdoctor.source.demo.DemoEtcdDirectSource;
import dev.cpdoctor.source.etcd.EtcdProperties;
import dev.cpdoctor.source.etcd.JetcdEtcdDirectSource;
import dev.cpdoctor.source.auditlog.AuditIngestProperties;
import dev.cpdoctor.source.auditlog.AuditReceivers;
import dev.cpdoctor.source.auditlog.StoredAuditAnalytics;
import dev.cpdoctor.history.ApiserverSampler;
import dev.cpdoctor.source.apiserver.ApiserverSources;
import dev.cpdoctor.source.azure.AzureProperties;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.QueryText;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;
import dev.cpdoctor.source.loganalytics.LogAnalyticsAuditAnalytics;
import dev.cpdoctor.source.azure.AzureSources;
import dev.cpdoctor.source.demo.DemoAuditAnalytics;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;
import dev.cpdoctor.source.demo.DemoWebhookSource;
import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.web.DefaultWindows;
import dev.cpdoctor.web.KnownKubernetesVersions;

/** The domain beans, wired explicitly so that tests and the demo can swap any source. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ ClusterProperties.class, ApiserverProperties.class, HistoryProperties.class,
		OwnCallProperties.class, AuditIngestProperties.class, AzureProperties.class, EtcdProperties.class })
public class CpDoctorConfiguration {

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

	@Bean
	ClusterCatalog clusterCatalog(ClusterProperties properties, EtcdHistory history) {
		return ClusterCatalog.from(properties, history.clusters());
	}

	@Bean
	EtcdHistory etcdHistory(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new EtcdHistory(jdbc, jdbcTemplate, transactions);
	}

	/**
	 * Retention leaves alone the demo (a fixed scenario) and offline clusters (their
	 * uploads, of support bundles or air-gapped sites, are all the history they will ever
	 * have).
	 */
	@Bean
	HistoryRetention historyRetention(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions,
			HistoryProperties properties, ClusterCatalog catalog, OwnCallStore ownCalls,
			OwnCallProperties ownCallProperties, Clock clock) {
		return new HistoryRetention(jdbc, jdbcTemplate, transactions, properties,
				(name) -> catalog.find(name).map((c) -> c.isDemo() || c.provider() == Provider.OFFLINE).orElse(false),
				ownCalls, ownCallProperties.retention(), clock);
	}

	/** The dashboard's own calls to apiservers, one row each (cause 1's call history). */
	@Bean
	OwnCallStore ownCallStore(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new OwnCallStore(jdbcTemplate, transactions);
	}

	/**
	 * Every apiserver call is handed here as it ends; written in batches, never waited
	 * for.
	 */
	@Bean
	BufferedCallRecorder ownCallRecorder(OwnCallStore store, OwnCallProperties properties) {
		return new BufferedCallRecorder(store, properties);
	}

	@Bean
	AuditRollupStore auditRollupStore(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new AuditRollupStore(jdbcTemplate, transactions);
	}

	/** Audit webhooks and log files of clusters without Log Analytics (issue 5). */
	@Bean
	AuditReceivers auditReceivers(ClusterProperties clusters, AuditRollupStore store, AuditIngestProperties properties,
			Clock clock) {
		return new AuditReceivers(clusters, store, properties, clock);
	}

	@Bean
	DemoAnchorStore demoAnchorStore(JdbcClient jdbc) {
		return new DemoAnchorStore(jdbc);
	}

	@Bean
	@ConditionalOnProperty(name = "cpdoctor.demo.enabled", havingValue = "true", matchIfMissing = true)
	DemoData demoData(ClusterProperties properties, DemoAnchorStore anchors, EtcdHistory history,
			TransactionTemplate transactions, Clock clock) {
		return DemoData.load(properties.demo().seed(), ClusterCatalog.DEMO_NAME, anchors, history, transactions, clock);
	}

	/** The demo opens on its frozen incident; every other cluster on the last hour. */
	@Bean
	DefaultWindows defaultWindows(ObjectProvider<DemoData> demo) {
		return (cluster) -> cluster.isDemo()
				? Optional.ofNullable(demo.getIfAvailable()).map((data) -> data.scenario().incidentWindow())
				: Optional.empty();
	}

	/**
	 * Each cluster's sources. Webhooks: the demo's scenario for the demo; for every other
	 * cluster read from its apiserver on demand, cached, and only of clusters the scraper
	 * may call too.
	 */
	@Bean
	ClusterSources clusterSources(ObjectProvider<DemoData> demo, ClusterProperties clusters, AzureSources logAnalytics,
			AuditRollupStore auditStore, ApiserverSources apiserver, ApiserverProperties apiserverProperties,
			Clock clock) {
		Map<String, AuditAnalytics> audit = new LinkedHashMap<>();
		Map<String, AuditAnalytics> documented = new LinkedHashMap<>();
		Map<String, QueryText> queryTexts = new LinkedHashMap<>();
		Map<String, WebhookSource> webhooks = new LinkedHashMap<>();
		Map<String, PlatformEtcdUsage> platform = new LinkedHashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.provider() == Provider.AKS && entry.azure() != null && entry.azure().resourceId() != null) {
				platform.put(entry.name(), logAnalytics.etcdUsageMetric(entry.azure().resourceId()));
			}
			ClusterProperties.LogAnalytics la = entry.logAnalytics();
			boolean hasLogAnalytics = la != null && la.workspaceId() != null && !la.workspaceId().isBlank();
			if (entry.audit() != null && entry.audit().configured()) {
				if (hasLogAnalytics) {
					throw new IllegalStateException(
							"Cluster '" + entry.name() + "' has both cpdoctor.clusters[].log-analytics"
									+ " and cpdoctor.clusters[].audit: choose one audit source");
				}
				audit.put(entry.name(), new StoredAuditAnalytics(auditStore));
			}
			if (hasLogAnalytics) {
				TableMode mode = switch (la.tableMode()) {
					case AKS_AUDIT -> TableMode.AKS_AUDIT;
					case AZURE_DIAGNOSTICS -> TableMode.AZURE_DIAGNOSTICS;
					case AUTO -> null;
				};
				String resourceId = (entry.azure() != null) ? entry.azure().resourceId() : null;
				// KQL costs money and workspace capacity: cached, and concurrent
				// identical questions share one query.
				LogAnalyticsAuditAnalytics corrected = logAnalytics.audit(la.workspaceId(), la.endpoint(), mode,
						resourceId, Form.CORRECTED);
				audit.put(entry.name(),
						new CachingAuditAnalytics(corrected, CachingAuditAnalytics.Ttl.defaults(), 10_000, clock));
				documented.put(entry.name(), new CachingAuditAnalytics(corrected.inForm(Form.DOCUMENTED),
						CachingAuditAnalytics.Ttl.defaults(), 10_000, clock));
				queryTexts.put(entry.name(), corrected);
			}
		}
		demo.ifAvailable((data) -> {
			audit.put(ClusterCatalog.DEMO_NAME, new DemoAuditAnalytics(data));
			webhooks.put(ClusterCatalog.DEMO_NAME, new DemoWebhookSource(data.scenario()));
		});
		WebhookSource apiserverWebhooks = new CachingWebhookSource(apiserver.webhooks(mayCall(apiserverProperties)),
				CachingWebhookSource.Ttl.defaults());
		return new ClusterSources(audit, documented, queryTexts, webhooks, platform, apiserverWebhooks);
	}

	/**
	 * Self-managed clusters' etcd, read directly (cpdoctor.clusters[].etcd): status
	 * cached briefly, the keyspace scan kept until someone asks for a new one. Clients
	 * are made on first use, so start-up never calls etcd; they are closed with the
	 * context.
	 */
	@Bean
	EtcdDirectSource etcdDirectSource(ObjectProvider<DemoData> demo, ClusterProperties clusters,
			EtcdProperties properties, Clock clock) {
		CachingEtcdDirectSource direct = new CachingEtcdDirectSource(
				new JetcdEtcdDirectSource(JetcdEtcdDirectSource.configured(clusters), properties, clock),
				CachingEtcdDirectSource.Ttl.of(properties.statusTtl()));
		DemoData data = demo.getIfAvailable();
		// the demo's etcd is its scenario's, through the same records and analysis
		return (data == null) ? direct
				: new RoutedEtcdDirectSource(Cluster::isDemo, new DemoEtcdDirectSource(data.scenario()), direct);
	}

	/**
	 * The Azure clients, sharing one credential (nothing calls Azure until a page asks).
	 */
	@Bean
	AzureSources azureSources(AzureProperties azure) {
		return new AzureSources(azure);
	}

	/**
	 * The managed cluster resource of AKS clusters with
	 * cpdoctor.clusters[].azure.resource-id (its SKU tier for cause 3), read from Azure
	 * Resource Manager on demand, kept ten minutes (a failure one).
	 */
	@Bean
	AksManagedClusterSource aksManagedClusterSource(AzureSources azure, ClusterProperties clusters) {
		Map<String, String> resourceIds = new LinkedHashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.provider() == Provider.AKS && entry.azure() != null && entry.azure().resourceId() != null) {
				resourceIds.put(entry.name(), entry.azure().resourceId());
			}
		}
		return new CachingAksManagedClusterSource(azure.managedClusters(resourceIds),
				CachingAksManagedClusterSource.Ttl.defaults());
	}

	/**
	 * One Kubernetes client per cluster, shared by the scraper, the probes, the LISTs and
	 * API discovery; each client records every call it makes.
	 */
	@Bean
	ApiserverSources apiserverSources(ClusterProperties clusters, ApiserverProperties properties,
			ObjectProvider<BuildProperties> build, BufferedCallRecorder recorder, Clock clock) {
		BuildProperties info = build.getIfAvailable();
		String userAgent = "control-plane-doctor/" + ((info != null) ? info.getVersion() : "dev");
		return new ApiserverSources(clusters.kubeconfig().files(), properties, userAgent, recorder, clock);
	}

	@Bean
	ApiserverSampler apiserverScrapeScheduler(ClusterCatalog catalog, ApiserverSources sources,
			ApiserverProperties properties, EtcdHistory history) {
		return new ApiserverSampler(catalog, sources.scraper(), history, properties);
	}

	/**
	 * Which flowcontrol versions a cluster serves, asked on demand (a remedy is
	 * generated) and cached; only of clusters the scraper may call too.
	 */
	@Bean
	FlowcontrolVersions flowcontrolVersions(ApiserverSources sources, ApiserverProperties properties) {
		return new CachingFlowcontrolVersions(sources.flowcontrolVersions(mayCall(properties)),
				CachingFlowcontrolVersions.Ttl.defaults());
	}

	/**
	 * The aks-managed-apiserver-guard FlowSchema, read on demand (cause 3 of an AKS
	 * cluster) and cached a minute; only of clusters the scraper may call too.
	 */
	@Bean
	AksGuardSource aksGuardSource(ApiserverSources sources, ApiserverProperties properties,
			FlowcontrolVersions flowcontrolVersions) {
		return new CachingAksGuardSource(sources.aksGuard(flowcontrolVersions, mayCall(properties)),
				CachingAksGuardSource.Ttl.defaults());
	}

	/**
	 * Cause 1 (network) evidence. The demo: its fixed healthy values. Other clusters:
	 * their apiserver's probes (asked on demand, cached 15 s, only of clusters the
	 * scraper may call too), the recorded own calls of the window (the newest read-limit
	 * of them), and the kubectl-aks check from cpdoctor.clusters[].azure.resource-id.
	 */
	@Bean
	NetworkEvidenceSource networkEvidenceSource(ObjectProvider<DemoData> demo, ClusterProperties clusters,
			ApiserverSources sources, ApiserverProperties properties, ApiserverSampler sampler, OwnCallStore ownCalls,
			OwnCallProperties ownCallProperties) {
		Map<String, String> aksResourceIds = new LinkedHashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.azure() != null && entry.azure().resourceId() != null) {
				aksResourceIds.put(entry.name(), entry.azure().resourceId());
			}
		}
		NetworkEvidenceSource apiserver = new ApiserverNetworkEvidence(
				new CachingApiserverProbes(sources.probes(mayCall(properties)), CachingApiserverProbes.DEFAULT_TTL),
				(cluster) -> properties.enabled()
						&& sampler.scrapedClusters().stream().anyMatch((c) -> c.name().equals(cluster.name())),
				(cluster, window) -> {
					OwnCallStore.Read read = ownCalls.calls(cluster.name(), window, ownCallProperties.readLimit());
					return CallHistory.of(window, read.calls(), read.truncated());
				}, aksResourceIds);
		DemoData data = demo.getIfAvailable();
		return (data == null) ? apiserver
				: NetworkEvidenceSource.byCluster(Cluster::isDemo, new DemoNetworkEvidence(data.scenario()), apiserver);
	}

	/**
	 * Cause 1's verdict reads the network evidence's apiserver probes: a timeout or a
	 * refused connection counts against the network, an answer (even a failing check)
	 * does not.
	 */
	@Bean
	NetworkEvidence networkEvidence(NetworkEvidenceSource source) {
		return new ProbeNetworkEvidence(source);
	}

	/**
	 * The clusters whose apiserver is called on demand: those the scraper would scrape.
	 */
	private static Predicate<Cluster> mayCall(ApiserverProperties properties) {
		return (cluster) -> properties.scrapeDiscoveredContext() || !ClusterCatalog.isDiscovered(cluster);
	}

	/**
	 * The demo's scenario version; else what the last successful /metrics scrape's
	 * /version said.
	 */
	@Bean
	KnownKubernetesVersions knownKubernetesVersions(ApiserverSampler sampler) {
		return (cluster) -> cluster.isDemo()
				? KubernetesVersion.of(DemoScenario.KUBERNETES_VERSION, "the demo scenario") : sampler.status(cluster)
					.flatMap((status) -> KubernetesVersion.of(status.gitVersion(), "the last /metrics scrape"));
	}

	/**
	 * /actuator/health component {@code ownCalls}: what became of the recorded calls
	 * since start-up; DOWN while the database refuses them (the calls themselves go on).
	 */
	@Bean
	HealthIndicator ownCallsHealthIndicator(BufferedCallRecorder recorder) {
		return () -> {
			BufferedCallRecorder.Counts counts = recorder.counts();
			return (counts.failing() ? Health.down() : Health.up()).withDetail("written", counts.written())
				.withDetail("dropped", counts.dropped())
				.withDetail("lost", counts.lost())
				.build();
		};
	}

	@Bean
	CompositeHealthContributor clustersHealthContributor(ClusterCatalog catalog, EtcdHistory history,
			ObjectProvider<DemoData> demo, ApiserverSampler scraper, AuditReceivers audit) {
		return SourcesHealth.of(catalog, history, demo.getIfAvailable(), scraper, audit);
	}

}
