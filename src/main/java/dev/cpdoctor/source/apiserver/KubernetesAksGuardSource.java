package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.Pair;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaList;
import okhttp3.Call;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;

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

	private final KubernetesApiClients clients;

	private final FlowcontrolVersions versions;

	private final ApiserverCalls.Bounds bounds;

	private final Predicate<Cluster> mayCall;

	KubernetesAksGuardSource(KubernetesApiClients clients, FlowcontrolVersions versions, Duration timeout,
			Duration budget, Predicate<Cluster> mayCall) {
		this.clients = clients;
		this.versions = versions;
		this.bounds = ApiserverCalls.bounds(timeout, budget, "to list flowschemas");
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
		SourceResult<ApiserverCalls> open = ApiserverCalls.open(this.clients, cluster, this.bounds);
		if (!(open instanceof SourceResult.Ok<ApiserverCalls> calls)) {
			return SourceResult.failed(((SourceResult.Failed<ApiserverCalls>) open).reason());
		}
		return find(calls.value(), version);
	}

	/** The guard among the FlowSchemas of one version, read until it is found. */
	private static SourceResult<Guard> find(ApiserverCalls calls, String version) {
		String path = "/apis/" + GROUP + "/" + version + "/flowschemas";
		String apiVersion = GROUP + "/" + version;
		ApiClient client = calls.client();
		PagedList<V1FlowSchemaList> flowSchemas = new PagedList<>("LIST " + path, PAGE, MAX_PAGES,
				(limit, token) -> call(client, path, limit, token), V1FlowSchemaList.class,
				V1FlowSchemaList::getMetadata);
		List<Guard> found = new ArrayList<>(1);
		PagedList.End end;
		try {
			end = flowSchemas.read(calls, (list) -> {
				guard(list, apiVersion).ifPresent(found::add);
				return found.isEmpty();
			});
		}
		catch (CallFailed ex) {
			return SourceResult.failed(ex.getMessage());
		}
		return switch (end) {
			case STOPPED -> SourceResult.ok(found.get(0));
			case LAST_PAGE -> SourceResult.ok(Guard.absent(apiVersion));
			case TOKEN_REPEATED ->
				SourceResult.failed(flowSchemas.what() + ": the apiserver repeated its continue token");
			case PAGE_CAP ->
				SourceResult.failed(flowSchemas.what() + ": more than " + MAX_PAGES + " pages without " + FLOW_SCHEMA);
		};
	}

	/** The guard FlowSchema if this page lists it. */
	private static Optional<Guard> guard(V1FlowSchemaList list, String apiVersion) {
		for (V1FlowSchema schema : ModelValues.orEmpty(list.getItems())) {
			if (schema.getMetadata() != null && FLOW_SCHEMA.equals(schema.getMetadata().getName())) {
				Integer precedence = (schema.getSpec() != null) ? schema.getSpec().getMatchingPrecedence() : null;
				String level = (schema.getSpec() != null && schema.getSpec().getPriorityLevelConfiguration() != null)
						? schema.getSpec().getPriorityLevelConfiguration().getName() : null;
				return Optional.of(new Guard(true, precedence, level, apiVersion));
			}
		}
		return Optional.empty();
	}

	/**
	 * One page's GET of a path in the flowcontrol version served (the client's request
	 * builders know one version only).
	 */
	private static Call call(ApiClient client, String path, int limit, String token) throws ApiException {
		List<Pair> query = new ArrayList<>(List.of(new Pair("limit", String.valueOf(limit))));
		if (token != null) {
			query.add(new Pair("continue", token));
		}
		// Mutable collections: the client adds the Authorization header to them.
		Map<String, String> headers = new HashMap<>(Map.of("Accept", "application/json"));
		return client.buildCall(client.getBasePath(), path, "GET", query, new ArrayList<>(), null, headers,
				new HashMap<>(), new HashMap<>(), new String[] { "BearerToken" }, null);
	}

}
