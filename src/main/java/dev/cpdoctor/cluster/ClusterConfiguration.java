package dev.cpdoctor.cluster;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The clusters the dashboard offers: configured, discovered, stored and the demo. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClusterProperties.class)
public class ClusterConfiguration {

	@Bean
	ClusterCatalog clusterCatalog(ClusterProperties properties, StoredClusters stored) {
		return ClusterCatalog.from(properties, stored.clusters());
	}

}
