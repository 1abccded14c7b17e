package dev.cpdoctor.source;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The sources as the diagnosis and the pages ask them: one routed source per question,
 * built from the {@link ClusterRoute routes} each source package declares, and the
 * executor that asks them side by side.
 */
@Configuration(proxyBeanMethods = false)
public class SourcesConfiguration {

	/**
	 * Runs the questions of a page or a diagnosis in parallel: three 2-second Log
	 * Analytics queries make a 2-second page, not a 6-second one. Bounded, daemon
	 * threads.
	 */
	@Bean(destroyMethod = "shutdownNow")
	SourceExecutor sourceExecutor() {
		return new SourceExecutor(32, Duration.ofSeconds(120));
	}

	/** Audit analytics, webhooks and the platform's etcd metric of each cluster. */
	@Bean
	ClusterSources clusterSources(ObjectProvider<ClusterRoute<AuditSources>> audit,
			ObjectProvider<ClusterRoute<WebhookSource>> webhooks,
			ObjectProvider<ClusterRoute<PlatformEtcdUsage>> platform) {
		return new ClusterSources(routes(audit), routes(webhooks), routes(platform));
	}

	/**
	 * Each cluster's etcd read directly: the demo's scenario, self-managed clusters'
	 * members.
	 */
	@Bean
	EtcdDirectSource etcdDirectSource(ObjectProvider<ClusterRoute<EtcdDirectSource>> routes) {
		return new RoutedEtcdDirectSource(routes(routes));
	}

	/** Cause 1's evidence of each cluster. */
	@Bean
	NetworkEvidenceSource networkEvidenceSource(ObjectProvider<ClusterRoute<NetworkEvidenceSource>> routes) {
		return NetworkEvidenceSource.routed(routes(routes));
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
	 * Each cluster's Kubernetes version as last seen: the demo's, else the last scrape's.
	 */
	@Bean
	KnownKubernetesVersions knownKubernetesVersions(ObjectProvider<ClusterRoute<KnownKubernetesVersions>> routes) {
		List<ClusterRoute<KnownKubernetesVersions>> all = routes(routes);
		return (cluster) -> ClusterRoute.find(all, cluster).flatMap((versions) -> versions.of(cluster));
	}

	/**
	 * The window a page shows when its URL names none: the demo's incident, else the last
	 * hour.
	 */
	@Bean
	DefaultWindows defaultWindows(ObjectProvider<ClusterRoute<DefaultWindows>> routes) {
		List<ClusterRoute<DefaultWindows>> all = routes(routes);
		return (cluster) -> ClusterRoute.find(all, cluster)
			.map((windows) -> windows.defaultWindow(cluster))
			.orElse(Optional.empty());
	}

	private static <S> List<ClusterRoute<S>> routes(ObjectProvider<ClusterRoute<S>> routes) {
		return routes.orderedStream().toList();
	}

}
