package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
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
 * Walks the whole keyspace in pages: a range of at most pageSize keys starting just after
 * the last key seen and ending with the directory the page before lay in
 * ({@link #narrow}), then the rest of the directory around it, and so on out to the end
 * of the keyspace; every page at the revision of the first (a consistent picture, however
 * long the scan takes), serializable (answered by the member itself, no raft round),
 * unsorted (etcd answers in key order; asking for an order would make it read the whole
 * rest of the range for every page), paced by a {@link ScanPacer}. One page's values are
 * held while it is counted; only counters outlive it. A page the client refuses for its
 * size (over the max inbound message size) is asked again with half the keys.
 */
final class KeyspaceScanner {

	/**
	 * The whole keyspace: from the empty key ("\0") to the end ("\0" as range end means
	 * "no end").
	 */
	private static final ByteSequence ALL = ByteSequence.from(new byte[] { 0 });

	/**
	 * Pages are kept within a directory only while the range being read holds more than
	 * this many pages of keys (etcd's count): below it, walking the rest costs etcd
	 * little.
	 */
	static final int NARROW_ABOVE_PAGES = 8;

	private final KV kv;

	private final Duration timeout;

	private final int pageSize;

	private final Duration maxDuration;

	private final ScanPacer pacer;

	private final Clock clock;

	/**
	 * Pages read so far, and the most keys one page held (for tests: paging is really
	 * bounded).
	 */
	private long pages;

	private int largestPage;

	/**
	 * The keys asked per page: the page size, halved for good each time an answer is
	 * refused for its size.
	 */
	private int limit;

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
		// The ends of the ranges still to read, the narrowest on top; ALL (no end) at the
		// bottom.
		Deque<ByteSequence> ends = new ArrayDeque<>();
		ends.push(ALL);
		long revision = 0;
		this.limit = this.pageSize;
		while (true) {
			GetResponse page = page(from, ends.peek(), revision, tally.keys());
			if (revision == 0) {
				revision = page.getHeader().getRevision();
			}
			long bytes = count(page.getKvs(), tally);
			from = next(page, ends);
			if (from == null) {
				break;
			}
			if (Duration.between(started, this.clock.instant()).compareTo(this.maxDuration) > 0) {
				throw new TimeoutException("the scan ran longer than " + this.maxDuration + " after " + tally.keys()
						+ " keys (cpdoctor.etcd.max-scan-duration)");
			}
			this.pacer.afterPage(bytes);
		}
		Instant finished = this.clock.instant();
		return tally.result(revision, this.pages, this.pageSize, finished, Duration.between(started, finished));
	}

	/**
	 * One page of [from, end) at the revision (0: the current one, for the first page).
	 * An answer the client refuses for its size is asked again with half the keys, and
	 * the pages after it keep the smaller limit.
	 */
	private GetResponse page(ByteSequence from, ByteSequence end, long revision, long keysSoFar)
			throws InterruptedException, ExecutionException, TimeoutException {
		while (true) {
			// No sort order: etcd's ranges come in key order already, and any sort order
			// makes etcd drop the limit (it fetches the whole range, values too, sorts,
			// then truncates), so each page would read every key and value after it: a
			// scan quadratic in the keyspace.
			GetOption.Builder option = GetOption.builder().withRange(end).withLimit(this.limit).withSerializable(true);
			if (revision != 0) {
				option.withRevision(revision);
			}
			try {
				return this.kv.get(from, option.build()).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (ExecutionException ex) {
				if (!tooLarge(ex.getCause())) {
					throw ex;
				}
				// the answer was refused by its announced size, before its bytes were
				// held: fewer keys
				if (this.limit == 1) {
					throw new ExecutionException(new IllegalStateException("one value is larger than the page byte"
							+ " limit (cpdoctor.etcd.max-page-bytes) after " + keysSoFar + " keys", ex.getCause()));
				}
				this.limit = Math.max(1, this.limit / 2);
			}
		}
	}

	/** Counts a page's keys into the tally; the bytes of its values. */
	private long count(List<KeyValue> kvs, KeyspaceTally tally) {
		this.pages++;
		this.largestPage = Math.max(this.largestPage, kvs.size());
		long bytes = 0;
		for (KeyValue kv : kvs) {
			tally.add(kv.getKey().getBytes(), kv.getValue().size());
			bytes += kv.getValue().size();
		}
		return bytes;
	}

	/**
	 * Where the next page starts: just after this page's last key while the range goes on
	 * (narrowed to the directory the page lay in, see {@link #narrow}); at the end of a
	 * read range, the rest of the wider range it was cut from. Null when the keyspace is
	 * read.
	 */
	private ByteSequence next(GetResponse page, Deque<ByteSequence> ends) {
		List<KeyValue> kvs = page.getKvs();
		if (page.isMore() && !kvs.isEmpty()) {
			byte[] last = kvs.get(kvs.size() - 1).getKey().getBytes();
			if (page.getCount() > NARROW_ABOVE_PAGES * (long) this.pageSize) {
				narrow(ends, kvs.get(0).getKey().getBytes(), last);
			}
			return ByteSequence.from(append0(last));
		}
		// [from, end) is read: on with the wider range it was cut from, from its end
		ByteSequence end = ends.pop();
		return ends.isEmpty() ? null : end;
	}

	/**
	 * A page that lies within one directory keeps the next pages in it: for each '/' up
	 * to where the page's first and last keys part, the end of that directory
	 * (/registry/pods/acme/ ends at /registry/pods/acme0) goes on the stack if it is
	 * narrower than the range being read. etcd walks its index over the whole requested
	 * range for every page, whatever the limit (to count it), so pages of an open range
	 * cost it the rest of the keyspace each: quadratic. A directory of at least a page
	 * costs one more, partial, page at its end; smaller ones are read through the range
	 * around them. Only done while that range holds more than {@link #NARROW_ABOVE_PAGES}
	 * pages.
	 */
	static void narrow(Deque<ByteSequence> ends, byte[] first, byte[] last) {
		int common = Arrays.mismatch(first, last);
		int shared = (common < 0) ? last.length : common;
		for (int i = 0; i < shared; i++) {
			if (last[i] == '/') {
				byte[] end = Arrays.copyOf(last, i + 1);
				end[i] = '/' + 1;
				byte[] current = ends.peek().getBytes();
				boolean open = current.length == 1 && current[0] == 0;
				if (open || Arrays.compareUnsigned(end, current) < 0) {
					ends.push(ByteSequence.from(end));
				}
			}
		}
	}

	/**
	 * Whether the client refused an answer over its max inbound message size (gRPC
	 * RESOURCE_EXHAUSTED).
	 */
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
