package dev.cpdoctor.history;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

/**
 * The audit rollup store's tests' database: an H2 file in a test's directory migrated by
 * Flyway (to a given version, or the latest), and their audit events in one hour.
 */
public final class H2AuditStores {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	static final TimeWindow WINDOW = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	private H2AuditStores() {
	}

	/** The database in the directory, migrated to target (null: the latest). */
	public static JdbcDataSource dataSource(Path dir, String target) {
		JdbcDataSource dataSource = new JdbcDataSource();
		dataSource.setURL("jdbc:h2:file:" + dir.resolve("cpdoctor") + ";DB_CLOSE_DELAY=-1");
		dataSource.setUser("cpdoctor");
		dataSource.setPassword("");
		var flyway = Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration")
			.javaMigrations(new MoveAuditMinuteRows());
		if (target != null) {
			flyway.target(target);
		}
		flyway.load().migrate();
		return dataSource;
	}

	static AuditStore store(JdbcDataSource dataSource) {
		return AuditStore.on(dataSource);
	}

	/** A LIST of pods logged at one stage. */
	static AuditEvent event(String id, Stage stage, String userAgent, Instant received, long latencyMs) {
		return new AuditEvent(id, stage, "list", userAgent, "pods", "", "",
				(stage == Stage.RESPONSE_COMPLETE) ? 200 : 0, received, received.plusMillis(latencyMs));
	}

}
