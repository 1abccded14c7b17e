package dev.cpdoctor.source.etcd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterProperties;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * etcd as kubeadm runs it: https client URLs with --client-cert-auth, and a client key in
 * PKCS#1 (BEGIN RSA PRIVATE KEY), which Netty's own PEM loader refuses.
 */
class EtcdTlsTests {

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.tls();

	private static final Cluster CLUSTER = new Cluster("kubeadm", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	private static SourceResult<EtcdClusterStatus> status(ClusterProperties.Etcd configuration) {
		try (JetcdEtcdDirectSource source = new JetcdEtcdDirectSource(Map.of(CLUSTER.name(), configuration),
				EtcdProperties.defaults(), Clock.systemUTC())) {
			return source.status(CLUSTER);
		}
	}

	@Test
	void aPkcs1ClientKeyReadsStatusAlarmsAndMetricsOverTls() throws Exception {
		assertThat(Files.readString(etcd.certificates().clientKey())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
		SourceResult<EtcdClusterStatus> result = status(etcd.configuration());
		assertThat(result).isInstanceOf(SourceResult.Ok.class);
		EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) result).value();
		assertThat(status.unreachable()).isEmpty();
		assertThat(status.members()).singleElement().satisfies((m) -> {
			assertThat(m.endpoint()).startsWith("https://127.0.0.1:");
			assertThat(m.dbSizeBytes()).isPositive();
		});
		assertThat(status.alarms()).isEmpty();
		// /metrics on the https client port, with the same client certificate
		assertThat(status.metricsFailures()).isEmpty();
		assertThat(status.quotaBackendBytes()).contains(etcd.quotaBytes());
	}

	@Test
	void aPkcs8ClientKeyWorksToo() {
		ClusterProperties.Etcd pkcs8 = new ClusterProperties.Etcd(List.of(etcd.endpoint()), etcd.certificates().ca(),
				etcd.certificates().clientCert(), etcd.certificates().clientKeyPkcs8(), List.of());
		assertThat(status(pkcs8)).isInstanceOf(SourceResult.Ok.class);
	}

	@Test
	void theKeyspaceScanRunsOverTls() {
		try (JetcdEtcdDirectSource source = new JetcdEtcdDirectSource(Map.of(CLUSTER.name(), etcd.configuration()),
				EtcdProperties.defaults(), Clock.systemUTC())) {
			SourceResult<KeyspaceUsage> result = source.refreshKeyspace(CLUSTER);
			assertThat(result).isInstanceOf(SourceResult.Ok.class);
			assertThat(((SourceResult.Ok<KeyspaceUsage>) result).value().revision()).isPositive();
		}
	}

	@Test
	void aCertificateFromAnotherCaIsRefusedAsAValue() {
		ClusterProperties.Etcd stranger = new ClusterProperties.Etcd(List.of(etcd.endpoint()), etcd.certificates().ca(),
				etcd.certificates().strangerCert(), etcd.certificates().strangerKey(), List.of());
		EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) status(stranger)).value();
		assertThat(status.members()).isEmpty();
		assertThat(status.unreachable()).singleElement().satisfies((f) -> assertThat(f.reason()).isNotBlank());
		assertThat(status.alarms()).isNull();
		assertThat(status.alarmsFailure()).isNotBlank();
		assertThat(status.metricsFailures()).hasSize(1);
	}

	@Test
	void withoutTheCaTheServerIsNotTrusted() {
		ClusterProperties.Etcd noCa = new ClusterProperties.Etcd(List.of(etcd.endpoint()), null,
				etcd.certificates().clientCert(), etcd.certificates().clientKey(), List.of());
		EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) status(noCa)).value();
		assertThat(status.members()).isEmpty();
		assertThat(status.unreachable()).hasSize(1);
	}

	/**
	 * The server certificate names 127.0.0.1 and localhost. Reached as 127.0.0.2 (a plain
	 * TCP relay to the real port), the same trusted certificate does not name the
	 * endpoint: status, alarms and /metrics must all refuse it (hostname verification),
	 * not just check the CA.
	 */
	@Test
	void aCertificateThatDoesNotNameTheEndpointIsRefused() throws Exception {
		InetAddress other = InetAddress.getByName("127.0.0.2");
		try (ServerSocket relay = new ServerSocket(0, 50, other)) {
			Thread acceptor = new Thread(() -> {
				while (!relay.isClosed()) {
					try {
						Socket in = relay.accept();
						Socket out = new Socket("127.0.0.1", etcd.endpoint().getPort());
						pipe(in, out);
						pipe(out, in);
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			acceptor.setDaemon(true);
			acceptor.start();
			URI relayed = URI.create("https://127.0.0.2:" + relay.getLocalPort());
			ClusterProperties.Etcd misnamed = new ClusterProperties.Etcd(List.of(relayed), etcd.certificates().ca(),
					etcd.certificates().clientCert(), etcd.certificates().clientKey(), List.of());
			EtcdClusterStatus status = ((SourceResult.Ok<EtcdClusterStatus>) status(misnamed)).value();
			assertThat(status.members()).isEmpty();
			assertThat(status.unreachable()).hasSize(1);
			assertThat(status.alarms()).isNull();
			assertThat(status.metricsFailures()).hasSize(1);
		}
	}

	private static void pipe(Socket from, Socket to) {
		Thread copy = new Thread(() -> {
			try {
				from.getInputStream().transferTo(to.getOutputStream());
			}
			catch (IOException ex) {
				// the other side went away
			}
			finally {
				try {
					to.close();
					from.close();
				}
				catch (IOException ex) {
					// closing anyway
				}
			}
		});
		copy.setDaemon(true);
		copy.start();
	}

	@Test
	void anUnreadableKeyFileIsAFailureNamingTheFile() {
		ClusterProperties.Etcd missing = new ClusterProperties.Etcd(List.of(etcd.endpoint()), etcd.certificates().ca(),
				etcd.certificates().clientCert(), etcd.certificates().ca(), List.of());
		SourceResult<EtcdClusterStatus> result = status(missing);
		assertThat(result).isInstanceOf(SourceResult.Failed.class);
		assertThat(((SourceResult.Failed<EtcdClusterStatus>) result).reason()).contains("ca.crt")
			.contains("no PEM private key");
	}

}
