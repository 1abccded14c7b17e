package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;

/**
 * One ApiClient of the official Kubernetes client per cluster, built on first use: a kubeconfig's
 * credential plugin (kubelogin, aws eks get-token) then runs in the scrape thread, never at
 * start-up. Every call is bounded by the timeout, body included, and carries our user agent.
 */
final class KubernetesApiClients {

	private final Map<String, ApiClient> clients = new ConcurrentHashMap<>();

	private final List<Path> kubeconfigFiles;

	private final Duration timeout;

	private final String userAgent;

	KubernetesApiClients(List<Path> kubeconfigFiles, Duration timeout, String userAgent) {
		this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
		this.timeout = timeout;
		this.userAgent = userAgent;
	}

	ApiClient clientFor(Cluster cluster) throws IOException {
		ApiClient client = this.clients.get(cluster.name());
		if (client == null) {
			client = build(cluster.access());
			this.clients.put(cluster.name(), client);
		}
		return client;
	}

	/** Drops a cluster's client, e.g. after 401: the next scrape builds a new one (fresh token). */
	void forget(Cluster cluster) {
		this.clients.remove(cluster.name());
	}

	private ApiClient build(KubeAccess access) throws IOException {
		ApiClient client = switch (access.mode()) {
			case IN_CLUSTER -> ClientBuilder.cluster().setReadTimeout(this.timeout).build();
			case KUBECONFIG_CONTEXT -> ClientBuilder.kubeconfig(kubeConfig(access.kubeconfigContext()))
				.setReadTimeout(this.timeout)
				.build();
			case NONE -> throw new IOException("The cluster has no apiserver access configured");
		};
		client.setHttpClient(client.getHttpClient()
			.newBuilder()
			.connectTimeout(this.timeout)
			.readTimeout(this.timeout)
			.callTimeout(this.timeout)
			.retryOnConnectionFailure(false)
			.build());
		client.setUserAgent(this.userAgent);
		return client;
	}

	/** The first kubeconfig file that defines the context, as kubectl would pick it. */
	private KubeConfig kubeConfig(String context) throws IOException {
		for (Path file : this.kubeconfigFiles) {
			if (!Files.isRegularFile(file)) {
				continue;
			}
			try (Reader reader = Files.newBufferedReader(file)) {
				KubeConfig config = KubeConfig.loadKubeConfig(reader);
				if (config.setContext(context)) {
					config.setFile(file.toFile());
					return config;
				}
			}
		}
		throw new IOException("No kubeconfig file defines context '" + context + "' (looked in " + this.kubeconfigFiles + ")");
	}

}
