package dev.cpdoctor.source.etcd;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.etcd.KeyspaceUsage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paging on a real etcd: small pages give the same answer, hold at most a page, and stay
 * at one revision.
 */
class KeyspaceScannerTests {

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain();

	private static Client client;

	private static EtcdWrites writes;

	@BeforeAll
	static void write() throws Exception {
		client = Client.builder().endpoints(etcd.endpoint()).build();
		writes = new EtcdWrites(client);
		for (int i = 0; i < 250; i++) {
			writes.put("/registry/events/ns-" + (i % 4) + "/event-" + i, 100 + i);
		}
		for (int i = 0; i < 53; i++) {
			writes.put("/registry/secrets/acme/s-" + i, 500);
		}
		writes.put("/unrelated/key", 10);
		writes.commit();
	}

	@AfterAll
	static void close() {
		client.close();
	}

	private static final ScanPacer NO_WAIT = new ScanPacer(1e9, Long.MAX_VALUE, System::nanoTime, (nanos) -> {
	});

	private static KeyspaceScanner scanner(int pageSize, ScanPacer pacer) {
		return scanner(client.getKVClient(), pageSize, pacer);
	}

	/** A KV that records the options of every range request before passing it to etcd. */
	private static KV recording(List<GetOption> asked) {
		KV real = client.getKVClient();
		return (KV) Proxy.newProxyInstance(KV.class.getClassLoader(), new Class<?>[] { KV.class },
				(proxy, method, args) -> {
					if (method.getName().equals("get") && args.length == 2 && args[1] instanceof GetOption option) {
						asked.add(option);
					}
					try {
						return method.invoke(real, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	private static KeyspaceScanner scanner(KV kv, int pageSize, ScanPacer pacer) {
		return new KeyspaceScanner(kv, Duration.ofSeconds(5), pageSize, Duration.ofMinutes(1), pacer,
				Clock.systemUTC());
	}

	/**
	 * etcd honours a range's limit only without a sort order (etcd's rangeLimit: "fetch
	 * everything; sort and truncate afterwards"): a sorted page reads every key and value
	 * after it, and a scan of 200,000 keys took 155 s instead of seconds
	 * (bench/etcd-scan.sh). etcd answers in key order anyway, so the scanner asks for
	 * none.
	 */
	@Test
	void pagesAskForNoSortOrderSoEtcdReadsOnlyAPage() throws Exception {
		List<GetOption> asked = new ArrayList<>();

		KeyspaceUsage usage = scanner(recording(asked), 50, NO_WAIT).scan();

		assertThat(usage.keys()).isEqualTo(writes.totalKeys());
		assertThat(usage.prefixes()).isEqualTo(scanner(1000, NO_WAIT).scan().prefixes());
		assertThat(asked).hasSize(7).allSatisfy((option) -> {
			assertThat(option.getSortOrder()).isEqualTo(GetOption.SortOrder.NONE);
			assertThat(option.getLimit()).isEqualTo(50);
			assertThat(option.isSerializable()).isTrue();
			assertThat(option.isKeysOnly()).isFalse(); // values are read for their size
			// 304 keys are not more than 8 pages of 50: the range stays open to the end
			// of the keyspace
			assertThat(option.getEndKey()).contains(ByteSequence.from(new byte[] { 0 }));
		});
	}

	/**
	 * etcd walks its index over the whole requested range for every page (to count it),
	 * whatever the limit: pages of a range open to the end of the keyspace cost it the
	 * rest of the keyspace each, quadratic (1,000,000 keys: minutes; bench/etcd-scan.sh).
	 * A page that lies within one directory keeps the next pages in that directory while
	 * more than 8 pages remain in the range.
	 */
	@Test
	void aPageWithinOneDirectoryKeepsTheNextPagesInIt() throws Exception {
		List<GetOption> asked = new ArrayList<>();

		KeyspaceUsage usage = scanner(recording(asked), 7, NO_WAIT).scan();

		assertThat(usage.keys()).isEqualTo(writes.totalKeys());
		assertThat(usage.valueBytes()).isEqualTo(writes.totalBytes());
		// the first page: 7 keys of /registry/events/ns-0/ out of 304 (more than 8 pages
		// of 7), so the second asks up to the end of that namespace only
		assertThat(asked.get(0).getEndKey()).contains(ByteSequence.from(new byte[] { 0 }));
		assertThat(asked.get(1).getEndKey()).contains(EtcdWrites.key("/registry/events/ns-00"));
		// the 53 secrets are not more than 8 pages: read through the range around them,
		// not narrowed
		assertThat(asked).noneSatisfy(
				(option) -> assertThat(option.getEndKey()).contains(EtcdWrites.key("/registry/secrets/acme0")));
		// and every range is read out to the end of the keyspace
		assertThat(asked.get(asked.size() - 1).getEndKey()).contains(ByteSequence.from(new byte[] { 0 }));
	}

	@Test
	void pagesSmallerThanTheKeyspaceGiveTheSameAnswerAndHoldAtMostAPage() throws Exception {
		KeyspaceScanner small = scanner(7, NO_WAIT);
		KeyspaceUsage paged = small.scan();
		KeyspaceScanner large = scanner(1000, NO_WAIT);
		KeyspaceUsage whole = large.scan();

		assertThat(paged.keys()).isEqualTo(writes.totalKeys()).isEqualTo(304);
		assertThat(paged.valueBytes()).isEqualTo(writes.totalBytes());
		assertThat(paged.prefixes()).isEqualTo(whole.prefixes());
		assertThat(paged.revision()).isEqualTo(whole.revision());
		// ceil(304 / 7) = 44 range requests if every page were full; the small pages are
		// kept within a namespace while more than 8 pages remain, which can end a
		// namespace with a partial page and steps out of a finished directory with a
		// request of its own: a few more. The large page took one.
		assertThat(paged.pages()).isBetween(44L, 50L);
		assertThat(small.largestPage()).isEqualTo(7);
		assertThat(whole.pages()).isEqualTo(1);
		assertThat(large.largestPage()).isEqualTo(304);
	}

	@Test
	void aScanStaysAtTheRevisionOfItsFirstPage() throws Exception {
		List<Long> waits = new ArrayList<>();
		// between the first and the second page someone writes: the scan must not see it.
		// One page a second makes the pacer ask for a pause after every page; the pause
		// is recorded, not slept.
		ScanPacer writesWhilePaused = new ScanPacer(1, Long.MAX_VALUE, System::nanoTime, (nanos) -> {
			if (waits.isEmpty()) {
				try {
					client.getKVClient()
						.put(EtcdWrites.key("/registry/secrets/acme/z-late"), EtcdWrites.key("late"))
						.get(5, TimeUnit.SECONDS);
					client.getKVClient().delete(EtcdWrites.key("/registry/secrets/acme/s-9")).get(5, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
			waits.add(nanos);
		});
		try {
			KeyspaceUsage before = scanner(50, writesWhilePaused).scan();
			assertThat(waits).hasSize(6); // 304 keys in 7 pages of 50: a pause after each
											// but the last
			assertThat(before.keys()).isEqualTo(writes.totalKeys());
			// the secrets come after the first page: unpinned, the scan would see z-late
			// and miss s-9
			assertThat(before.prefix("secrets").orElseThrow().keys()).isEqualTo(53);
			assertThat(before.prefix("secrets").orElseThrow().valueBytes()).isEqualTo(53 * 500);
			assertThat(before.valueBytes()).isEqualTo(writes.totalBytes());
			KeyspaceUsage after = scanner(50, NO_WAIT).scan();
			assertThat(after.revision()).isGreaterThan(before.revision());
			assertThat(after.prefix("secrets").orElseThrow().keys()).isEqualTo(53); // one
																					// more,
																					// one
																					// less
			assertThat(after.prefix("secrets").orElseThrow().valueBytes()).isEqualTo(52 * 500 + 4);
		}
		finally {
			// back as it was, for the other test
			client.getKVClient().delete(EtcdWrites.key("/registry/secrets/acme/z-late")).get(5, TimeUnit.SECONDS);
			client.getKVClient()
				.put(EtcdWrites.key("/registry/secrets/acme/s-9"), ByteSequence.from(writes.value(500)))
				.get(5, TimeUnit.SECONDS);
		}
	}

}
