package dev.cpdoctor.history;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.network.OwnCall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorder against a database that does not answer: a PostgreSQL address where
 * nothing listens, behind the pool the application uses, whose every connection attempt
 * waits its connection timeout (10 s in application-postgres.yaml, half a second here).
 */
class BufferedCallRecorderTests {

	private HikariDataSource down;

	private OwnCallStore store;

	@BeforeEach
	void databaseDown() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		this.down = new HikariDataSource();
		this.down.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closed + "/cpdoctor");
		this.down.setUsername("cpdoctor");
		this.down.setPassword("cpdoctor");
		this.down.setConnectionTimeout(500);
		this.down.setInitializationFailTimeout(-1);
		this.store = new OwnCallStore(new JdbcTemplate(this.down),
				new TransactionTemplate(new DataSourceTransactionManager(this.down)));
	}

	@AfterEach
	void close() {
		this.down.close();
	}

	private static OwnCall call(int second) {
		return OwnCall.answered("lab", Instant.parse("2026-11-22T10:00:00Z").plusSeconds(second), "metrics",
				Duration.ofMillis(5), 200);
	}

	/**
	 * One refused batch ends the flush: the writer does not wait a connection timeout for
	 * every batch in the buffer (buffer / flush-rows of them: 20 here, 20 times 10 s by
	 * default), and the application's stop is not held up as long. What stop cannot write
	 * is counted as lost.
	 */
	@Test
	void aDatabaseThatDoesNotAnswerCostsOneWaitPerFlushNotOnePerBatch() {
		BufferedCallRecorder recorder = new BufferedCallRecorder(this.store,
				new OwnCallProperties(Duration.ofDays(30), Duration.ofHours(1), 1, 20, 1000));
		for (int i = 0; i < 20; i++) {
			recorder.record(call(i));
		}

		long started = System.nanoTime();
		recorder.flush();
		Duration flushed = Duration.ofNanos(System.nanoTime() - started);

		assertThat(flushed).as("one flush against a database that does not answer").isLessThan(Duration.ofSeconds(3));
		assertThat(recorder.counts().failing()).isTrue();
		assertThat(recorder.counts().written()).isZero();

		recorder.start();
		started = System.nanoTime();
		recorder.stop();
		Duration stopped = Duration.ofNanos(System.nanoTime() - started);

		assertThat(stopped).as("stop against a database that does not answer").isLessThan(Duration.ofSeconds(3));
		assertThat(recorder.counts()).isEqualTo(new BufferedCallRecorder.Counts(0, 0, 20, true));
	}

}
