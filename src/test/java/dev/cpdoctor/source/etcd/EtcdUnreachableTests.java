package dev.cpdoctor.source.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.GetResponse;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No etcd at all: every answer is a failure value, given within the timeout. No etcd
 * binary needed.
 */
class EtcdUnreachableTests {

	private static final Cluster CLUSTER = new Cluster("gone", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	private static final Duration TIMEOUT = Duration.ofMillis(1500);

	private static JetcdEtcdDirectSource source(URI endpoint) {
		return new JetcdEtcdDirectSource(
				Map.of(CLUSTER.name(), new ClusterProperties.Etcd(List.of(endpoint), null, null, null, List.of())),
				EtcdProperties.defaults().withScan(TIMEOUT, 500, 20, DataSize.ofMegabytes(8)), Clock.systemUTC());
	}

	/** A port nobody listens on: connections are refused at once. */
	private static URI closedPort() throws Exception {
		return URI.create("http://127.0.0.1:" + EtcdTestServer.freePorts(1)[0]);
	}

	@Test
	void aRefusedEndpointIsAFailureValue() throws Exception {
		URI endpoint = closedPort();
		try (JetcdEtcdDirectSource source = source(endpoint)) {
			EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) source.status(CLUSTER)).value();
			assertThat(status.members()).isEmpty();
			assertThat(status.unreachable()).singleElement()
				.satisfies((f) -> assertThat(f.endpoint()).isEqualTo(endpoint.toString()));
			assertThat(status.alarms()).isNull();
			assertThat(status.alarmsFailure()).isNotBlank();
			assertThat(status.metricsFailures()).singleElement()
				.satisfies((f) -> assertThat(f.endpoint()).isEqualTo(endpoint.toString()));
			SourceResult<KeyspaceUsage> scan = source.refreshKeyspace(CLUSTER);
			assertThat(scan).isInstanceOf(SourceResult.Failed.class);
			assertThat(((SourceResult.Failed<KeyspaceUsage>) scan).reason()).startsWith("the keyspace scan failed");
		}
	}

	/**
	 * A loopback socket that takes connections (the kernel completes the handshake) and
	 * never says a word: every call hangs until the timeout gives up on it.
	 */
	@Test
	void aSilentEndpointFailsWithinTheTimeout() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				JetcdEtcdDirectSource source = source(URI.create("http://127.0.0.1:" + silent.getLocalPort()))) {
			long started = System.nanoTime();
			EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) source.status(CLUSTER)).value();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(status.members()).isEmpty();
			assertThat(status.unreachable()).hasSize(1);
			// all calls run in parallel under one deadline: a generous bound, not a speed
			// assertion
			assertThat(took).isLessThan(TIMEOUT.multipliedBy(4));
		}
	}

	/**
	 * jetcd's statusMember opened a channel per call and shut it down only when the call
	 * ended, which a call to a silent member never did: every status read left one more
	 * connection open to a member that is already struggling. Each member's status now
	 * goes over one channel kept per member.
	 */
	@Test
	void aGivenUpStatusCallLeavesNoConnectionOpen() throws Exception {
		List<Socket> accepted = new CopyOnWriteArrayList<>();
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			Thread acceptor = new Thread(() -> {
				while (!silent.isClosed()) {
					try {
						accepted.add(silent.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
			try (JetcdEtcdDirectSource source = new JetcdEtcdDirectSource(
					Map.of(CLUSTER.name(),
							new ClusterProperties.Etcd(List.of(endpoint), null, null, null, List.of(closedPort()))),
					EtcdProperties.defaults().withScan(TIMEOUT, 500, 20, DataSize.ofMegabytes(8)), Clock.systemUTC())) {
				for (int i = 0; i < 3; i++) {
					assertThat(((SourceResult.Ok<EtcdClusterStatus>) source.status(CLUSTER)).value().unreachable())
						.hasSize(1);
				}
				// one connection of the long-lived client (alarms, scans) and one of the
				// member's status channel, whatever the number of reads; not one more per
				// read given up on
				Thread.sleep(TIMEOUT.toMillis());
				assertThat(openConnections(accepted)).as("connections open of %s accepted", accepted.size())
					.isLessThanOrEqualTo(2);
				assertThat(accepted).hasSizeLessThanOrEqualTo(2);
			}
			finally {
				for (Socket socket : accepted) {
					socket.close();
				}
			}
		}
	}

	/**
	 * Sockets whose peer has not closed: reading them (drained, without blocking) gives
	 * no end of stream.
	 */
	private static long openConnections(List<Socket> sockets) throws Exception {
		long open = 0;
		for (Socket socket : sockets) {
			socket.setSoTimeout(10);
			boolean closed = false;
			try {
				byte[] buffer = new byte[8192];
				while (true) {
					if (socket.getInputStream().read(buffer) < 0) {
						closed = true;
						break;
					}
				}
			}
			catch (SocketTimeoutException ex) {
				// nothing more for now: still open
			}
			catch (IOException ex) {
				closed = true;
			}
			open += closed ? 0 : 1;
		}
		return open;
	}

	/**
	 * A page given up on must end at etcd too, not only in the thread waiting for it:
	 * every call of the scan's client carries a gRPC deadline, so its future ends with
	 * DEADLINE_EXCEEDED by itself.
	 */
	@Test
	void everyCallOfTheScanClientEndsByItsDeadline() throws Exception {
		try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				EtcdConnection connection = new EtcdConnection(
						new ClusterProperties.Etcd(List.of(URI.create("http://127.0.0.1:" + silent.getLocalPort())),
								null, null, null, List.of()),
						EtcdProperties.defaults().withScan(TIMEOUT, 500, 20, DataSize.ofMegabytes(8)))) {
			CompletableFuture<GetResponse> page = connection.client()
				.getKVClient()
				.get(ByteSequence.from("/registry/", StandardCharsets.UTF_8));
			Throwable ended = page.handle((response, failure) -> failure)
				.get(TIMEOUT.toMillis() * 4, TimeUnit.MILLISECONDS);
			assertThat(ended).isNotNull();
			List<Status.Code> codes = new ArrayList<>();
			for (Throwable t = ended; t != null; t = (t.getCause() != t) ? t.getCause() : null) {
				codes.add(Status.fromThrowable(t).getCode());
			}
			assertThat(codes).contains(Status.Code.DEADLINE_EXCEEDED);
		}
	}

	@Test
	void aClusterWithoutEtcdSaysWhatToConfigure() {
		try (JetcdEtcdDirectSource source = new JetcdEtcdDirectSource(Map.of(), EtcdProperties.defaults(),
				Clock.systemUTC())) {
			assertThat(source.configured(CLUSTER)).isFalse();
			assertThat(((SourceResult.Failed<EtcdClusterStatus>) source.status(CLUSTER)).reason())
				.contains("cpdoctor.clusters[].etcd.endpoints");
		}
	}

}
