package dev.cpdoctor.source.auditlog;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cpdoctor.analysis.audit.form.AuditForms;
import dev.cpdoctor.analysis.audit.form.FormLimits;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.history.AuditImports;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.history.AuditRollupRetention;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditIntake;
import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.ClusterRoute;

/**
 * Audit events of clusters without Log Analytics: the webhook receiver, the log-file
 * tailers, and the checklist's questions answered from the stored rollups.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditIngestProperties.class)
public class AuditLogConfiguration {

	@Bean
	AuditReceivers auditReceivers(ClusterProperties clusters, AuditRollupWriter writer, AuditRollupQueries queries,
			AuditRollupRetention retention, AuditIngestProperties properties, Clock clock) {
		return new AuditReceivers(clusters, writer, queries, retention, properties, clock);
	}

	@Bean
	AuditIntake auditIntake(AuditReceivers receivers, AuditIngestProperties properties) {
		return new AuditWebhookReceiver(receivers, properties.maxBatch());
	}

	@Bean
	AuditImporter auditImporter(ClusterCatalog catalog, AuditRollupWriter writer, AuditImports imports,
			AuditIngestProperties properties, Clock clock) {
		// a document, line or row held at once is at most 16 MiB; what gzip expands to,
		// cpdoctor.audit.max-import
		AuditForms forms = new AuditForms(FormLimits.of(16 * 1024 * 1024, properties.maxImport().toBytes()));
		return new AuditImporter(catalog, writer, imports, forms, properties.remember(), clock);
	}

	/** Clusters with imported audit logs: their questions answered from the rollups. */
	@Bean
	ClusterRoute<AuditSources> importedAudit(AuditImporter importer, AuditRollupQueries queries) {
		return ClusterRoute.when((cluster) -> importer.imported(cluster.name()),
				AuditSources.of(new StoredAuditAnalytics(queries)));
	}

	/**
	 * The clusters with cpdoctor.clusters[].audit: their questions answered from the
	 * stored rollups.
	 */
	@Bean
	ClusterRoute<AuditSources> storedAudit(ClusterProperties clusters, AuditRollupQueries queries) {
		Map<String, AuditSources> audit = new LinkedHashMap<>();
		AuditSources stored = AuditSources.of(new StoredAuditAnalytics(queries));
		for (ClusterProperties.ClusterEntry entry : clusters.clusters()) {
			if (entry.audit() != null && entry.audit().configured()) {
				audit.put(entry.name(), stored);
			}
		}
		return ClusterRoute.byName(audit);
	}

}
