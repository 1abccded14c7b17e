package dev.cpdoctor.source.demo;

import java.time.Clock;
import java.util.Optional;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.DemoAnchorStore;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.DefaultWindows;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.WebhookSource;

/**
 * The demo cluster (cpdoctor.demo.enabled, on by default): its scenario answers every
 * question asked of it, through the same records and analysis as a real cluster's.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "cpdoctor.demo.enabled", havingValue = "true", matchIfMissing = true)
public class DemoConfiguration {

	@Bean
	DemoData demoData(ClusterProperties properties, DemoAnchorStore anchors, EtcdHistory history,
			TransactionTemplate transactions, Clock clock) {
		return DemoData.load(properties.demo().seed(), ClusterCatalog.DEMO_NAME, anchors, history, transactions, clock);
	}

	@Bean
	ClusterRoute<AuditSources> demoAudit(DemoData data) {
		return ClusterRoute.when(Cluster::isDemo, AuditSources.of(new DemoAuditAnalytics(data)));
	}

	@Bean
	ClusterRoute<WebhookSource> demoWebhooks(DemoData data) {
		return ClusterRoute.when(Cluster::isDemo, new DemoWebhookSource(data.scenario()));
	}

	@Bean
	ClusterRoute<EtcdDirectSource> demoEtcd(DemoData data) {
		return ClusterRoute.when(Cluster::isDemo, new DemoEtcdDirectSource(data.scenario()));
	}

	@Bean
	ClusterRoute<NetworkEvidenceSource> demoNetworkEvidence(DemoData data) {
		return ClusterRoute.when(Cluster::isDemo, new DemoNetworkEvidence(data.scenario()));
	}

	@Bean
	ClusterRoute<KnownKubernetesVersions> demoVersion() {
		return ClusterRoute.when(Cluster::isDemo,
				(cluster) -> KubernetesVersion.of(DemoScenario.KUBERNETES_VERSION, "the demo scenario"));
	}

	/** The demo opens on its frozen incident; every other cluster on the last hour. */
	@Bean
	ClusterRoute<DefaultWindows> demoIncident(DemoData data) {
		return ClusterRoute.when(Cluster::isDemo, (cluster) -> Optional.of(data.scenario().incidentWindow()));
	}

}
