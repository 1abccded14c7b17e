package dev.cpdoctor.source.auditlog;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupWriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * One batch stored at a time per cluster; those that would queue too deep are refused at
 * once.
 */
class AuditIngestTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	/** A store that holds each batch until released, and can be told to fail. */
	static final class SlowStore extends AuditRollupWriter {

		final CountDownLatch entered = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger stored = new AtomicInteger();

		volatile boolean fail;

		SlowStore() {
			super(null, null);
		}

		@Override
		public Optional<Instant> watermark(String cluster) {
			return Optional.empty();
		}

		@Override
		public long[] countedCodes(String cluster, Instant minute) {
			return new long[0];
		}

		@Override
		public void store(String cluster, AuditBatch batch, String origin, AuditInputReport report, Instant receivedAt,
				AuditLogCheckpoint checkpoint, String bodyDigest) {
			this.entered.countDown();
			try {
				this.release.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.fail) {
				throw new DataAccessResourceFailureException("database gone");
			}
			this.stored.addAndGet((int) batch.requests());
		}

		@Override
		public List<PendingRequest> pending(String cluster) {
			return List.of();
		}

	}

	private static List<AuditEvent> batch(String prefix, int n) {
		List<AuditEvent> events = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			events.add(new AuditEvent(prefix + i, Stage.RESPONSE_COMPLETE, "get", "kubectl", "pods", "", "", 200, T0,
					T0.plusMillis(5)));
		}
		return events;
	}

	@Test
	void batchesBeyondTheWaitingLimitAreRefusedAtOnceAndTheOthersAreStored() throws Exception {
		SlowStore store = new SlowStore();
		AuditIngest ingest = new AuditIngest("lab", store, AuditStream.Limits.defaults(), 1, Clock.systemUTC());
		CompletableFuture<AuditIngest.Outcome> first = CompletableFuture
			.supplyAsync(() -> ingest.offer(batch("a", 3), new AuditInputReport()));
		assertThat(store.entered.await(5, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<AuditIngest.Outcome> second = CompletableFuture
			.supplyAsync(() -> ingest.offer(batch("b", 4), new AuditInputReport()));
		// The first is being stored, the second waits: a third is one too many.
		Thread.sleep(200);
		assertThat(ingest.offer(batch("c", 5), new AuditInputReport())).isEqualTo(AuditIngest.Outcome.BUSY);
		store.release.countDown();
		assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(AuditIngest.Outcome.STORED);
		assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(AuditIngest.Outcome.STORED);
		assertThat(store.stored.get()).isEqualTo(7);
		assertThat(ingest.status().busyRefusals()).isEqualTo(1);
		// Refused, the apiserver sends it again later: it is counted then, once.
		assertThat(ingest.offer(batch("c", 5), new AuditInputReport())).isEqualTo(AuditIngest.Outcome.STORED);
		assertThat(store.stored.get()).isEqualTo(12);
	}

	@Test
	void aFailedStoreCountsNothingAndTheSameBatchSentAgainCountsOnce() {
		SlowStore store = new SlowStore();
		store.release.countDown();
		AuditIngest ingest = new AuditIngest("lab", store, AuditStream.Limits.defaults(), 4, Clock.systemUTC());
		store.fail = true;
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> ingest.offer(batch("a", 3), new AuditInputReport()));
		assertThat(ingest.status().lastError()).contains("database gone");
		assertThat(ingest.status().requests()).isZero();
		store.fail = false;
		assertThat(ingest.offer(batch("a", 3), new AuditInputReport())).isEqualTo(AuditIngest.Outcome.STORED);
		assertThat(store.stored.get()).isEqualTo(3);
		assertThat(ingest.status().duplicates()).isZero();
		assertThat(ingest.status().lastError()).isNull();
	}

}
