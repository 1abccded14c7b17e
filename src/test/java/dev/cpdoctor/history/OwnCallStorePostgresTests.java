package dev.cpdoctor.history;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * {@link OwnCallStoreTests} on a real PostgreSQL, in a schema of its own of the cpdoctor_test
 * database .ci/run creates. Skipped when nothing answers on 127.0.0.1:5432, failed instead with CI=true.
 */
class OwnCallStorePostgresTests extends OwnCallStoreTests {

	private static final String URL = System.getenv().getOrDefault("CPDOCTOR_TEST_PG_URL",
			"jdbc:postgresql://127.0.0.1:5432/cpdoctor_test");

	private static final String USER = System.getenv().getOrDefault("CPDOCTOR_TEST_PG_USER", "cpdoctor");

	private static final String PASSWORD = System.getenv().getOrDefault("CPDOCTOR_TEST_PG_PASSWORD", "cpdoctor");

	private static final String SCHEMA = "own_call_store_pg";

	@Override
	DataSource dataSource() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + SCHEMA + " cascade");
		}
		catch (SQLException ex) {
			if ("true".equals(System.getenv("CI"))) {
				throw ex;
			}
			Assumptions.abort("No PostgreSQL on " + URL + " (install and start postgresql, see .ci/run): " + ex.getMessage());
		}
		DataSource dataSource = new DriverManagerDataSource(URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA,
				USER, PASSWORD);
		Flyway.configure().dataSource(dataSource).schemas(SCHEMA).locations("classpath:db/migration").load().migrate();
		return dataSource;
	}

	@AfterEach
	void drop() throws SQLException {
		try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists " + SCHEMA + " cascade");
		}
	}

}
