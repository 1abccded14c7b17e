package dev.cpdoctor.health;

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
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.apiserver.ApiserverSampler;
import dev.cpdoctor.source.apiserver.ScrapeStatus;
import dev.cpdoctor.source.auditlog.AuditLogTailer;
import dev.cpdoctor.source.auditlog.AuditReceivers;
import dev.cpdoctor.source.demo.DemoData;

/**
 * /actuator/health component {@code clusters}: per cluster, one indicator per configured
 * source. Indicators report what the sources last saw; none calls a cluster, so a health
 * check never adds load to a struggling apiserver.
 */
final class SourcesHealth {

	private SourcesHealth() {
	}

	static CompositeHealthContributor of(ClusterCatalog catalog, EtcdHistory history, DemoData demo,
			ApiserverSampler scraper, AuditReceivers audit) {
		Map<String, HealthContributor> clusters = new LinkedHashMap<>();
		for (Cluster cluster : catalog.all()) {
			Map<String, HealthContributor> perSource = new LinkedHashMap<>();
			perSource.put("etcd-history", etcdHistory(cluster, history));
			if (cluster.isDemo() && demo != null) {
				perSource.put("demo-audit", demoAudit(demo));
			}
			if (cluster.access().mode() != KubeAccess.Mode.NONE) {
				perSource.put("apiserver-metrics", apiserver(cluster, scraper));
			}
			if (audit.receives(cluster.name())) {
				perSource.put("audit-ingest", auditIngest(cluster, audit));
			}
			clusters.put(cluster.name(), CompositeHealthContributor.fromMap(perSource));
		}
		return CompositeHealthContributor.fromMap(clusters);
	}

	/** The last scrape's outcome; never a call to the apiserver. */
	private static HealthIndicator apiserver(Cluster cluster, ApiserverSampler scraper) {
		return () -> {
			ScrapeStatus status = scraper.status(cluster).orElse(null);
			Health.Builder health;
			if (status == null || status.lastAttempt() == null) {
				health = Health.unknown()
					.withDetail("state", scraper.isRunning() ? "first scrape pending" : "not scraped");
			}
			else if (status.lastError() == null) {
				health = Health.up().withDetail("lastSuccess", status.lastSuccess().toString());
			}
			else {
				health = Health.down()
					.withDetail("error", status.lastError())
					.withDetail("consecutiveFailures", status.consecutiveFailures())
					.withDetail("lastSuccess", String.valueOf(status.lastSuccess()));
			}
			if (status != null && status.gitVersion() != null) {
				health.withDetail("version", status.gitVersion());
			}
			return health.withDetail("access", cluster.access().describe()).build();
		};
	}

	/**
	 * The audit webhook's and log file's last outcome: a failing store or unreadable file
	 * is DOWN.
	 */
	private static HealthIndicator auditIngest(Cluster cluster, AuditReceivers audit) {
		return () -> {
			AuditDataQuality.Ingest ingest = audit.ingest(cluster.name()).orElseThrow().status();
			AuditDataQuality.Tailer tailer = audit.tailer(cluster.name()).map(AuditLogTailer::status).orElse(null);
			Health.Builder health;
			if (ingest.lastError() != null) {
				health = Health.down().withDetail("error", ingest.lastError());
			}
			else if (tailer != null && tailer.lastError() != null) {
				health = (tailer.fileSize() == 0 && tailer.offset() == 0) ? Health.unknown() : Health.down();
				health.withDetail("error", tailer.lastError());
			}
			else {
				health = (ingest.batches() > 0) ? Health.up() : Health.unknown();
			}
			health.withDetail("batches", ingest.batches()).withDetail("requests", ingest.requests());
			if (ingest.lastBatchAt() != null) {
				health.withDetail("lastBatchAt", ingest.lastBatchAt().toString());
			}
			if (tailer != null) {
				health.withDetail("file", tailer.path()).withDetail("lagBytes", tailer.lagBytes());
			}
			return health.withDetail("webhook", audit.webhookOpen(cluster.name()) ? "open" : "closed").build();
		};
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
