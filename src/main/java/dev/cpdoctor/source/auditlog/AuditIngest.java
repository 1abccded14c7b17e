package dev.cpdoctor.source.auditlog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.support.Durations;

/**
 * The one way audit events of a webhook or log-file cluster get counted: batches are
 * processed by the cluster's {@link AuditStream} and stored in one transaction, one batch
 * at a time. A webhook batch that would wait behind more than a few others is refused
 * (429) rather than queued without bound: the apiserver keeps it and retries.
 */
public final class AuditIngest {

	/** The outcome of offering a batch. */
	public enum Outcome {

		STORED, BUSY, REPEATED

	}

	private final String cluster;

	private final AuditRollupWriter store;

	private final Clock clock;

	private final AuditStream.Limits limits;

	private final CountedRequests.Limits remember;

	private AuditStream stream;

	private final ReentrantLock lock = new ReentrantLock();

	private final Semaphore waiting;

	private boolean restored;

	/** Read by the status panel without waiting for a batch being stored. */
	private volatile int pending;

	private final AtomicLong batches = new AtomicLong();

	private final AtomicLong events = new AtomicLong();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong duplicates = new AtomicLong();

	private final AtomicLong expired = new AtomicLong();

	private final AtomicLong lateCompletions = new AtomicLong();

	private final AtomicLong busy = new AtomicLong();

	private final AtomicLong repeatedBatches = new AtomicLong();

	private final AtomicReference<Instant> lastBatchAt = new AtomicReference<>();

	private final AtomicReference<String> lastError = new AtomicReference<>();

	/**
	 * @param maxWaiting webhook batches allowed to wait for the one being stored before
	 * 429
	 */
	public AuditIngest(String cluster, AuditRollupWriter store, AuditStream.Limits limits, int maxWaiting,
			Clock clock) {
		this(cluster, store, limits, CountedRequests.Limits.live(), maxWaiting, clock);
	}

	/**
	 * @param remember how long and how many counted requests are remembered (a live
	 * cluster's window, or for ever for an imported log)
	 */
	public AuditIngest(String cluster, AuditRollupWriter store, AuditStream.Limits limits,
			CountedRequests.Limits remember, int maxWaiting, Clock clock) {
		this.cluster = cluster;
		this.store = store;
		this.clock = clock;
		this.limits = limits;
		this.remember = remember;
		this.stream = newStream();
		this.waiting = new Semaphore(maxWaiting + 1);
	}

	/**
	 * A stream that reads the requests counted before from the store: after a restart or
	 * a failed commit nothing counts twice.
	 */
	private AuditStream newStream() {
		return new AuditStream(this.limits,
				new CountedRequests(this.remember, (minute) -> this.store.countedCodes(this.cluster, minute)));
	}

	public String cluster() {
		return this.cluster;
	}

	/**
	 * A place in the queue for one webhook batch, taken before its body is read, so
	 * batches that would wait too long are refused (429) before they cost memory. Close
	 * it when done.
	 */
	public Optional<Admission> admit() {
		if (!this.waiting.tryAcquire()) {
			this.busy.incrementAndGet();
			return Optional.empty();
		}
		return Optional.of(new Admission());
	}

	/** A webhook batch's place in the queue. */
	public final class Admission implements AutoCloseable {

		private boolean closed;

		private Admission() {
		}

