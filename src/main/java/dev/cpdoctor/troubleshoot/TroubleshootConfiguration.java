package dev.cpdoctor.troubleshoot;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

/**
 * The diagnosis: the facts it reads, and the diagnoser that gathers them for the checks.
 */
@Configuration(proxyBeanMethods = false)
public class TroubleshootConfiguration {

	@Bean
	EtcdHistoryFacts etcdHistoryFacts(EtcdHistory history, PlatformEtcdUsage platform) {
		return new EtcdHistoryFacts(history, platform);
	}

	/** Self-managed clusters' etcd read directly, and the advice drawn from it. */
	@Bean
	EtcdDirectReader etcdDirectReader(EtcdDirectSource source, MaintenanceThresholds thresholds) {
		return new EtcdDirectReader(source, thresholds);
	}

	/**
	 * The diagnosis of the symptoms: the same sources, history and executor as the pages.
	 */
	@Bean
	Diagnoser diagnoser(AuditAnalytics audit, WebhookSource webhooks, EtcdHistoryFacts etcd, EtcdDirectReader direct,
			NetworkEvidence network, AksGuardSource aksGuard, AksManagedClusterSource managedClusters,
			FlowcontrolVersions flowcontrol, KnownKubernetesVersions versions, ClusterProperties clusters,
			SourceExecutor executor, Manifests manifests) {
		Map<String, String> resourceIds = clusters.azureResourceIds();
		return new Diagnoser(new DiagnosisSources(audit, webhooks, etcd, direct, network, aksGuard, managedClusters,
				(cluster) -> AksClusterId.fromResourceId(resourceIds.get(cluster.name())), flowcontrol, versions),
				executor, manifests);
	}

}
