package dev.cpdoctor.source.apiserver;

import java.time.Clock;
import java.util.function.Predicate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.BufferedCallRecorder;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.history.OwnCallProperties;
import dev.cpdoctor.history.OwnCallStore;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.CachingAksGuardSource;
import dev.cpdoctor.source.CachingApiserverProbes;
import dev.cpdoctor.source.CachingFlowcontrolVersions;
import dev.cpdoctor.source.CachingWebhookSource;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

/**
 * The apiserver of every cluster the dashboard may call: one Kubernetes client per
 * cluster, the one /metrics scrape per interval, and what is read on demand (cached).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiserverProperties.class)
public class ApiserverConfiguration {

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

	/** The only thing that scrapes: one /metrics scrape per cluster per interval. */
	@Bean
	ApiserverSampler apiserverSampler(ClusterCatalog catalog, ApiserverSources sources, ApiserverProperties properties,
			EtcdHistory history) {
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

	/** Webhooks of every cluster without a source of its own: read on demand, cached. */
	@Bean
	ClusterRoute<WebhookSource> apiserverWebhooks(ApiserverSources sources, ApiserverProperties properties) {
		return ClusterRoute.otherwise(
				new CachingWebhookSource(sources.webhooks(mayCall(properties)), CachingWebhookSource.Ttl.defaults()));
	}

	/**
	 * Cause 1's evidence of every cluster without a source of its own: its apiserver's
	 * probes (asked on demand, cached 15 s), the recorded own calls of the window (the
	 * newest read-limit of them), and the kubectl-aks check from
	 * cpdoctor.clusters[].azure.resource-id.
	 */
	@Bean
	ClusterRoute<NetworkEvidenceSource> apiserverNetworkEvidence(ClusterProperties clusters, ApiserverSources sources,
			ApiserverProperties properties, ApiserverSampler sampler, OwnCallStore ownCalls,
			OwnCallProperties ownCallProperties) {
		return ClusterRoute.otherwise(new ApiserverNetworkEvidence(
				new CachingApiserverProbes(sources.probes(mayCall(properties)), CachingApiserverProbes.DEFAULT_TTL),
				(cluster) -> properties.enabled()
						&& sampler.scrapedClusters().stream().anyMatch((c) -> c.name().equals(cluster.name())),
				(cluster, window) -> {
					OwnCallStore.Read read = ownCalls.calls(cluster.name(), window, ownCallProperties.readLimit());
					return CallHistory.of(window, read.calls(), read.truncated());
				}, clusters.azureResourceIds()));
	}

	/**
	 * A cluster's Kubernetes version as the last successful /metrics scrape's /version
	 * said.
	 */
	@Bean
	ClusterRoute<KnownKubernetesVersions> scrapedVersions(ApiserverSampler sampler) {
		return ClusterRoute.otherwise((cluster) -> sampler.status(cluster)
			.flatMap((status) -> KubernetesVersion.of(status.gitVersion(), "the last /metrics scrape")));
	}

	/** Offline /metrics dumps, stored as samples as a scrape is. */
	@Bean
	MetricsUpload metricsUpload(ClusterCatalog catalog, EtcdHistory history, ApiserverProperties properties,
			Clock clock) {
		return new MetricsDumpUpload(catalog, history, properties.maxUpload(), clock);
	}

	/** The remedies' manifests, written with the Kubernetes client's models. */
	@Bean
	Manifests manifests() {
		return new ClientManifests();
	}

	/**
	 * The clusters whose apiserver is called on demand: those the scraper would scrape.
	 */
	static Predicate<Cluster> mayCall(ApiserverProperties properties) {
		return (cluster) -> properties.scrapeDiscoveredContext() || !ClusterCatalog.isDiscovered(cluster);
	}

}
