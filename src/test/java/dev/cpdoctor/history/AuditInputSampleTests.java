package dev.cpdoctor.history;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.cpdoctor.history.H2AuditStores.dataSource;

/**
 * The input counts' first samples on H2, migrated by V9 from a database that had none
 * (the same scenario on PostgreSQL: {@link AuditInputSamplePostgresTests}).
 */
class AuditInputSampleTests {

	@TempDir
	Path dir;

	@Test
	void eachReasonCountsEveryEventAndKeepsItsFirstSampleAcrossTheMigration() {
		AuditInputSamples.writeRowBeforeSamples(dataSource(this.dir, AuditInputSamples.BEFORE_SAMPLES));
		AuditInputSamples.storeAndRead(dataSource(this.dir, null));
	}

}
