package dev.cpdoctor.source.etcd;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;

import dev.cpdoctor.cluster.ClusterProperties;

/**
 * One cluster's clients: a jetcd client over all endpoints that sticks to the first reachable member
 * (alarms, range reads), the gRPC target of each member (its status must come from that member), and
 * an HTTP client for /metrics.
 */
final class EtcdConnection implements AutoCloseable {

	private final Client client;

	private final Map<String, String> memberTargets = new LinkedHashMap<>();

	private final HttpClient http;

	private final List<URI> metricsEndpoints;

	EtcdConnection(ClusterProperties.Etcd etcd, EtcdProperties properties) {
		EtcdTls tls = EtcdTls.read(etcd);
		boolean https = etcd.endpoints().stream().anyMatch((e) -> "https".equals(e.getScheme()));
		// pick_first, not jetcd's round_robin: a scan's pages all go to one member, so that a serializable
		// read at the first page's revision never lands on a follower that has not applied it yet
		ClientBuilder builder = builder(etcd.endpoints(), tls, https, properties).loadBalancerPolicy("pick_first");
		for (URI endpoint : etcd.endpoints()) {
			this.memberTargets.put(endpoint.toString(), builder(List.of(endpoint), tls, https, properties).target());
		}
		this.client = builder.build();
		HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(properties.timeout());
		if (https) {
			http.sslContext(tls.jdkContext());
		}
		this.http = http.build();
		this.metricsEndpoints = etcd.metricsEndpoints().isEmpty() ? etcd.endpoints() : etcd.metricsEndpoints();
	}

	private static ClientBuilder builder(List<URI> endpoints, EtcdTls tls, boolean https, EtcdProperties properties) {
		ClientBuilder builder = Client.builder()
			.endpoints(endpoints)
			.connectTimeout(properties.timeout())
			.retryMaxDuration(properties.timeout())
			.waitForReady(false)
			.maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, properties.maxPageBytes().toBytes()));
		if (https) {
			try {
				builder.sslContext(tls::apply);
			}
			catch (javax.net.ssl.SSLException ex) {
				throw new IllegalArgumentException("TLS set-up failed: " + ex.getMessage(), ex);
			}
		}
		return builder;
	}

	Client client() {
		return this.client;
	}

	/** Configured endpoint -> the gRPC target that reaches that member alone. */
	Map<String, String> memberTargets() {
		return this.memberTargets;
	}

	HttpClient http() {
		return this.http;
	}

	List<URI> metricsEndpoints() {
		return this.metricsEndpoints;
	}

	@Override
	public void close() {
		// the JDK HTTP client of Java 17 has no close: its threads end when it is unreachable
		this.client.close();
	}

}
