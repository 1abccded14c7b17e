package dev.cpdoctor.health;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.BufferedCallRecorder;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.apiserver.ApiserverSampler;
import dev.cpdoctor.source.auditlog.AuditReceivers;
import dev.cpdoctor.source.demo.DemoData;

/**
 * /actuator/health: per cluster what its sources last saw, and what became of the
 * dashboard's own recorded calls. No indicator calls a cluster.
 */
@Configuration(proxyBeanMethods = false)
public class HealthConfiguration {

	/**
	 * Component {@code ownCalls}: what became of the recorded calls since start-up; DOWN
	 * while the database refuses them (the calls themselves go on).
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

	/** Component {@code clusters}: per cluster, one indicator per configured source. */
	@Bean
	CompositeHealthContributor clustersHealthContributor(ClusterCatalog catalog, EtcdHistory history,
			ObjectProvider<DemoData> demo, ApiserverSampler scraper, AuditReceivers audit) {
		return SourcesHealth.of(catalog, history, demo.getIfAvailable(), scraper, audit);
	}

}
