package dev.cpdoctor.history;

import java.time.Clock;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.Provider;

/**
 * The stores (H2 under cpdoctor.data-dir, or PostgreSQL): etcd samples, audit rollups,
 * the dashboard's own calls, the demo's anchor; and the retention that keeps them
 * bounded.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ HistoryProperties.class, OwnCallProperties.class })
public class HistoryConfiguration {

	@Bean
	EtcdHistory etcdHistory(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new EtcdHistory(jdbc, jdbcTemplate, transactions);
	}

	/**
	 * Retention leaves alone the demo (a fixed scenario) and offline clusters (their
	 * uploads, of support bundles or air-gapped sites, are all the history they will ever
	 * have).
	 */
	@Bean
	HistoryRetention historyRetention(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions,
			HistoryProperties properties, ClusterCatalog catalog, OwnCallStore ownCalls,
			OwnCallProperties ownCallProperties, Clock clock) {
		return new HistoryRetention(jdbc, jdbcTemplate, transactions, properties,
				(name) -> catalog.find(name).map((c) -> c.isDemo() || c.provider() == Provider.OFFLINE).orElse(false),
				ownCalls, ownCallProperties.retention(), clock);
	}

	/** The dashboard's own calls to apiservers, one row each (cause 1's call history). */
	@Bean
	OwnCallStore ownCallStore(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new OwnCallStore(jdbcTemplate, transactions);
	}

	/**
	 * Every apiserver call is handed here as it ends; written in batches, never waited
	 * for.
	 */
	@Bean
	BufferedCallRecorder ownCallRecorder(OwnCallStore store, OwnCallProperties properties) {
		return new BufferedCallRecorder(store, properties);
	}

	/**
	 * Audit rollups as the ingest path writes them and reads back what it resumes from.
	 */
	@Bean
	AuditRollupWriter auditRollupWriter(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new AuditRollupWriter(jdbcTemplate, transactions);
	}

	/** Audit rollups as the Audit pages ask them. */
	@Bean
	AuditImports auditImports(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new AuditImports(jdbcTemplate, transactions);
	}

	@Bean
	AuditRollupQueries auditRollupQueries(JdbcTemplate jdbcTemplate) {
		return new AuditRollupQueries(jdbcTemplate);
	}

	@Bean
	AuditRollupRetention auditRollupRetention(JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		return new AuditRollupRetention(jdbcTemplate, transactions);
	}

	/**
	 * Flyway's version 7, run at start-up: Spring Boot's Flyway auto-configuration takes
	 * every JavaMigration bean. Built without dependencies, as Flyway runs before the
	 * beans that use the database.
	 */
	@Bean
	static MoveAuditMinuteRows moveAuditMinuteRows() {
		return new MoveAuditMinuteRows();
	}

	@Bean
	DemoAnchorStore demoAnchorStore(JdbcClient jdbc) {
		return new DemoAnchorStore(jdbc);
	}

}
