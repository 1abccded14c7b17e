package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import com.google.gson.Gson;
import com.google.gson.JsonIOException;
import com.google.gson.JsonParseException;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.DiscoveryV1Api;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.CoreV1EventList;
import io.kubernetes.client.openapi.models.V1Endpoint;
import io.kubernetes.client.openapi.models.V1EndpointSlice;
import io.kubernetes.client.openapi.models.V1EndpointSliceList;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ListMeta;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.ResponseBody;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;

/**
 * Admission webhooks and failed webhook calls read from the cluster's apiserver through
 * its ApiClient (credentials, our user agent), as a good client during an incident: every
 * LIST is paginated ({@code limit} and {@code continue}, never resourceVersion=0, which
 * older apiservers answer from the watch cache ignoring the limit), every call bounded by
 * the timeout and all calls of one question together by {@link #budget}. Not cached here:
 * see CachingWebhookSource.
 * <p>
 * The client's request builders make the calls; its models are read leniently (unknown
 * fields ignored), because the generated models refuse any field they do not know and a
 * newer apiserver than the client's release would otherwise make the whole read fail.
 * <p>
 * RBAC: list validatingwebhookconfigurations and mutatingwebhookconfigurations
 * (admissionregistration.k8s.io), list endpointslices (discovery.k8s.io), list events,
 * get namespace kube-system. Without the last three the webhooks are still listed, with
 * what is unknown said in warnings.
 */
final class KubernetesWebhookSource implements WebhookSource {

	static final int PAGE = 100;

	/**
	 * Warning events are many in an incident and small: larger pages, fewer round trips.
	 */
	static final int EVENT_PAGE = 250;

	/**
	 * A bound against a server that never stops paging: 5,000 configurations or slices of
	 * one service.
	 */
	static final int MAX_PAGES = 50;

	/** At most 10,000 Warning events are searched for failed webhook calls. */
	static final int MAX_EVENT_PAGES = 40;

	static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

	/**
	 * The client's models and date format, without the validation that refuses unknown
	 * fields.
	 */
	private static final Gson MODELS = JSON.createGson()
		.registerTypeAdapter(OffsetDateTime.class, new JSON.OffsetDateTimeTypeAdapter())
		.create();

	private final KubernetesApiClients clients;

	private final Duration timeout;

	private final Duration budget;

	private final Predicate<Cluster> mayCall;

	/**
	 * @param timeout bounds each call
	 * @param budget bounds all calls of one question (the webhooks with their endpoints,
	 * or the events)
	 * @param mayCall whether this cluster's apiserver may be called at all
	 */
	KubernetesWebhookSource(KubernetesApiClients clients, Duration timeout, Duration budget,
			Predicate<Cluster> mayCall) {
		this.clients = clients;
		this.timeout = timeout;
		this.budget = budget;
		this.mayCall = mayCall;
	}

	// ---------------------------------------------------------------- webhooks

	/** A webhook as listed, before its service's endpoints are known. */
	private record Listed(String configuration, AdmissionWebhook.Kind kind, String name, String failurePolicy,
			AdmissionregistrationV1ServiceReference service, V1LabelSelector namespaceSelector,
			Integer timeoutSeconds) {

		String serviceKey() {
			return (this.service != null) ? this.service.getNamespace() + "/" + this.service.getName() : null;
		}

	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		SourceResult<Calls> open = open(cluster);
		if (!(open instanceof SourceResult.Ok<Calls> ok)) {
			return SourceResult.failed(((SourceResult.Failed<Calls>) open).reason());
		}
		Calls calls = ok.value();
		AdmissionregistrationV1Api admission = new AdmissionregistrationV1Api(calls.client);
		List<String> warnings = new ArrayList<>();
		List<Listed> listed = new ArrayList<>();
		try {
			calls.list("LIST validatingwebhookconfigurations", MAX_PAGES,
					(token) -> admission.listValidatingWebhookConfiguration()
						.limit(PAGE)
						._continue(token)
						.buildCall(null),
					V1ValidatingWebhookConfigurationList.class, V1ValidatingWebhookConfigurationList::getMetadata,
					V1ValidatingWebhookConfigurationList::getItems,
					(configuration) -> validating(configuration, listed), warnings);
			calls.list("LIST mutatingwebhookconfigurations", MAX_PAGES, (
					token) -> admission.listMutatingWebhookConfiguration().limit(PAGE)._continue(token).buildCall(null),
					V1MutatingWebhookConfigurationList.class, V1MutatingWebhookConfigurationList::getMetadata,
					V1MutatingWebhookConfigurationList::getItems, (configuration) -> mutating(configuration, listed),
					warnings);
		}
		catch (CallFailed ex) {
			return SourceResult.failed(ex.getMessage());
		}
		KubeSystemLabels kubeSystem = kubeSystemLabels(calls, warnings);
		Map<String, Integer> ready = new HashMap<>();
		for (Listed webhook : listed) {
			String key = webhook.serviceKey();
			if (key != null && !ready.containsKey(key)) {
				ready.put(key, readyEndpoints(calls, webhook.service(), warnings));
			}
		}
		List<AdmissionWebhook> webhooks = new ArrayList<>(listed.size());
		for (Listed webhook : listed) {
			String key = webhook.serviceKey();
			webhooks.add(new AdmissionWebhook(webhook.configuration(), webhook.kind(), webhook.name(),
					webhook.failurePolicy(), key, (key != null) ? ready.get(key) : null,
					KubeSystemExclusion.excludes(webhook.namespaceSelector(), kubeSystem.labels(),
							kubeSystem.complete()),
					(webhook.timeoutSeconds() != null) ? webhook.timeoutSeconds() : 10));
		}
		return new SourceResult.Ok<>(webhooks, warnings);
	}

