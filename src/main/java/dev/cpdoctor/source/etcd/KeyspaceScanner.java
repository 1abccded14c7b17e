package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.grpc.Status;

import dev.cpdoctor.analysis.etcd.KeyspaceTally;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;

/**
 * Walks the whole keyspace in pages: a range of at most pageSize keys starting just after the last
 * key seen, every page at the revision of the first (a consistent picture, however long the scan
 * takes), serializable (answered by the member itself, no raft round), paced by a {@link ScanPacer}.
 * One page's values are held while it is counted; only counters outlive it. A page the client refuses
 * for its size (over the max inbound message size) is asked again with half the keys.
 */
final class KeyspaceScanner {

	/** The whole keyspace: from the empty key ("\0") to the end ("\0" as range end means "no end"). */
	private static final ByteSequence ALL = ByteSequence.from(new byte[] { 0 });

	private final KV kv;

	private final Duration timeout;

	private final int pageSize;

	private final Duration maxDuration;

	private final ScanPacer pacer;

	private final Clock clock;

	/** Pages read so far, and the most keys one page held (for tests: paging is really bounded). */
	private long pages;

	private int largestPage;

	KeyspaceScanner(KV kv, Duration timeout, int pageSize, Duration maxDuration, ScanPacer pacer, Clock clock) {
		this.kv = kv;
		this.timeout = timeout;
		this.pageSize = pageSize;
		this.maxDuration = maxDuration;
		this.pacer = pacer;
		this.clock = clock;
	}

	KeyspaceUsage scan() throws InterruptedException, ExecutionException, TimeoutException {
		Instant started = this.clock.instant();
		KeyspaceTally tally = new KeyspaceTally();
		ByteSequence from = ALL;
		long revision = 0;
		int limit = this.pageSize;
		while (true) {
			GetOption.Builder option = GetOption.builder()
				.withRange(ALL)
				.withLimit(limit)
				.withSerializable(true)
				.withSortField(GetOption.SortTarget.KEY)
				.withSortOrder(GetOption.SortOrder.ASCEND);
			if (revision != 0) {
				option.withRevision(revision);
			}
			GetResponse page;
			try {
				page = this.kv.get(from, option.build()).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!tooLarge(ex.getCause())) {
					throw ex;
				}
				// the answer was refused by its announced size, before its bytes were held: fewer keys
				if (limit == 1) {
					throw new ExecutionException(new IllegalStateException("one value is larger than the page byte"
							+ " limit (cpdoctor.etcd.max-page-bytes) after " + tally.keys() + " keys", ex.getCause()));
				}
				limit = Math.max(1, limit / 2);
				continue;
			}
			if (revision == 0) {
				revision = page.getHeader().getRevision();
			}
			this.pages++;
			List<KeyValue> kvs = page.getKvs();
			this.largestPage = Math.max(this.largestPage, kvs.size());
			long bytes = 0;
			for (KeyValue kv : kvs) {
				tally.add(kv.getKey().getBytes(), kv.getValue().size());
				bytes += kv.getValue().size();
			}
			if (!page.isMore() || kvs.isEmpty()) {
				break;
			}
			from = ByteSequence.from(append0(kvs.get(kvs.size() - 1).getKey().getBytes()));
			if (Duration.between(started, this.clock.instant()).compareTo(this.maxDuration) > 0) {
				throw new TimeoutException("the scan ran longer than " + this.maxDuration + " after " + tally.keys()
						+ " keys (cpdoctor.etcd.max-scan-duration)");
			}
			this.pacer.afterPage(bytes);
		}
		Instant finished = this.clock.instant();
		return tally.result(revision, this.pages, this.pageSize, finished, Duration.between(started, finished));
	}

	/** Whether the client refused an answer over its max inbound message size (gRPC RESOURCE_EXHAUSTED). */
	private static boolean tooLarge(Throwable cause) {
		for (Throwable t = cause; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
			if (t instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.RESOURCE_EXHAUSTED) {
				return true;
			}
			if (Status.fromThrowable(t).getCode() == Status.Code.RESOURCE_EXHAUSTED) {
				return true;
			}
		}
		return false;
	}

	/** The smallest key after {@code key}: the key with a 0 byte appended. */
	private static byte[] append0(byte[] key) {
		byte[] next = new byte[key.length + 1];
		System.arraycopy(key, 0, next, 0, key.length);
		return next;
	}

	int largestPage() {
		return this.largestPage;
	}

}
