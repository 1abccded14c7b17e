package dev.cpdoctor.history;

import java.sql.SQLException;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The input counts' first samples on a real PostgreSQL, in a schema of its own of the
 * cpdoctor_test database .ci/run creates, migrated by V9 from a schema that had none.
 * Skipped when nothing answers on 127.0.0.1:5432, failed instead with CI=true.
 */
class AuditInputSamplePostgresTests {

	private final TestPostgresSchema schema = new TestPostgresSchema("audit_input_sample_pg");

	@AfterEach
	void drop() throws SQLException {
		this.schema.drop();
	}

	@Test
	void eachReasonCountsEveryEventAndKeepsItsFirstSampleAcrossTheMigration() throws SQLException {
		DataSource dataSource = this.schema.create(AuditInputSamples.BEFORE_SAMPLES);
		AuditInputSamples.writeRowBeforeSamples(dataSource);
		this.schema.migrate(dataSource, null);
		AuditInputSamples.storeAndRead(dataSource);
	}

}
