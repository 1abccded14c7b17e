package dev.cpdoctor.web;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.EtcdDirectSource;
import dev.cpdoctor.source.etcd.EtcdProperties;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.NetworkEvidence;

/** The web layer's collaborators and the {@link ViewState} argument resolver. */
@Configuration(proxyBeanMethods = false)
public class WebConfiguration implements WebMvcConfigurer {

	private final ViewStateResolver viewStateResolver;

	WebConfiguration(ClusterCatalog catalog, DefaultWindows defaultWindows, Clock clock) {
		this.viewStateResolver = new ViewStateResolver(catalog, defaultWindows::defaultWindow, clock);
	}

	ViewStateResolver viewStateResolver() {
		return this.viewStateResolver;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.viewStateResolver);
	}

	/**
	 * Runs a page's questions in parallel: three 2-second Log Analytics queries make a
	 * 2-second page, not a 6-second one. Bounded, daemon threads.
	 */
	@Bean(destroyMethod = "shutdownNow")
	PanelExecutor panelExecutor() {
		return new PanelExecutor(32, Duration.ofSeconds(120));
	}

	/**
	 * Rendered pages of absolute windows, kept 15 s; after Spring Security (order -100)
	 * in the chain.
	 */
	@Bean
	FilterRegistrationBean<RenderedPageCache> renderedPageCache() {
		FilterRegistrationBean<RenderedPageCache> registration = new FilterRegistrationBean<>(
				new RenderedPageCache(Duration.ofSeconds(15), 64L * 1024 * 1024, Duration.ofSeconds(30)));
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 10);
		return registration;
	}

	@Bean
	ErrorMessages errorAttributes() {
		return new ErrorMessages();
	}

	@Bean
	ChartJson chartJson(JsonMapper json) {
		return new ChartJson(json);
	}

	@Bean
	EtcdPanels etcdPanels(EtcdHistory history, ClusterSources sources) {
		return new EtcdPanels(history, sources);
	}

	/**
	 * Self-managed clusters' etcd read directly, and the advice drawn from it
	 * (cpdoctor.etcd thresholds).
	 */
	@Bean
	EtcdDirectPanels etcdDirectPanels(EtcdDirectSource source, EtcdProperties properties) {
		return new EtcdDirectPanels(source, properties.thresholds());
	}

	/**
	 * The diagnosis of a symptom: the same sources, history and executor as the pages'
	 * panels.
	 */
	@Bean
	DiagnosisService diagnosisService(ClusterSources sources, EtcdPanels etcd, EtcdDirectPanels direct,
			PanelExecutor executor, FlowcontrolVersions flowcontrol, KnownKubernetesVersions versions,
			NetworkEvidence network, AksGuardSource aksGuard, AksManagedClusterSource managedClusters,
			ClusterProperties clusters) {
		Map<String, String> resourceIds = new HashMap<>();
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.azure() != null && entry.azure().resourceId() != null) {
				resourceIds.put(entry.name(), entry.azure().resourceId());
			}
		}
		return new DiagnosisService(sources, sources, etcd, direct, executor, flowcontrol, versions, network, aksGuard,
				managedClusters, (cluster) -> AksClusterId.fromResourceId(resourceIds.get(cluster.name())));
	}

}
