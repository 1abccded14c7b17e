package dev.cpdoctor.source.apiserver;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Builds the apiserver source: the wiring entry point for configuration. */
public final class ApiserverSources {

	private ApiserverSources() {
	}

	/**
	 * @param kubeconfigFiles where kubeconfig contexts are looked up
	 * @param userAgent how the dashboard names itself in the apiserver's audit log
	 */
	public static KubernetesMetricsScraper scraper(List<Path> kubeconfigFiles, ApiserverProperties properties,
			String userAgent, Clock clock) {
		return new KubernetesMetricsScraper(new KubernetesApiClients(kubeconfigFiles, properties, userAgent),
				properties.timeout(), clock);
	}

}
