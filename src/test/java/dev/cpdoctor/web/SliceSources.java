package dev.cpdoctor.web;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.cpdoctor.TestDatabase;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditImport;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.DefaultWindows;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.PlatformEtcdUsage;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

/**
 * What the controllers of a web slice are given instead of the source packages: the
 * {@link FakeSources} behind the source interfaces, routed as the application routes its
 * sources, the clusters of the slice's properties, an empty etcd history of its own, and
 * the real executor and manifests. The diagnosis (troubleshoot's configuration) is built
 * on them as the application builds it.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
class SliceSources {

	@Bean
	FakeSources fakeSources() {
		return new FakeSources();
	}

	@Bean
	ClusterCatalog clusterCatalog(ClusterProperties properties) {
		return ClusterCatalog.from(properties);
	}

	/** Audit, webhooks and the platform's etcd metric of every cluster: the fakes. */
	@Bean
	ClusterSources clusterSources(FakeSources fakes) {
		return new ClusterSources(List.of(ClusterRoute.otherwise(AuditSources.of(fakes.audit()))),
				List.of(ClusterRoute.otherwise(fakes.webhookSource())),
				List.of(ClusterRoute.<PlatformEtcdUsage>otherwise((cluster, window) -> fakes.platform.of(cluster))));
	}

	@Bean
	EtcdDirectSource etcdDirectSource(FakeSources fakes) {
		return fakes.etcd;
	}

	@Bean
	NetworkEvidence networkEvidence(FakeSources fakes) {
		return (cluster, window) -> fakes.probes.of(cluster);
	}

	@Bean
	AksGuardSource aksGuardSource(FakeSources fakes) {
		return fakes.aksGuard::of;
	}

	@Bean
	AksManagedClusterSource aksManagedClusterSource(FakeSources fakes) {
		return fakes.managedClusters::of;
	}

	@Bean
	FlowcontrolVersions flowcontrolVersions(FakeSources fakes) {
		return fakes.flowcontrol::of;
	}

	@Bean
	KnownKubernetesVersions knownKubernetesVersions(FakeSources fakes) {
		return fakes.versions::of;
	}

	@Bean
	MetricsUpload metricsUpload(FakeSources fakes) {
		return fakes.uploads;
	}

	@Bean
	AuditIntake auditIntake(FakeSources fakes) {
		return fakes.intake;
	}

	@Bean
	AuditImport auditImport() {
		return new FakeImports();
	}

	/** The last hour for every cluster, as for any cluster but the demo. */
	@Bean
	DefaultWindows defaultWindows() {
		return (cluster) -> Optional.empty();
	}

	@Bean
	MaintenanceThresholds maintenanceThresholds() {
		return MaintenanceThresholds.defaults();
	}

	@Bean
	EtcdHistory etcdHistory() {
		return TestDatabase.etcdHistory();
	}

	@Bean(destroyMethod = "shutdownNow")
	SourceExecutor sourceExecutor() {
		return new SourceExecutor(8, Duration.ofSeconds(10));
	}

	@Bean
	Manifests manifests() {
		return new ClientManifests();
	}

}
