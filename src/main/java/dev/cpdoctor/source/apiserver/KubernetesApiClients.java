package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.VersionApi;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.KubeConfig;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.history.CallRecorder;

/**
 * One ApiClient of the official Kubernetes client per cluster, built on first use: a
 * kubeconfig's credential plugin (kubelogin, aws eks get-token) then runs in a thread of
 * its own, bounded by the build timeout, never at start-up and never blocking the scrapes
 * of other clusters. Tokens are renewed every credential-refresh period. Every call is
 * bounded by the timeouts, carries our user agent and is recorded (kind, duration,
 * outcome) by the {@link OwnCallInterceptor} of its cluster: the interceptor sits in the
 * one OkHttp client each ApiClient has, so no call of any source (the /version of the
 * build included) passes by it.
 */
final class KubernetesApiClients {

	/** A cluster's client and the apiserver version it found when it was built. */
	record Entry(ApiClient client, String gitVersion) {
	}

	private final Map<String, Entry> clients = new ConcurrentHashMap<>();

	private final ExecutorService builders = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "apiserver-client-build");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Path> kubeconfigFiles;

	private final ApiserverProperties properties;

	private final String userAgent;

	private final CallRecorder recorder;

	private final Clock clock;

	KubernetesApiClients(List<Path> kubeconfigFiles, ApiserverProperties properties, String userAgent,
			CallRecorder recorder, Clock clock) {
		this.kubeconfigFiles = List.copyOf(kubeconfigFiles);
		this.properties = properties;
		this.userAgent = userAgent;
		this.recorder = recorder;
		this.clock = clock;
	}

	Entry clientFor(Cluster cluster) throws IOException {
		Entry entry = this.clients.get(cluster.name());
		if (entry == null) {
			entry = buildWithTimeout(cluster);
			this.clients.put(cluster.name(), entry);
		}
		return entry;
	}

	/**
	 * Drops a cluster's client, e.g. after 401: the next call builds a new one (fresh
	 * credentials).
	 */
	void forget(Cluster cluster) {
		this.clients.remove(cluster.name());
	}

	/**
	 * A credential plugin may wait for a human (device code) or hang: it gets a bounded
	 * time.
	 */
	private Entry buildWithTimeout(Cluster cluster) throws IOException {
		Duration limit = buildTimeout();
		CompletableFuture<Entry> build = CompletableFuture.supplyAsync(() -> {
			try {
				return build(cluster);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex.getMessage(), ex);
			}
		}, this.builders);
		try {
			return build.get(limit.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			build.cancel(true);
			throw new IOException("setting up credentials took longer than " + limit
					+ " (a kubeconfig credential plugin waiting for a login?)");
		}
		catch (ExecutionException ex) {
			Throwable cause = (ex.getCause() instanceof IllegalStateException && ex.getCause().getCause() != null)
					? ex.getCause().getCause() : ex.getCause();
			throw new IOException(cause.getMessage(), cause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while setting up credentials", ex);
		}
	}

	Duration buildTimeout() {
		return this.properties.timeout().multipliedBy(3);
	}

	private Entry build(Cluster cluster) throws IOException {
		KubeAccess access = cluster.access();
		ApiClient client = switch (access.mode()) {
			case IN_CLUSTER -> ClientBuilder.cluster().build();
			case KUBECONFIG_CONTEXT ->
				ClientBuilder.kubeconfig(kubeConfig(access.kubeconfigContext()), this.properties.credentialRefresh())
					.build();
			case NONE -> throw new IOException("The cluster has no apiserver access configured");
		};
		Duration timeout = this.properties.timeout();
		// connect and each read bounded by the timeout; the whole call (a /metrics body
		// of tens of MB on a slow link) by a larger one.
		client.setHttpClient(client.getHttpClient()
			.newBuilder()
			.connectTimeout(timeout)
			.readTimeout(timeout)
			.callTimeout(callTimeout())
			.retryOnConnectionFailure(false)
			.addInterceptor(new OwnCallInterceptor(cluster.name(), this.recorder, this.clock))
			.build());
		client.setUserAgent(this.userAgent);
		return new Entry(client, version(client));
	}

	Duration callTimeout() {
		return this.properties.timeout().multipliedBy(6);
	}

	/** GET /version once per client: informative only, a failure leaves it unknown. */
	private static String version(ApiClient client) {
		try {
			return new VersionApi(client).getCode().execute().getGitVersion();
		}
		catch (ApiException | RuntimeException ex) {
			return null;
		}
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
		throw new IOException(
				"No kubeconfig file defines context '" + context + "' (looked in " + this.kubeconfigFiles + ")");
	}

}
