package dev.cpdoctor.source.etcd;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.cpdoctor.cluster.ClusterProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration keys as a user writes them in application.yaml. */
class EtcdPropertiesTests {

	private static Binder binder(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties));
	}

	@Test
	void theDefaultsAreTheDocumentedOnes() {
		EtcdProperties bound = binder(Map.of("cpdoctor.etcd.page-size", "500"))
			.bind("cpdoctor.etcd", EtcdProperties.class)
			.get();
		assertThat(bound).isEqualTo(EtcdProperties.defaults());
		assertThat(bound.thresholds().defragMinFreeBytes()).isEqualTo(100L * 1024 * 1024);
	}

	@Test
	void aClusterEtcdBlockBinds() {
		ClusterProperties clusters = binder(Map.of("cpdoctor.clusters[0].name", "lab",
				"cpdoctor.clusters[0].etcd.endpoints[0]", "https://10.0.0.11:2379",
				"cpdoctor.clusters[0].etcd.endpoints[1]", "https://10.0.0.12:2379", "cpdoctor.clusters[0].etcd.ca-file",
				"/etc/kubernetes/pki/etcd/ca.crt", "cpdoctor.clusters[0].etcd.cert-file",
				"/etc/kubernetes/pki/apiserver-etcd-client.crt", "cpdoctor.clusters[0].etcd.key-file",
				"/etc/kubernetes/pki/apiserver-etcd-client.key", "cpdoctor.clusters[1].name", "managed"))
			.bind("cpdoctor", ClusterProperties.class)
			.get();
		ClusterProperties.Etcd etcd = clusters.clusters().get(0).etcd();
		assertThat(etcd.endpoints()).containsExactly(URI.create("https://10.0.0.11:2379"),
				URI.create("https://10.0.0.12:2379"));
		assertThat(etcd.keyFile()).isEqualTo(Path.of("/etc/kubernetes/pki/apiserver-etcd-client.key"));
		assertThat(etcd.metricsEndpoints()).isEmpty();
		assertThat(JetcdEtcdDirectSource.configured(clusters)).containsOnlyKeys("lab");
	}

	@Test
	void aCertificateWithoutItsKeyIsRefused() {
		assertThatThrownBy(
				() -> binder(Map.of("cpdoctor.clusters[0].name", "lab", "cpdoctor.clusters[0].etcd.endpoints[0]",
						"https://10.0.0.11:2379", "cpdoctor.clusters[0].etcd.cert-file", "/x.crt"))
					.bind("cpdoctor", ClusterProperties.class))
			.isInstanceOf(BindException.class)
			.rootCause()
			.hasMessageContaining("cert-file and key-file go together");
	}

	@Test
	void anEndpointMustBeAnHttpUrl() {
		assertThatThrownBy(() -> new ClusterProperties.Etcd(List.of(URI.create("tcp://10.0.0.11:2379")), null, null,
				null, List.of()))
			.hasMessageContaining("http:// or https://");
	}

}
