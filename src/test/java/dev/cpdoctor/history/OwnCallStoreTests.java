package dev.cpdoctor.history;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallOutcome;
import dev.cpdoctor.analysis.network.OwnCall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The own call store and its batching recorder on the migrated schema: H2 here,
 * PostgreSQL in {@link OwnCallStorePostgresTests} (the same tests).
 */
class OwnCallStoreTests {

	static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	static final TimeWindow HOUR = new TimeWindow(T0, T0.plus(Duration.ofHours(1)));

	OwnCallStore store;

	JdbcTemplate jdbc;

	@BeforeEach
	void migrate() throws Exception {
		use(dataSource());
	}

	/** A fresh, migrated database. */
	DataSource dataSource() throws Exception {
		DataSource dataSource = new DriverManagerDataSource(
				"jdbc:h2:mem:owncalls-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "cpdoctor", "");
		Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
		return dataSource;
	}

	void use(DataSource dataSource) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.store = new OwnCallStore(this.jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
	}

	static OwnCall answered(String cluster, int second, String kind, int status) {
		return OwnCall.answered(cluster, T0.plusSeconds(second), kind, Duration.ofNanos(12_345_000), status);
	}

	@Test
	void callsComeBackAsWrittenOldestFirstOfTheirClusterAndWindow() {
		OwnCall timeout = OwnCall.failed("lab", T0.plusSeconds(30), "readyz", Duration.ofSeconds(10),
				CallOutcome.TIMEOUT, null, "SocketTimeoutException: timeout ' ; drop table own_call; --");
		OwnCall cut = OwnCall.failed("lab", T0.plusSeconds(40), "metrics", Duration.ofMillis(60_000),
				CallOutcome.TIMEOUT, 200, "after HTTP 200: InterruptedIOException: timeout");
		this.store.save(List.of(answered("lab", 50, "list validatingwebhookconfigurations", 403), timeout, cut,
				answered("lab", -1, "metrics", 200), answered("lab", 3600, "metrics", 200),
				answered("other", 10, "metrics", 200), answered("lab", 0, "metrics", 200)));

		OwnCallStore.Read read = this.store.calls("lab", HOUR, 100);

		assertThat(read.truncated()).isFalse();
		assertThat(read.calls()).containsExactly(answered("lab", 0, "metrics", 200), timeout, cut,
				answered("lab", 50, "list validatingwebhookconfigurations", 403));
		this.store.save(List.of(OwnCall.answered("fine", T0, "metrics", Duration.ofNanos(1_234_567), 200)));
		assertThat(this.store.calls("fine", HOUR, 1).calls().get(0).took()).as("microseconds kept")
			.isEqualTo(Duration.ofNanos(1_234_000));
		assertThat(this.store.calls("nobody", HOUR, 100).calls()).isEmpty();
	}

	@Test
	void aLongWindowGivesItsNewestCallsAndSaysSo() {
		List<OwnCall> calls = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			calls.add(answered("lab", i, "metrics", 200));
		}
		this.store.save(calls);
		OwnCallStore.Read read = this.store.calls("lab", HOUR, 4);
		assertThat(read.truncated()).isTrue();
		assertThat(read.calls()).extracting(OwnCall::at)
			.containsExactly(T0.plusSeconds(6), T0.plusSeconds(7), T0.plusSeconds(8), T0.plusSeconds(9));
		assertThat(this.store.calls("lab", HOUR, 10).truncated()).isFalse();
	}

	@Test
	void oldCallsAreDeleted() {
		this.store.save(List.of(answered("lab", 0, "metrics", 200), answered("lab", 60, "metrics", 200),
				answered("other", 30, "readyz", 200)));
		assertThat(this.store.deleteBefore(T0.plusSeconds(60))).isEqualTo(2);
		assertThat(this.store.calls("lab", HOUR, 10).calls()).extracting(OwnCall::at)
			.containsExactly(T0.plusSeconds(60));
	}

