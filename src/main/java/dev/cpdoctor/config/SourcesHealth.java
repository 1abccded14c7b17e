package dev.cpdoctor.config;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.demo.DemoData;

/**
 * /actuator/health component {@code clusters}: per cluster, one indicator per configured source.
 * Indicators report what the sources last saw; none calls a cluster, so a health check never adds
 * load to a struggling apiserver.
 */
final class SourcesHealth {

	private SourcesHealth() {
	}

	static CompositeHealthContributor of(ClusterCatalog catalog, ClusterSources sources, EtcdHistory history,
			DemoData demo) {
		Map<String, HealthContributor> clusters = new LinkedHashMap<>();
		for (Cluster cluster : catalog.all()) {
			Map<String, HealthContributor> perSource = new LinkedHashMap<>();
			perSource.put("etcd-history", etcdHistory(cluster, history));
			if (cluster.isDemo() && demo != null) {
				perSource.put("demo-audit", demoAudit(demo));
			}
			if (cluster.access().mode() != KubeAccess.Mode.NONE) {
				perSource.put("apiserver", (HealthIndicator) () -> Health.unknown()
					.withDetail("access", cluster.access().describe())
					.withDetail("server", String.valueOf(cluster.access().server()))
					.withDetail("state", "configured, not polled yet")
					.build());
			}
			clusters.put(cluster.name(), CompositeHealthContributor.fromMap(perSource));
		}
		return CompositeHealthContributor.fromMap(clusters);
	}

	private static HealthIndicator etcdHistory(Cluster cluster, EtcdHistory history) {
		return () -> {
			try {
				long samples = history.count(cluster.name());
				return ((samples > 0) ? Health.up() : Health.unknown()).withDetail("samples", samples).build();
			}
			catch (RuntimeException ex) {
				return Health.down(ex).build();
			}
		};
	}

	private static HealthIndicator demoAudit(DemoData demo) {
		return () -> {
			if (!demo.auditRollup().isDone()) {
				return Health.unknown().withDetail("state", "generating the audit day").build();
			}
			if (demo.auditRollup().isCompletedExceptionally()) {
				return Health.down().withDetail("state", "the audit day could not be generated").build();
			}
			return Health.up().withDetail("anchor", demo.scenario().anchor().toString()).build();
		};
	}

}
