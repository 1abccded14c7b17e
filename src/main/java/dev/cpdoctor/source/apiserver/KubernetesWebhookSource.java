package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;
import dev.cpdoctor.source.apiserver.WebhookConfigurations.Listed;

/**
 * Admission webhooks and failed webhook calls read from the cluster's apiserver through
 * its ApiClient (credentials, our user agent), as a good client during an incident: every
 * LIST is paginated ({@link PagedList}), every call bounded by the timeout and all calls
 * of one question together by the budget ({@link ApiserverCalls}). Not cached here: see
 * CachingWebhookSource. The configurations are read by {@link WebhookConfigurations},
 * their services' ready endpoints by {@link ServiceEndpoints}, the failed calls by
 * {@link WebhookCallEvents}.
 * <p>
 * RBAC: list validatingwebhookconfigurations and mutatingwebhookconfigurations
 * (admissionregistration.k8s.io), list endpointslices (discovery.k8s.io), list events,
 * get namespace kube-system. Without the last three the webhooks are still listed, with
 * what is unknown said in warnings.
 */
final class KubernetesWebhookSource implements WebhookSource {

	private final KubernetesApiClients clients;

	private final ApiserverCalls.Bounds bounds;

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
		this.bounds = ApiserverCalls.bounds(timeout, budget, "for it");
		this.mayCall = mayCall;
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		SourceResult<ApiserverCalls> open = open(cluster);
		if (!(open instanceof SourceResult.Ok<ApiserverCalls> ok)) {
			return SourceResult.failed(((SourceResult.Failed<ApiserverCalls>) open).reason());
		}
		ApiserverCalls calls = ok.value();
		List<String> warnings = new ArrayList<>();
		List<Listed> listed;
		try {
			listed = WebhookConfigurations.read(calls, warnings);
		}
		catch (CallFailed ex) {
			return SourceResult.failed(ex.getMessage());
		}
		KubeSystemLabels kubeSystem = kubeSystemLabels(calls, warnings);
		Map<String, Integer> ready = new HashMap<>();
		for (Listed webhook : listed) {
			String key = webhook.serviceKey();
			if (key != null && !ready.containsKey(key)) {
				ready.put(key, ServiceEndpoints.ready(calls, webhook.service(), warnings));
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
	private static KubeSystemLabels kubeSystemLabels(ApiserverCalls calls, List<String> warnings) {
		CoreV1Api core = new CoreV1Api(calls.client());
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

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		SourceResult<ApiserverCalls> open = open(cluster);
		if (!(open instanceof SourceResult.Ok<ApiserverCalls> ok)) {
			return SourceResult.failed(((SourceResult.Failed<ApiserverCalls>) open).reason());
		}
		List<String> warnings = new ArrayList<>();
		try {
			return new SourceResult.Ok<>(WebhookCallEvents.newest(ok.value(), warnings), warnings);
		}
		catch (CallFailed ex) {
			return SourceResult.failed(ex.getMessage());
		}
	}

	private SourceResult<ApiserverCalls> open(Cluster cluster) {
		if (cluster.access().mode() == KubeAccess.Mode.NONE) {
			return SourceResult.failed("Webhook configurations are read from the apiserver: cluster '" + cluster.name()
					+ "' has no apiserver access");
		}
		if (!this.mayCall.test(cluster)) {
			return SourceResult.failed("the apiserver of a merely discovered kubeconfig context is not called"
					+ " (cpdoctor.apiserver.scrape-discovered-context)");
		}
		return ApiserverCalls.open(this.clients, cluster, this.bounds);
	}

}
