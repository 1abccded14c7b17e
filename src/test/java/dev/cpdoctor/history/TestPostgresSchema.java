package dev.cpdoctor.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A schema of its own in the cpdoctor_test database .ci/run creates on 127.0.0.1:5432
 * (override with CPDOCTOR_TEST_PG_URL / _USER / _PASSWORD), migrated by the app's Flyway
 * scripts. The test is skipped when nothing answers, failed instead with CI=true.
 */
final class TestPostgresSchema {

	private static final String URL = System.getenv()
		.getOrDefault("CPDOCTOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cpdoctor_test");

	private static final String USER = System.getenv().getOrDefault("CPDOCTOR_TEST_PG_USER", "cpdoctor");

	private static final String PASSWORD = System.getenv().getOrDefault("CPDOCTOR_TEST_PG_PASSWORD", "cpdoctor");

	private final String schema;

	TestPostgresSchema(String schema) {
		this.schema = schema;
	}

	/**
	 * Drops what an earlier run left, migrates the schema afresh and answers a data
	 * source on it.
	 */
	DataSource create() throws SQLException {
		return create(null);
	}

	/**
	 * The same, migrated to {@code target} (null: the latest version), the app's Java
	 * migrations included.
	 */
	DataSource create(String target) throws SQLException {
		try {
			drop();
		}
		catch (SQLException ex) {
			if ("true".equals(System.getenv("CI"))) {
				throw ex;
			}
			Assumptions
				.abort("No PostgreSQL on " + URL + " (install and start postgresql, see .ci/run): " + ex.getMessage());
		}
		DataSource dataSource = new DriverManagerDataSource(
				URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + this.schema, USER, PASSWORD);
		migrate(dataSource, target);
		return dataSource;
	}

	/** Migrates the schema to {@code target} (null: the latest version). */
	void migrate(DataSource dataSource, String target) {
		var flyway = Flyway.configure()
			.dataSource(dataSource)
			.schemas(this.schema)
			.locations("classpath:db/migration")
			.javaMigrations(new MoveAuditMinuteRows());
		if (target != null) {
			flyway.target(target);
		}
		flyway.load().migrate();
	}

	void drop() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + this.schema + " cascade");
		}
	}

}