	@Test
	void theRecorderWritesInBatchesDropsWhenFullAndNeverThrows() {
		BufferedCallRecorder recorder = new BufferedCallRecorder(this.store,
				new OwnCallProperties(Duration.ofDays(30), Duration.ofHours(1), 2, 3, 1000));
		for (int i = 0; i < 5; i++) {
			recorder.record(answered("lab", i, "metrics", 200));
		}
		assertThat(recorder.counts()).isEqualTo(new BufferedCallRecorder.Counts(0, 2, 0, false));
		assertThat(recorder.flush()).isEqualTo(3);
		assertThat(this.store.calls("lab", HOUR, 10).calls()).extracting(OwnCall::at)
			.containsExactly(T0, T0.plusSeconds(1), T0.plusSeconds(2));

		this.jdbc.execute("drop table own_call");
		recorder.record(answered("lab", 10, "metrics", 200));
		assertThatCode(recorder::flush).doesNotThrowAnyException();
		assertThat(recorder.counts()).isEqualTo(new BufferedCallRecorder.Counts(3, 2, 1, true));
	}

	@Test
	void aStartedRecorderWritesOnItsOwnAndWhatWaitsAtStop() throws Exception {
		BufferedCallRecorder recorder = new BufferedCallRecorder(this.store,
				new OwnCallProperties(Duration.ofDays(30), Duration.ofHours(1), 5, 100, 1000));
		recorder.start();
		try {
			for (int i = 0; i < 5; i++) {
				recorder.record(answered("lab", i, "metrics", 200));
			}
			// flush-rows reached: written by the writer thread, long before the hourly
			// flush
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (recorder.counts().written() < 5 && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			assertThat(recorder.counts().written()).isEqualTo(5);
			recorder.record(answered("lab", 20, "metrics", 200));
		}
		finally {
			recorder.stop();
		}
		assertThat(this.store.calls("lab", HOUR, 10).calls()).hasSize(6);
	}

	/**
	 * A failure's detail quotes what the other end sent (OkHttp: "Unexpected status line:
	 * ..."), control characters and NUL included; PostgreSQL refuses a NUL in text, which
	 * would lose the whole batch, every cluster's calls with it.
	 */
	@Test
	void aDetailQuotingControlCharactersIsWrittenWithItsBatch() {
		OwnCall garbled = OwnCall.failed("lab", T0.plusSeconds(1), "readyz", Duration.ofMillis(5), CallOutcome.OTHER,
				null, "ProtocolException: Unexpected status line: \u0000\u0001\u001b[2J garbled");
		this.store.save(List.of(answered("other", 0, "metrics", 200), garbled, answered("lab", 2, "metrics", 200)));
		assertThat(this.store.calls("lab", HOUR, 10).calls()).hasSize(2);
		assertThat(this.store.calls("other", HOUR, 10).calls()).hasSize(1);
		assertThat(this.store.calls("lab", HOUR, 10).calls().get(0).detail()).contains("garbled");
	}

	/**
	 * On shutdown the recorder must stop after everything that calls apiservers: the
	 * sampler finishing its last scrape and requests the web server lets finish (its
	 * graceful shutdown stops in a lower phase than the default). Registered before them,
	 * as in the configuration.
	 */
	@Test
	void callsMadeWhileTheApplicationStopsAreWritten() {
		BufferedCallRecorder recorder = new BufferedCallRecorder(this.store,
				new OwnCallProperties(Duration.ofDays(30), Duration.ofHours(1), 500, 1000, 1000));
		GenericApplicationContext context = new GenericApplicationContext();
		context.registerBean("ownCallRecorder", BufferedCallRecorder.class, () -> recorder);
		context.registerBean("sampler", SmartLifecycle.class,
				() -> new StopsWithACall(recorder, answered("lab", 1, "metrics", 200), SmartLifecycle.DEFAULT_PHASE));
		context.registerBean("gracefulShutdown", SmartLifecycle.class, () -> new StopsWithACall(recorder,
				answered("lab", 2, "readyz", 200), SmartLifecycle.DEFAULT_PHASE - 1024));
		context.refresh();
		recorder.record(answered("lab", 0, "metrics", 200));
		context.close();

		assertThat(this.store.calls("lab", HOUR, 10).calls()).extracting(OwnCall::kind)
			.containsExactly("metrics", "metrics", "readyz");
	}

	/**
	 * A lifecycle whose stop makes one more apiserver call (a scrape finishing, a request
	 * in flight).
	 */
	static final class StopsWithACall implements SmartLifecycle {

		private final BufferedCallRecorder recorder;

		private final OwnCall call;

		private final int phase;

		private volatile boolean running;

		StopsWithACall(BufferedCallRecorder recorder, OwnCall call, int phase) {
			this.recorder = recorder;
			this.call = call;
			this.phase = phase;
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			this.recorder.record(this.call);
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return this.phase;
		}

	}

}