	private static void validating(V1ValidatingWebhookConfiguration configuration, List<Listed> sink) {
		for (V1ValidatingWebhook webhook : nonNull(configuration.getWebhooks())) {
			sink.add(new Listed(name(configuration.getMetadata()), AdmissionWebhook.Kind.VALIDATING,
					nonNull(webhook.getName()), webhook.getFailurePolicy(), service(webhook.getClientConfig()),
					webhook.getNamespaceSelector(), webhook.getTimeoutSeconds()));
		}
	}

	private static void mutating(V1MutatingWebhookConfiguration configuration, List<Listed> sink) {
		for (V1MutatingWebhook webhook : nonNull(configuration.getWebhooks())) {
			sink.add(new Listed(name(configuration.getMetadata()), AdmissionWebhook.Kind.MUTATING,
					nonNull(webhook.getName()), webhook.getFailurePolicy(), service(webhook.getClientConfig()),
					webhook.getNamespaceSelector(), webhook.getTimeoutSeconds()));
		}
	}

	/**
	 * The service a webhook calls; null for a URL webhook (or a reference without
	 * namespace and name).
	 */
	private static AdmissionregistrationV1ServiceReference service(AdmissionregistrationV1WebhookClientConfig config) {
		AdmissionregistrationV1ServiceReference service = (config != null) ? config.getService() : null;
		return (service != null && service.getNamespace() != null && service.getName() != null) ? service : null;
	}

	/**
	 * kube-system's labels, and whether they are all of them (false: only the name label
	 * is known).
	 */
	private record KubeSystemLabels(Map<String, String> labels, boolean complete) {
	}

	/**
	 * kube-system's labels; when they cannot be read, the one label every namespace
	 * carries.
	 */
	private KubeSystemLabels kubeSystemLabels(Calls calls, List<String> warnings) {
		CoreV1Api core = new CoreV1Api(calls.client);
		try {
			V1Namespace namespace = calls.get("GET namespace kube-system",
					core.readNamespace("kube-system").buildCall(null), V1Namespace.class);
			Map<String, String> labels = new HashMap<>(KubeSystemExclusion.KNOWN_LABELS);
			if (namespace.getMetadata() != null && namespace.getMetadata().getLabels() != null) {
				labels.putAll(namespace.getMetadata().getLabels());
			}
			return new KubeSystemLabels(labels, true);
		}
		catch (CallFailed | ApiException ex) {
			String why = (ex instanceof CallFailed) ? ex.getMessage() : ex.getClass().getSimpleName();
			warnings.add("kube-system's labels are unknown (" + why + "): a namespaceSelector counts as excluding"
					+ " it only through its kubernetes.io/metadata.name label");
			return new KubeSystemLabels(KubeSystemExclusion.KNOWN_LABELS, false);
		}
	}