		/**
		 * Stores the batch (waiting for the one being stored) unless a body with the same
		 * digest was stored already: the apiserver resends a batch whose answer it did
		 * not get. Failures are rethrown.
		 */
		public Outcome store(List<AuditEvent> batch, AuditInputReport report, String bodyDigest) {
			return ingestOnce(batch, report, bodyDigest);
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				AuditIngest.this.waiting.release();
			}
		}

	}

	/**
	 * A webhook batch: stored, or refused at once when too many batches are ahead of it.
	 */
	public Outcome offer(List<AuditEvent> batch, AuditInputReport report) {
		Optional<Admission> admission = admit();
		if (admission.isEmpty()) {
			return Outcome.BUSY;
		}
		try (Admission admitted = admission.get()) {
			return admitted.store(batch, report, null);
		}
	}

	/**
	 * Stores a batch, waiting for its turn; with a checkpoint, the tailer's position
	 * moves in the same transaction. A failure counts nothing and is rethrown; the stream
	 * is then rebuilt from the database before the next batch (a commit reported as
	 * failed may have happened).
	 */
	public AuditBatch ingest(List<AuditEvent> batch, AuditInputReport report, String origin,
			AuditLogCheckpoint checkpoint) {
		return ingest(batch, report, origin, checkpoint, null);
	}

	private Outcome ingestOnce(List<AuditEvent> batch, AuditInputReport report, String bodyDigest) {
		this.lock.lock();
		try {
			if (bodyDigest != null && this.store.batchStored(this.cluster, bodyDigest)) {
				this.repeatedBatches.incrementAndGet();
				return Outcome.REPEATED;
			}
			ingest(batch, report, "webhook", null, bodyDigest);
			return Outcome.STORED;
		}
		finally {
			this.lock.unlock();
		}
	}

	private AuditBatch ingest(List<AuditEvent> batch, AuditInputReport report, String origin,
			AuditLogCheckpoint checkpoint, String bodyDigest) {
		this.lock.lock();
		try {
			restore();
			Instant now = this.clock.instant();
			AuditBatch processed = (batch != null) ? this.stream.process(batch, now) : this.stream.finish(now);
			refused(processed, report);
			try {
				this.store.store(this.cluster, processed, origin, report, now, checkpoint, bodyDigest);
			}
			catch (RuntimeException ex) {
				this.lastError.set(ex.getClass().getSimpleName() + ": " + ex.getMessage());
				// A commit reported as failed may still have happened: rebuild from the
				// database.
				this.stream = newStream();
				this.restored = false;
				throw ex;
			}
			this.stream.commit(processed);
			this.pending = this.stream.pending();
			this.lastError.set(null);
			this.batches.incrementAndGet();
			this.events.addAndGet(processed.events());
			this.requests.addAndGet(processed.requests());
			this.duplicates.addAndGet(processed.duplicates());
			this.expired.addAndGet(processed.expired());
			this.lateCompletions.addAndGet(processed.lateCompletions());
			this.lastBatchAt.set(now);
			return processed;
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * The input has ended (an import, a log file that stopped growing): requests still
	 * waiting for their completion are counted now, without latency, rather than never.
	 */
	public AuditBatch finish(String origin, AuditLogCheckpoint checkpoint) {
		return ingest(null, new AuditInputReport(), origin, checkpoint, null);
	}

	/** What the stream remembers of the requests it counted (tests, the benchmark). */
	CountedRequests counted() {
		this.lock.lock();
		try {
			return this.stream.counted();
		}
		finally {
			this.lock.unlock();
		}
	}

	/**
	 * When nothing came for {@code quiet} (a log file that stopped growing, a webhook
	 * that went silent) and requests still wait for their completion, the input has ended
	 * for now: they are counted, without latency, rather than never. A completion coming
	 * later still adds its latency.
	 * @return whether it finished
	 */
	public boolean finishIfQuiet(Duration quiet, String origin) {
		Instant last = this.lastBatchAt.get();
		if (this.pending == 0 || last == null || last.plus(quiet).isAfter(this.clock.instant())) {
			return false;
		}
		finish(origin, null);
		return true;
	}

	/** Requests waiting for their completion now. */
	public int pending() {
		return this.pending;
	}

	private void restore() {
		if (!this.restored) {
			this.stream.restore(this.store.pending(this.cluster), this.store.watermark(this.cluster).orElse(null));
			this.restored = true;
		}
	}

	/**
	 * Events read well but refused by the stream are counted by reason with the input.
	 */
	private void refused(AuditBatch processed, AuditInputReport report) {
		if (this.limits.retention() != null) {
			report
				.refused(
						"older than the retention (cpdoctor.audit.retention, "
								+ Durations.describe(this.limits.retention()) + "): it would be deleted at once",
						processed.pastRetention());
		}
		if (this.remember.window() != null) {
			report.refused("received over " + Durations.describe(this.remember.window())
					+ " before the newest event (cpdoctor.audit.remember-requests): it may have been counted already",
					processed.forgotten());
		}
	}

	public AuditDataQuality.Ingest status() {
		return new AuditDataQuality.Ingest(this.batches.get(), this.events.get(), this.requests.get(),
				this.duplicates.get(), this.expired.get(), this.lateCompletions.get(), this.busy.get(),
				this.repeatedBatches.get(), this.pending, this.lastBatchAt.get(), this.lastError.get());
	}

}
