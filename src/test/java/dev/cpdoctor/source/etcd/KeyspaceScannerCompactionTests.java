package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The scan's pinned revision compacted away between two pages: the scan fails at once,
 * saying so.
 */
class KeyspaceScannerCompactionTests {

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain();

	private static Client client;

	@BeforeAll
	static void write() throws Exception {
		client = Client.builder().endpoints(etcd.endpoint()).build();
		EtcdWrites writes = new EtcdWrites(client);
		for (int i = 0; i < 30; i++) {
			writes.put("/registry/pods/acme/p-" + i, 100);
		}
		writes.commit();
	}

	@AfterAll
	static void close() {
		client.close();
	}

	@Test
	void aCompactedRevisionEndsTheScanWithAClearFailure() throws Exception {
		AtomicInteger pauses = new AtomicInteger();
		ScanPacer pacer = new ScanPacer(1, Long.MAX_VALUE, System::nanoTime, (nanos) -> {
			if (pauses.getAndIncrement() == 0) {
				try {
					long rev = client.getKVClient()
						.put(EtcdWrites.key("/registry/pods/acme/late"), EtcdWrites.key("x"))
						.get(5, TimeUnit.SECONDS)
						.getHeader()
						.getRevision();
					client.getKVClient().compact(rev).get(5, TimeUnit.SECONDS);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
		});
		KeyspaceScanner scanner = new KeyspaceScanner(client.getKVClient(), Duration.ofSeconds(5), 10,
				Duration.ofMinutes(1), pacer, Clock.systemUTC());
		long started = System.nanoTime();
		assertThatThrownBy(scanner::scan).hasStackTraceContaining("compacted");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertThat(pauses).hasValue(1);
	}

}