	/**
	 * Ready endpoints of a service from its EndpointSlices: an endpoint counts when
	 * conditions.ready is true or unset (the API says to read unset as ready). A
	 * dual-stack service lists each pod once per address family, so the families are
	 * counted apart and the larger count is taken; an endpoint in two slices (during an
	 * update) counts once. Null when unknown.
	 */
	private Integer readyEndpoints(Calls calls, AdmissionregistrationV1ServiceReference service,
			List<String> warnings) {
		DiscoveryV1Api discovery = new DiscoveryV1Api(calls.client);
		String what = "LIST endpointslices of service " + service.getNamespace() + "/" + service.getName();
		Map<String, Set<String>> readyByFamily = new HashMap<>();
		try {
			calls.list(what, MAX_PAGES,
					(token) -> discovery.listNamespacedEndpointSlice(service.getNamespace())
						.labelSelector(SERVICE_NAME_LABEL + "=" + service.getName())
						.limit(PAGE)
						._continue(token)
						.buildCall(null),
					V1EndpointSliceList.class, V1EndpointSliceList::getMetadata, V1EndpointSliceList::getItems,
					(slice) -> countReady(slice, readyByFamily), warnings);
		}
		catch (CallFailed ex) {
			warnings.add("ready endpoints of " + service.getNamespace() + "/" + service.getName() + " are unknown: "
					+ ex.getMessage());
			return null;
		}
		return readyByFamily.values().stream().mapToInt(Set::size).max().orElse(0);
	}

	private static void countReady(V1EndpointSlice slice, Map<String, Set<String>> readyByFamily) {
		Set<String> ready = readyByFamily.computeIfAbsent(String.valueOf(slice.getAddressType()),
				(family) -> new HashSet<>());
		for (V1Endpoint endpoint : nonNull(slice.getEndpoints())) {
			boolean isReady = endpoint.getConditions() == null || endpoint.getConditions().getReady() == null
					|| endpoint.getConditions().getReady();
			if (isReady) {
				ready.add(String.join(",", nonNull(endpoint.getAddresses())));
			}
		}
	}

