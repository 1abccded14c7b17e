package dev.cpdoctor.source.etcd;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContextBuilder;

import dev.cpdoctor.cluster.ClusterProperties;

/**
 * One cluster's clients: a jetcd client over all endpoints that sticks to the first
 * reachable member (alarms, range reads), a gRPC channel to each member (its status must
 * come from that member), and an HTTP client for /metrics.
 */
final class EtcdConnection implements AutoCloseable {

	private final Client client;

	private final Map<String, ManagedChannel> memberChannels = new LinkedHashMap<>();

	private final HttpClient http;

	private final List<URI> metricsEndpoints;

	EtcdConnection(ClusterProperties.Etcd etcd, EtcdProperties properties) {
		EtcdTls tls = EtcdTls.read(etcd);
		boolean https = etcd.endpoints().stream().anyMatch((e) -> "https".equals(e.getScheme()));
		// pick_first, not jetcd's round_robin: a scan's pages all go to one member, so
		// that a serializable read at the first page's revision never lands on a follower
		// that has not applied it yet
		ClientBuilder builder = builder(etcd.endpoints(), tls, https, properties).loadBalancerPolicy("pick_first");
		this.client = builder.build();
		for (URI endpoint : etcd.endpoints()) {
			this.memberChannels.put(endpoint.toString(), memberChannel(endpoint, tls, properties));
		}
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
			.interceptor(new CallDeadline(properties.timeout()))
			.maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, properties.maxPageBytes().toBytes()));
		if (https) {
			try {
				builder.sslContext(tls::apply);
			}
			catch (SSLException ex) {
				throw new IllegalArgumentException("TLS set-up failed: " + ex.getMessage(), ex);
			}
		}
		return builder;
	}

	Client client() {
		return this.client;
	}

	/**
	 * Configured endpoint -> a channel to that member alone, kept for the connection's
	 * life. Not jetcd's statusMember: it opens a channel per call and closes it only when
	 * the call ends, and a call to a hung member never ends (each status read left one
	 * more connection open).
	 */
	Map<String, ManagedChannel> memberChannels() {
		return this.memberChannels;
	}

	private static ManagedChannel memberChannel(URI endpoint, EtcdTls tls, EtcdProperties properties) {
		NettyChannelBuilder channel = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
			.withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, properties.timeout().toMillis()))
			.maxInboundMessageSize(1024 * 1024); // a status answer is small
		if ("https".equals(endpoint.getScheme())) {
			try {
				SslContextBuilder ssl = GrpcSslContexts.forClient();
				tls.apply(ssl);
				channel.sslContext(ssl.build());
			}
			catch (SSLException ex) {
				throw new IllegalArgumentException("TLS set-up failed: " + ex.getMessage(), ex);
			}
		}
		else {
			channel.usePlaintext();
		}
		return channel.build();
	}

	HttpClient http() {
		return this.http;
	}

	List<URI> metricsEndpoints() {
		return this.metricsEndpoints;
	}

	@Override
	public void close() {
		// the JDK HTTP client of Java 17 has no close: its threads end when it is
		// unreachable
		this.memberChannels.values().forEach(ManagedChannel::shutdownNow);
		this.client.close();
	}

}
