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
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;

import dev.cpdoctor.analysis.etcd.KeyspaceTally;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;

/**
 * Walks the whole keyspace in pages: a range of at most pageSize keys starting just after the last
 * key seen, every page at the revision of the first (a consistent picture, however long the scan
 * takes), serializable (answered by the member itself, no raft round), unsorted (etcd answers in key
 * order; asking for an order would make it read the whole rest of the range for every page), paced by
 * a {@link ScanPacer}. One page's values are held while it is counted; only counters outlive it.
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
		while (true) {
			// No sort order: etcd's ranges come in key order already, and any sort order makes etcd drop
			// the limit (it fetches the whole range, values too, sorts, then truncates), so each page
			// would read every key and value after it: a scan quadratic in the keyspace.
			GetOption.Builder option = GetOption.builder().withRange(ALL).withLimit(this.pageSize).withSerializable(true);
			if (revision != 0) {
				option.withRevision(revision);
			}
			GetResponse page = this.kv.get(from, option.build()).get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
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
