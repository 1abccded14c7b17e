package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.ApiserverMetricsSource;
import dev.cpdoctor.source.ScrapeResult;

/**
 * GET /version and GET /metrics of one cluster through its ApiClient (bearer token and
 * TLS from the kubeconfig), the /metrics body streamed into the parser and never held as
 * one String.
 */
public final class KubernetesMetricsScraper implements ApiserverMetricsSource {

	private final KubernetesApiClients clients;

	private final Duration timeout;

	private final Clock clock;

	KubernetesMetricsScraper(KubernetesApiClients clients, Duration timeout, Clock clock) {
		this.clients = clients;
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public ScrapeResult scrape(Cluster cluster) {
		ScrapeResult result = scrapeOnce(cluster);
		if (Integer.valueOf(401).equals(result.httpStatus())) {
			// An expired token: the client was dropped; one immediate retry with fresh
			// credentials.
			result = scrapeOnce(cluster);
		}
		return result;
	}

	private ScrapeResult scrapeOnce(Cluster cluster) {
		KubernetesApiClients.Entry entry;
		try {
			entry = this.clients.clientFor(cluster);
		}
		catch (IOException | RuntimeException ex) {
			return ScrapeResult.failed(this.clock.instant(),
					"Cannot set up a client for " + cluster.access().describe() + ": " + describe(ex), null, null);
		}
		ApiClient client = entry.client();
		try {
			// Mutable collections: the client adds the Authorization header to them.
			Map<String, String> headers = new HashMap<>(Map.of("Accept", "text/plain"));
			Call call = client.buildCall(client.getBasePath(), "/metrics", "GET", new ArrayList<>(), new ArrayList<>(),
					null, headers, new HashMap<>(), new HashMap<>(), new String[] { "BearerToken" }, null);
			try (Response response = call.execute()) {
				if (!response.isSuccessful()) {
					return httpFailure(cluster, response);
				}
				ApiserverSnapshot snapshot;
				try (ResponseBody body = response.body(); InputStream in = body.byteStream()) {
					snapshot = ApiserverSnapshot.parse(in);
				}
				if (!snapshot.report().looksLikePrometheusText() || !snapshot.hasEtcdData()) {
					return ScrapeResult.failed(this.clock.instant(),
							"GET /metrics answered without any etcd size or"
									+ " object count family (a proxy or login page, or not an apiserver?): "
									+ snapshot.report(),
							response.code(), null);
				}
				String version = (entry.gitVersion() != null) ? entry.gitVersion() : snapshot.gitVersion();
				return ScrapeResult.ok(this.clock.instant(), version, snapshot);
			}
		}
		catch (InterruptedIOException ex) {
			return ScrapeResult.failed(this.clock.instant(), "GET /metrics timed out (timeout " + this.timeout
					+ ", whole call " + this.clients.callTimeout() + ")", null, null);
		}
		catch (IOException | ApiException | RuntimeException ex) {
			return ScrapeResult.failed(this.clock.instant(), "GET /metrics failed: " + describe(ex), null, null);
		}
	}

	private ScrapeResult httpFailure(Cluster cluster, Response response) {
		int code = response.code();
		Duration retryAfter = retryAfter(response.header("Retry-After"), this.clock.instant());
		String hint = switch (code) {
			case 401 -> ": the credentials were refused (expired token?)";
			case 403 -> ": the identity lacks RBAC 'get' on the nonResourceURL /metrics";
			case 429 -> ": the apiserver is shedding load (API Priority and Fairness); backing off";
			default -> (code >= 500) ? ": the apiserver is struggling; backing off" : "";
		};
		if (code == 401) {
			this.clients.forget(cluster);
		}
		return ScrapeResult.failed(this.clock.instant(), "GET /metrics answered HTTP " + code + hint, code, retryAfter);
	}

	private static String describe(Exception ex) {
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/**
	 * Retry-After as seconds or as an HTTP date (RFC 9110); null when absent or
	 * unreadable.
	 */
	static Duration retryAfter(String header, Instant now) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String value = header.trim();
		try {
			long seconds = Long.parseLong(value);
			return (seconds >= 0) ? Duration.ofSeconds(seconds) : null;
		}
		catch (NumberFormatException ex) {
			try {
				Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
				return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
			}
			catch (DateTimeParseException notADate) {
				return null;
			}
		}
	}

}
