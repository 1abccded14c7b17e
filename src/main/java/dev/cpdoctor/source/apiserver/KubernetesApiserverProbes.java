package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import javax.net.ssl.SSLException;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.ProbeText;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.ApiserverProbeSource;
import dev.cpdoctor.source.SourceResult;

/**
 * GET /readyz?verbose and /livez?verbose through the cluster's ApiClient: its
 * credentials, our user agent, each call bounded by the timeout and timed. Both probes
 * need RBAC get on the non-resource URLs /readyz and /livez (system:public-info-viewer
 * grants it, also to anonymous users where anonymous auth is on). Wrap it in a cache: it
 * calls the apiserver every time.
 */
final class KubernetesApiserverProbes implements ApiserverProbeSource {

	/** A verbose answer lists some 50 checks, a few KB; anything bigger is not one. */
	static final int MAX_BODY = 64 * 1024;

	private final KubernetesApiClients clients;

	private final Duration timeout;

	private final Predicate<Cluster> mayCall;

	private final Clock clock;

	KubernetesApiserverProbes(KubernetesApiClients clients, Duration timeout, Predicate<Cluster> mayCall, Clock clock) {
		this.clients = clients;
		this.timeout = timeout;
		this.mayCall = mayCall;
		this.clock = clock;
	}

	@Override
	public ApiserverProbes probes(Cluster cluster) {
		Instant now = this.clock.instant();
		String notCalled = null;
		if (cluster.access().mode() == KubeAccess.Mode.NONE) {
			notCalled = "the cluster has no apiserver access";
		}
		else if (!this.mayCall.test(cluster)) {
			notCalled = "the apiserver of a merely discovered kubeconfig context is not called"
					+ " (cpdoctor.apiserver.scrape-discovered-context)";
		}
		if (notCalled != null) {
			return new ApiserverProbes(ApiserverProbe.notCalled("/readyz", now, notCalled),
					ApiserverProbe.notCalled("/livez", now, notCalled));
		}
		KubernetesApiClients.Entry entry;
		try {
			entry = this.clients.clientFor(cluster);
		}
		catch (IOException | RuntimeException ex) {
			String reason = "cannot set up a client for " + cluster.access().describe() + ": "
					+ SourceResult.firstLine(ex.getMessage());
			return new ApiserverProbes(ApiserverProbe.notCalled("/readyz", now, reason),
					ApiserverProbe.notCalled("/livez", now, reason));
		}
		ApiserverProbe readyz = probe(cluster, entry.client(), "/readyz");
		ApiserverProbe livez = probe(cluster, entry.client(), "/livez");
		return new ApiserverProbes(readyz, livez);
	}

	private ApiserverProbe probe(Cluster cluster, ApiClient client, String path) {
		long started = System.nanoTime();
		try {
			// Mutable collections: the client adds the Authorization header to them.
			List<Pair> query = new ArrayList<>(List.of(new Pair("verbose", "")));
			Map<String, String> headers = new HashMap<>(Map.of("Accept", "text/plain"));
			Call call = client.buildCall(client.getBasePath(), path, "GET", query, new ArrayList<>(), null, headers,
					new HashMap<>(), new HashMap<>(), new String[] { "BearerToken" }, null);
			call.timeout().timeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
			try (Response response = call.execute(); ResponseBody body = response.body()) {
				int status = response.code();
				if (status == 401 || status == 403) {
					if (status == 401) {
						this.clients.forget(cluster);
					}
					return ApiserverProbe.unanswered(path, Outcome.UNAUTHORIZED, this.clock.instant(), since(started),
							status, "GET " + path + "?verbose answered HTTP " + status + ((status == 401)
									? " (credentials refused)" : " (RBAC: get on the non-resource URL " + path + ")"));
				}
				byte[] bytes;
				try (InputStream in = body.byteStream()) {
					bytes = in.readNBytes(MAX_BODY + 1);
				}
				if (bytes.length > MAX_BODY) {
					return ApiserverProbe.unanswered(path, Outcome.NOT_A_PROBE_ANSWER, this.clock.instant(),
							since(started), status,
							"GET " + path + "?verbose answered more than " + MAX_BODY + " bytes: not a probe answer");
				}
				return ProbeText.parse(path, status, new String(bytes, StandardCharsets.UTF_8), this.clock.instant(),
						since(started));
			}
		}
		catch (InterruptedIOException ex) {
			return ApiserverProbe.unanswered(path, Outcome.TIMEOUT, this.clock.instant(), since(started), null,
					"GET " + path + "?verbose timed out after " + this.timeout);
		}
		catch (UnknownHostException ex) {
			return unreachable(path, started, "the apiserver's host name does not resolve");
		}
		catch (ConnectException | NoRouteToHostException ex) {
			return unreachable(path, started, "connection failed (" + SourceResult.firstLine(ex.getMessage()) + ")");
		}
		catch (SSLException ex) {
			return unreachable(path, started, "TLS failed (" + ex.getClass().getSimpleName() + ")");
		}
		catch (IOException ex) {
			return unreachable(path, started, "the connection failed (" + ex.getClass().getSimpleName() + ")");
		}
		catch (ApiException | RuntimeException ex) {
			return ApiserverProbe.unanswered(path, Outcome.NOT_A_PROBE_ANSWER, this.clock.instant(), since(started),
					null, "GET " + path + "?verbose failed: " + ex.getClass().getSimpleName());
		}
	}

	private ApiserverProbe unreachable(String path, long started, String what) {
		return ApiserverProbe.unanswered(path, Outcome.UNREACHABLE, this.clock.instant(), since(started), null,
				"GET " + path + "?verbose: " + what);
	}

	private static Duration since(long startedNanos) {
		return Duration.ofNanos(System.nanoTime() - startedNanos);
	}

}
