package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.etcd.KeyspaceUsage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Large values against the page byte limit (gRPC max inbound message size): 500 keys a
 * page is only a few MB of ordinary objects, but Kubernetes objects may be 1.5 MB each. A
 * page over the limit is refused by the client before its bytes are held; the scan must
 * then read smaller pages, not give up.
 */
class KeyspaceScannerLargeValuesTests {

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain();

	private static final int LIMIT = 4 * 1024 * 1024;

	private static Client client;

	@BeforeAll
	static void write() throws Exception {
		client = Client.builder().endpoints(etcd.endpoint()).maxInboundMessageSize(LIMIT).build();
		EtcdWrites writes = new EtcdWrites(client);
		for (int i = 0; i < 12; i++) {
			client.getKVClient()
				.put(EtcdWrites.key("/registry/configmaps/big/cm-" + i), ByteSequence.from(writes.value(1_000_000)))
				.get(10, TimeUnit.SECONDS);
		}
		client.getKVClient()
			.put(EtcdWrites.key("/registry/pods/acme/p"), ByteSequence.from(writes.value(100)))
			.get(10, TimeUnit.SECONDS);
	}

	@AfterAll
	static void close() {
		client.close();
	}

	@Test
	void aPageOverTheByteLimitIsReadInSmallerPages() throws Exception {
		KeyspaceScanner scanner = new KeyspaceScanner(client.getKVClient(), Duration.ofSeconds(10), 500,
				Duration.ofMinutes(1), new ScanPacer(1e9, Long.MAX_VALUE, System::nanoTime, (nanos) -> {
				}), Clock.systemUTC());
		KeyspaceUsage usage = scanner.scan();
		assertThat(usage.keys()).isEqualTo(13);
		assertThat(usage.valueBytes()).isEqualTo(12 * 1_000_000 + 100);
		assertThat(usage.prefix("configmaps").orElseThrow().keys()).isEqualTo(12);
		// 12 MB never came in one answer: at most 4 values of 1 MB fit under 4 MiB
		assertThat(scanner.largestPage()).isLessThanOrEqualTo(4);
	}

}
