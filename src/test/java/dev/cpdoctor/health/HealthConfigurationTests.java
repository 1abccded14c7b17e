package dev.cpdoctor.health;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.source.apiserver.ApiserverConfiguration;
import dev.cpdoctor.source.auditlog.AuditLogConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /actuator/health's indicators as the application wires them: the own calls' recorder,
 * and per cluster one indicator per source it has. No indicator calls a cluster.
 */
class HealthConfigurationTests {

	private final ApplicationContextRunner runner = WiringRunners.stores()
		.withUserConfiguration(ApiserverConfiguration.class, AuditLogConfiguration.class, HealthConfiguration.class)
		.withPropertyValues("cpdoctor.demo.enabled=false", "cpdoctor.apiserver.initial-delay=1h",
				"cpdoctor.clusters[0].name=lab", "cpdoctor.clusters[0].context=lab-admin",
				"cpdoctor.clusters[0].audit.webhook-token=t0k3n", "cpdoctor.clusters[1].name=bundle-17",
				"cpdoctor.clusters[1].provider=offline");

	@Test
	void theOwnCallsAreUpWithNothingWrittenYet() {
		this.runner.run((context) -> {
			HealthIndicator ownCalls = context.getBean("ownCallsHealthIndicator", HealthIndicator.class);
			assertThat(ownCalls.health().getStatus()).isEqualTo(Status.UP);
			assertThat(ownCalls.health().getDetails()).containsEntry("written", 0L).containsEntry("dropped", 0L);
		});
	}

	@Test
	void eachClusterHasAnIndicatorPerSourceItHas() {
		this.runner.run((context) -> {
			CompositeHealthContributor clusters = context.getBean(CompositeHealthContributor.class);
			assertThat(names(clusters)).containsExactly("lab", "bundle-17");
			HealthContributors lab = (HealthContributors) clusters.getContributor("lab");
			assertThat(names(lab)).containsExactly("etcd-history", "apiserver-metrics", "audit-ingest");
			assertThat(names((HealthContributors) clusters.getContributor("bundle-17")))
				.containsExactly("etcd-history");
			HealthIndicator scrape = (HealthIndicator) lab.getContributor("apiserver-metrics");
			assertThat(scrape.health().getStatus()).isEqualTo(Status.UNKNOWN);
		});
	}

	private static List<String> names(HealthContributors contributors) {
		return contributors.stream().map(HealthContributors.Entry::name).toList();
	}

}
