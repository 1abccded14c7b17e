package dev.cpdoctor.history;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Remembers the instant the demo scenario of a seed and generator version is frozen at
 * (table demo_scenario).
 */
public class DemoAnchorStore {

	private final JdbcClient jdbc;

	public DemoAnchorStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Instant> find(long seed, int version) {
		return this.jdbc.sql("select anchor from demo_scenario where seed = ? and version = ?")
			.params(seed, version)
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	/** Forgets every other version of the seed: their history is about to be replaced. */
	public void replace(long seed, int version, Instant anchor, Instant createdAt) {
		this.jdbc.sql("delete from demo_scenario where seed = ?").param(seed).update();
		this.jdbc.sql("insert into demo_scenario (seed, version, anchor, created_at) values (?, ?, ?, ?)")
			.params(seed, version, EtcdHistory.timestamp(anchor), EtcdHistory.timestamp(createdAt))
			.update();
	}

}