	// ---------------------------------------------------------------- events

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		SourceResult<Calls> open = open(cluster);
		if (!(open instanceof SourceResult.Ok<Calls> ok)) {
			return SourceResult.failed(((SourceResult.Failed<Calls>) open).reason());
		}
		Calls calls = ok.value();
		CoreV1Api core = new CoreV1Api(calls.client);
		List<String> warnings = new ArrayList<>();
		List<WebhookCallFailure> failures = new ArrayList<>();
		try {
			calls.list("LIST Warning events", MAX_EVENT_PAGES,
					(token) -> core.listEventForAllNamespaces()
						.fieldSelector("type=Warning")
						.limit(EVENT_PAGE)
						._continue(token)
						.buildCall(null),
					CoreV1EventList.class, CoreV1EventList::getMetadata, CoreV1EventList::getItems, (event) -> {
						if (WebhookCallFailure.isAbout(event.getMessage())) {
							failures.add(failure(event));
						}
					}, warnings);
		}
		catch (CallFailed ex) {
			return SourceResult.failed(ex.getMessage());
		}
		List<WebhookCallFailure> newest = failures.stream()
			.sorted(Comparator.comparing(WebhookCallFailure::lastSeen, Comparator.nullsLast(Comparator.reverseOrder())))
			.limit(MAX_FAILED_CALLS)
			.toList();
		return new SourceResult.Ok<>(newest, warnings);
	}

	private static WebhookCallFailure failure(CoreV1Event event) {
		V1ObjectReference object = event.getInvolvedObject();
		String involved = (object != null) ? nonNull(object.getKind()) + "/" + nonNull(object.getName()) : "";
		String namespace = (event.getMetadata() != null) ? event.getMetadata().getNamespace() : null;
		int count = (event.getSeries() != null && event.getSeries().getCount() != null) ? event.getSeries().getCount()
				: (event.getCount() != null) ? event.getCount() : 1;
		return new WebhookCallFailure(namespace, involved, event.getReason(), event.getMessage(), count,
				lastSeen(event));
	}

	/**
	 * The newest time an event carries: its series', its last timestamp, its event time,
	 * its creation.
	 */
	private static Instant lastSeen(CoreV1Event event) {
		OffsetDateTime at = (event.getSeries() != null) ? event.getSeries().getLastObservedTime() : null;
		at = (at != null) ? at : event.getLastTimestamp();
		at = (at != null) ? at : event.getEventTime();
		at = (at != null || event.getMetadata() == null) ? at : event.getMetadata().getCreationTimestamp();
		return (at != null) ? at.toInstant() : null;
	}

	// ---------------------------------------------------------------- calls

	/** Why a call gave no answer, fit for a panel. */
	static final class CallFailed extends Exception {

		CallFailed(String reason) {
			super(reason, null, false, false);
		}

	}

	/** Builds one page's call from the continue token (null for the first page). */
	@FunctionalInterface
	interface PageCall {

		Call build(String continueToken) throws ApiException;

	}

	private SourceResult<Calls> open(Cluster cluster) {
		if (cluster.access().mode() == KubeAccess.Mode.NONE) {
			return SourceResult.failed("Webhook configurations are read from the apiserver: cluster '" + cluster.name()
					+ "' has no apiserver access");
		}
		if (!this.mayCall.test(cluster)) {
			return SourceResult.failed("the apiserver of a merely discovered kubeconfig context is not called"
					+ " (cpdoctor.apiserver.scrape-discovered-context)");
		}
		long deadline = System.nanoTime() + this.budget.toNanos();
		try {
			return SourceResult.ok(new Calls(cluster, this.clients.clientFor(cluster).client(), deadline));
		}
		catch (IOException | RuntimeException ex) {
			return SourceResult.failed("cannot set up a client for " + cluster.access().describe() + ": "
					+ SourceResult.firstLine(ex.getMessage()));
		}
	}

	/** One question's calls to one cluster: its client and the deadline they share. */
	private final class Calls {

		private final Cluster cluster;

		private final ApiClient client;

		private final long deadline;

		Calls(Cluster cluster, ApiClient client, long deadline) {
			this.cluster = cluster;
			this.client = client;
			this.deadline = deadline;
		}

		/**
		 * Every item of a paginated LIST, page by page. Past maxPages (or when the server
		 * repeats a continue token) it stops with a warning: what was read is kept.
		 */
		<L, I> void list(String what, int maxPages, PageCall page, Class<L> type, Function<L, V1ListMeta> meta,
				Function<L, List<I>> items, Consumer<I> sink, List<String> warnings) throws CallFailed {
			String token = null;
			for (int n = 0; n < maxPages; n++) {
				L list;
				try {
					list = get(what, page.build(token), type);
				}
				catch (ApiException ex) {
					throw new CallFailed(what + " could not be built: " + ex.getClass().getSimpleName());
				}
				nonNull(items.apply(list)).forEach(sink);
				V1ListMeta listMeta = meta.apply(list);
				String next = (listMeta != null) ? listMeta.getContinue() : null;
				if (next == null || next.isEmpty()) {
					return;
				}
				if (next.equals(token)) {
					warnings.add(what + ": the apiserver repeated its continue token; the rest was not read");
					return;
				}
				token = next;
			}
			warnings.add(what + ": more than " + maxPages + " pages; only those were read");
		}

		<T> T get(String what, Call call, Class<T> type) throws CallFailed {
			long remaining = this.deadline - System.nanoTime();
			if (remaining <= 0) {
				call.cancel();
				throw new CallFailed(what + " not asked: the apiserver was already asked for longer than "
						+ KubernetesWebhookSource.this.budget);
			}
			long limit = Math.min(KubernetesWebhookSource.this.timeout.toNanos(), remaining);
			call.timeout().timeout(limit, TimeUnit.NANOSECONDS);
			try (Response response = call.execute()) {
				if (!response.isSuccessful()) {
					if (response.code() == 401) {
						KubernetesWebhookSource.this.clients.forget(this.cluster);
					}
					throw new CallFailed(what + " answered HTTP " + response.code()
							+ ((response.code() == 403) ? " (forbidden: the identity lacks RBAC for it)" : ""));
				}
				ResponseBody body = response.body();
				T value = (body != null) ? MODELS.fromJson(body.charStream(), type) : null;
				if (value == null) {
					throw new CallFailed(what + " answered no body");
				}
				return value;
			}
			catch (InterruptedIOException ex) {
				throw timedOut(what, limit);
			}
			catch (JsonIOException ex) {
				if (ex.getCause() instanceof InterruptedIOException) {
					throw timedOut(what, limit);
				}
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				throw new CallFailed(what + " failed while reading: " + cause.getClass().getSimpleName());
			}
			catch (JsonParseException | IllegalStateException ex) {
				throw new CallFailed(what + " did not answer Kubernetes JSON (a proxy or login page?)");
			}
			catch (IOException ex) {
				throw new CallFailed(what + " failed: " + ex.getClass().getSimpleName());
			}
		}

		private static CallFailed timedOut(String what, long limitNanos) {
			return new CallFailed(
					what + " timed out after " + Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(limitNanos)));
		}

	}

	private static String name(V1ObjectMeta metadata) {
		return (metadata != null && metadata.getName() != null) ? metadata.getName() : "";
	}

	private static String nonNull(String value) {
		return (value != null) ? value : "";
	}

	private static <T> List<T> nonNull(List<T> list) {
		return (list != null) ? list : List.of();
	}

}
