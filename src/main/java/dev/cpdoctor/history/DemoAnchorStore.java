package dev.cpdoctor.history;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Remembers the instant the demo scenario of a seed is frozen at (table demo_scenario). */
public class DemoAnchorStore {

	private final JdbcClient jdbc;

	public DemoAnchorStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Instant> find(long seed) {
		return this.jdbc.sql("select anchor from demo_scenario where seed = ?")
			.param(seed)
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	public void save(long seed, Instant anchor, Instant createdAt) {
		this.jdbc.sql("insert into demo_scenario (seed, anchor, created_at) values (?, ?, ?)")
			.params(seed, EtcdHistory.timestamp(anchor), EtcdHistory.timestamp(createdAt))
			.update();
	}

}
