package dev.cpdoctor.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.support.DaemonScheduler;

/**
 * Records the dashboard's own calls cheaply: a call is put in a bounded queue (never
 * waited for: when the queue is full the call is dropped and counted), and one background
 * thread writes the queue in batches, every flush interval or as soon as flush-rows calls
 * wait. A batch the database refuses is lost and counted, never retried in a loop and
 * never seen by the call it records; it ends that flush (the next one tries again), and
 * what the last flush at stop cannot write is counted lost.
 */
public final class BufferedCallRecorder implements CallRecorder, SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(BufferedCallRecorder.class);

	/**
	 * What became of the calls recorded since start-up.
	 *
	 * @param written written to the database
	 * @param dropped not kept: the buffer was full
	 * @param lost in a batch the database refused
	 * @param failing whether the last batch was refused
	 */
	public record Counts(long written, long dropped, long lost, boolean failing) {
	}

	private final OwnCallStore store;

	private final OwnCallProperties properties;

	private final BlockingQueue<OwnCall> queue;

	private final AtomicLong written = new AtomicLong();

	private final AtomicLong dropped = new AtomicLong();

	private final AtomicLong lost = new AtomicLong();

	private final AtomicBoolean flushAsked = new AtomicBoolean();

	private final AtomicBoolean failing = new AtomicBoolean();

	/**
	 * One flush at a time (the writer's and stop's or a test's); not the lifecycle's
	 * monitor.
	 */
	private final Object flushing = new Object();

	private volatile ScheduledExecutorService executor;

	public BufferedCallRecorder(OwnCallStore store, OwnCallProperties properties) {
		this.store = store;
		this.properties = properties;
		this.queue = new ArrayBlockingQueue<>(properties.buffer());
	}

	@Override
	public void record(OwnCall call) {
		if (!this.queue.offer(call)) {
			this.dropped.incrementAndGet();
			return;
		}
		if (this.queue.size() >= this.properties.flushRows() && this.flushAsked.compareAndSet(false, true)) {
			ScheduledExecutorService running = this.executor;
			if (running != null) {
				try {
					running.execute(this::flushQuietly);
				}
				catch (RuntimeException ex) {
					// Shutting down: the last flush of stop() takes what waits.
					this.flushAsked.set(false);
				}
			}
			else {
				this.flushAsked.set(false);
			}
		}
	}

	/**
	 * Writes everything waiting now, batch by batch; returns how many calls were written.
	 */
	public int flush() {
		synchronized (this.flushing) {
			return flushNow();
		}
	}

	private int flushNow() {
		this.flushAsked.set(false);
		int total = 0;
		List<OwnCall> batch = new ArrayList<>(this.properties.flushRows());
		while (this.queue.drainTo(batch, this.properties.flushRows()) > 0) {
			try {
				this.store.save(batch);
				this.written.addAndGet(batch.size());
				total += batch.size();
				if (this.failing.compareAndSet(true, false)) {
					log.info("Own call history is written again");
				}
			}
			catch (RuntimeException ex) {
				this.lost.addAndGet(batch.size());
				if (this.failing.compareAndSet(false, true)) {
					log.warn("Own call history: a batch of {} calls could not be written (lost; calls go on): {}",
							batch.size(), ex.getMessage());
				}
				// One refusal per flush: a database that does not answer makes every
				// batch wait its connection timeout, and the rest wait for the next flush
				// (or are dropped when full).
				break;
			}
			batch.clear();
		}
		return total;
	}

	private void flushQuietly() {
		try {
			flush();
		}
		catch (RuntimeException ex) {
			log.warn("Own call history flush failed", ex);
		}
	}

	public Counts counts() {
		return new Counts(this.written.get(), this.dropped.get(), this.lost.get(), this.failing.get());
	}

	@Override
	public synchronized void start() {
		this.executor = DaemonScheduler.singleThread("own-call-writer");
		long interval = this.properties.flushInterval().toMillis();
		this.executor.scheduleWithFixedDelay(this::flushQuietly, interval, interval, TimeUnit.MILLISECONDS);
	}

	/**
	 * Started before and stopped after every other lifecycle (the web server's graceful
	 * shutdown and its requests in flight, the sampler's last scrape): whatever still
	 * calls an apiserver while the application stops is recorded before the last flush,
	 * not left in the queue unwritten and uncounted.
	 */
	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 1000;
	}

	/** Stops the writer, then writes what still waits. */
	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			ScheduledExecutorService stopping = this.executor;
			this.executor = null;
			DaemonScheduler.stopGracefully(stopping, Duration.ofSeconds(10));
			flushQuietly();
			// What the last flush could not write (the database refused it) is lost:
			// counted, not waited for.
			List<OwnCall> left = new ArrayList<>();
			this.queue.drainTo(left);
			this.lost.addAndGet(left.size());
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null;
	}

}
