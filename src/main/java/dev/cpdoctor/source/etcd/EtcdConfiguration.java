package dev.cpdoctor.source.etcd;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.source.CachingEtcdDirectSource;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.EtcdDirectSource;

/**
 * Self-managed clusters' etcd, read directly (cpdoctor.clusters[].etcd): status cached
 * briefly, the keyspace scan kept until someone asks for a new one. Clients are made on
 * first use, so start-up never calls etcd; they are closed with the context.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EtcdProperties.class)
public class EtcdConfiguration {

	@Bean
	ClusterRoute<EtcdDirectSource> jetcdEtcd(ClusterProperties clusters, EtcdProperties properties, Clock clock) {
		return ClusterRoute.otherwise(new CachingEtcdDirectSource(
				new JetcdEtcdDirectSource(JetcdEtcdDirectSource.configured(clusters), properties, clock),
				CachingEtcdDirectSource.Ttl.of(properties.statusTtl())));
	}

	/**
	 * When etcd read directly calls for defragmentation or compaction (cpdoctor.etcd).
	 */
	@Bean
	MaintenanceThresholds maintenanceThresholds(EtcdProperties properties) {
		return properties.thresholds();
	}

}
