package dev.cpdoctor;

import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.history.EtcdHistory;

/**
 * A fresh in-memory H2 database with the application's schema (its Flyway migrations),
 * for the stores of a test that starts no application: a web slice's etcd history, say.
 */
public final class TestDatabase {

	private TestDatabase() {
	}

	/** A new database of its own, migrated; it lives as long as the JVM. */
	public static DataSource migrated() {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "cpdoctor", "");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		return dataSource;
	}

	/** The etcd history on a new database: empty until the test saves samples. */
	public static EtcdHistory etcdHistory() {
		DataSource dataSource = migrated();
		return new EtcdHistory(JdbcClient.create(dataSource), new JdbcTemplate(dataSource),
				new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
	}

}
