package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import com.google.gson.Gson;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParseException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaList;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.SourceResult;

/**
 * The FlowSchemas of a cluster, LISTed page by page ({@code limit} and {@code continue},
 * never resourceVersion=0) in the flowcontrol version the cluster serves (v1, else
 * v1beta3, else v1beta2, from API discovery), each call bounded by the timeout and all
 * pages together by the budget. The list is read leniently with the client's v1 models
 * (the beta versions have the same name, matchingPrecedence and
 * priorityLevelConfiguration fields; unknown fields are ignored). Not cached here: see
 * CachingAksGuardSource. RBAC: list flowschemas (flowcontrol.apiserver.k8s.io).
 */
final class KubernetesAksGuardSource implements AksGuardSource {

	static final String GROUP = "flowcontrol.apiserver.k8s.io";

	/** The versions read, most preferred first. */
	static final List<String> VERSIONS = List.of("v1", "v1beta3", "v1beta2");

	static final int PAGE = 100;

	/** A bound against a server that never stops paging: 2,000 FlowSchemas. */
	static final int MAX_PAGES = 20;

	private static final Gson MODELS = JSON.createGson()
		.registerTypeAdapter(OffsetDateTime.class, new JSON.OffsetDateTimeTypeAdapter())
		.create();

	private final KubernetesApiClients clients;

	private final FlowcontrolVersions versions;

	private final Duration timeout;

	private final Duration budget;

	private final Predicate<Cluster> mayCall;

	KubernetesAksGuardSource(KubernetesApiClients clients, FlowcontrolVersions versions, Duration timeout,
			Duration budget, Predicate<Cluster> mayCall) {
		this.clients = clients;
		this.versions = versions;
		this.timeout = timeout;
		this.budget = budget;
		this.mayCall = mayCall;
	}

	@Override
	public SourceResult<Guard> guard(Cluster cluster) {
		if (cluster.access().mode() == KubeAccess.Mode.NONE) {
			return SourceResult.failed("FlowSchemas are read from the apiserver: cluster '" + cluster.name()
					+ "' has no apiserver access");
		}
		if (!this.mayCall.test(cluster)) {
			return SourceResult.failed("the apiserver of a merely discovered kubeconfig context is not called"
					+ " (cpdoctor.apiserver.scrape-discovered-context)");
		}
		SourceResult<List<String>> served = this.versions.served(cluster);
		if (!(served instanceof SourceResult.Ok<List<String>> ok)) {
			return SourceResult
				.failed("the flowcontrol version is unknown: " + ((SourceResult.Failed<List<String>>) served).reason());
		}
		String version = VERSIONS.stream().filter(ok.value()::contains).findFirst().orElse(null);
		if (version == null) {
			return SourceResult.failed("the apiserver serves none of " + GROUP + " " + String.join(", ", VERSIONS)
					+ " (it serves " + (ok.value().isEmpty() ? "no version" : String.join(", ", ok.value())) + ")");
		}
		ApiClient client;
		try {
			client = this.clients.clientFor(cluster).client();
		}
		catch (IOException | RuntimeException ex) {
			return SourceResult.failed("cannot set up a client for " + cluster.access().describe() + ": "
					+ SourceResult.firstLine(ex.getMessage()));
		}
		String path = "/apis/" + GROUP + "/" + version + "/flowschemas";
		String what = "LIST " + path;
		String apiVersion = GROUP + "/" + version;
		long deadline = System.nanoTime() + this.budget.toNanos();
		List<String> warnings = new ArrayList<>();
		String token = null;
		for (int n = 0; n < MAX_PAGES; n++) {
			SourceResult<V1FlowSchemaList> page = page(cluster, client, path, token, deadline);
			if (!(page instanceof SourceResult.Ok<V1FlowSchemaList> listed)) {
				return SourceResult.failed(((SourceResult.Failed<V1FlowSchemaList>) page).reason());
			}
			V1FlowSchemaList list = listed.value();
			for (V1FlowSchema schema : (list.getItems() != null) ? list.getItems() : List.<V1FlowSchema>of()) {
				if (schema.getMetadata() != null && FLOW_SCHEMA.equals(schema.getMetadata().getName())) {
					Integer precedence = (schema.getSpec() != null) ? schema.getSpec().getMatchingPrecedence() : null;
					String level = (schema.getSpec() != null
							&& schema.getSpec().getPriorityLevelConfiguration() != null)
									? schema.getSpec().getPriorityLevelConfiguration().getName() : null;
					return new SourceResult.Ok<>(new Guard(true, precedence, level, apiVersion), warnings);
				}
			}
			String next = (list.getMetadata() != null) ? list.getMetadata().getContinue() : null;
			if (next == null || next.isEmpty()) {
				return new SourceResult.Ok<>(Guard.absent(apiVersion), warnings);
			}
			if (next.equals(token)) {
				return SourceResult.failed(what + ": the apiserver repeated its continue token");
			}
			token = next;
		}
		return SourceResult.failed(what + ": more than " + MAX_PAGES + " pages without " + FLOW_SCHEMA);
	}

	private SourceResult<V1FlowSchemaList> page(Cluster cluster, ApiClient client, String path, String token,
			long deadline) {
		String what = "LIST " + path;
		long remaining = deadline - System.nanoTime();
		if (remaining <= 0) {
			return SourceResult
				.failed(what + " not asked: the apiserver was already asked for longer than " + this.budget);
		}
		long limit = Math.min(this.timeout.toNanos(), remaining);
		List<Pair> query = new ArrayList<>(List.of(new Pair("limit", String.valueOf(PAGE))));
		if (token != null) {
			query.add(new Pair("continue", token));
		}
		try {
			// Mutable collections: the client adds the Authorization header to them.
			Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
			Call call = client.buildCall(client.getBasePath(), path, "GET", query, new ArrayList<>(), null, headers,
					new HashMap<>(), new HashMap<>(), new String[] { "BearerToken" }, null);
			call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
			try (Response response = call.execute()) {
				if (!response.isSuccessful()) {
					if (response.code() == 401) {
						this.clients.forget(cluster);
					}
					return SourceResult.failed(what + " answered HTTP " + response.code() + ((response.code() == 403)
							? " (forbidden: the identity lacks RBAC to list flowschemas)" : ""));
				}
				ResponseBody body = response.body();
				V1FlowSchemaList list = (body != null) ? MODELS.fromJson(body.charStream(), V1FlowSchemaList.class)
						: null;
				if (list == null) {
					return SourceResult.failed(what + " answered no body");
				}
				return SourceResult.ok(list);
			}
		}
		catch (InterruptedIOException ex) {
			return timedOut(what, limit);
		}
		catch (JsonIOException ex) {
			if (ex.getCause() instanceof InterruptedIOException) {
				return timedOut(what, limit);
			}
			return SourceResult.failed(what + " failed while reading: "
					+ ((ex.getCause() != null) ? ex.getCause() : ex).getClass().getSimpleName());
		}
		catch (JsonParseException | IllegalStateException ex) {
			return SourceResult.failed(what + " did not answer Kubernetes JSON (a proxy or login page?)");
		}
		catch (IOException | ApiException | RuntimeException ex) {
			return SourceResult.failed(what + " failed: " + ex.getClass().getSimpleName());
		}
	}

	private static SourceResult<V1FlowSchemaList> timedOut(String what, long limitNanos) {
		return SourceResult
			.failed(what + " timed out after " + Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(limitNanos)));
	}

}
