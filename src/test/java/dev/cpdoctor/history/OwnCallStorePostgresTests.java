package dev.cpdoctor.history;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;

/**
 * {@link OwnCallStoreTests} on a real PostgreSQL, in a schema of its own of the
 * cpdoctor_test database .ci/run creates. Skipped when nothing answers on 127.0.0.1:5432,
 * failed instead with CI=true.
 */
class OwnCallStorePostgresTests extends OwnCallStoreTests {

	private final TestPostgresSchema schema = new TestPostgresSchema("own_call_store_pg");

	@Override
	DataSource dataSource() throws SQLException {
		return this.schema.create();
	}

	@AfterEach
	void drop() throws SQLException {
		this.schema.drop();
	}

}
