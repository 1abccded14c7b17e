package dev.cpdoctor.source.apiserver;

import java.util.ArrayList;
import java.util.List;

import io.kubernetes.client.openapi.apis.AdmissionregistrationV1Api;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfigurationList;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfigurationList;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.source.apiserver.ApiserverCalls.CallFailed;

import static dev.cpdoctor.source.apiserver.ModelValues.name;
import static dev.cpdoctor.source.apiserver.ModelValues.orEmpty;

/**
 * The webhooks of a cluster's validating and mutating webhook configurations, as listed
 * (before their services' endpoints are known). RBAC: list
 * validatingwebhookconfigurations and mutatingwebhookconfigurations
 * (admissionregistration.k8s.io).
 */
final class WebhookConfigurations {

	static final int PAGE = 100;

	/** A bound against a server that never stops paging: 5,000 configurations. */
	static final int MAX_PAGES = 50;

	private WebhookConfigurations() {
	}

	/** A webhook as listed, before its service's endpoints are known. */
	record Listed(String configuration, AdmissionWebhook.Kind kind, String name, String failurePolicy,
			AdmissionregistrationV1ServiceReference service, V1LabelSelector namespaceSelector,
			Integer timeoutSeconds) {

		/** namespace/name of the service it calls; null for a URL webhook. */
		String serviceKey() {
			return (this.service != null) ? this.service.getNamespace() + "/" + this.service.getName() : null;
		}

	}

	/**
	 * Every webhook of the validating configurations, then of the mutating ones; a
	 * failure of either LIST fails the whole read.
	 */
	static List<Listed> read(ApiserverCalls calls, List<String> warnings) throws CallFailed {
		AdmissionregistrationV1Api admission = new AdmissionregistrationV1Api(calls.client());
		List<Listed> listed = new ArrayList<>();
		new PagedList<>("LIST validatingwebhookconfigurations", PAGE, MAX_PAGES, (limit,
				token) -> admission.listValidatingWebhookConfiguration().limit(limit)._continue(token).buildCall(null),
				V1ValidatingWebhookConfigurationList.class, V1ValidatingWebhookConfigurationList::getMetadata)
			.readAll(calls, V1ValidatingWebhookConfigurationList::getItems,
					(configuration) -> validating(configuration, listed), warnings);
		new PagedList<>("LIST mutatingwebhookconfigurations", PAGE, MAX_PAGES, (limit,
				token) -> admission.listMutatingWebhookConfiguration().limit(limit)._continue(token).buildCall(null),
				V1MutatingWebhookConfigurationList.class, V1MutatingWebhookConfigurationList::getMetadata)
			.readAll(calls, V1MutatingWebhookConfigurationList::getItems,
					(configuration) -> mutating(configuration, listed), warnings);
		return listed;
	}

	private static void validating(V1ValidatingWebhookConfiguration configuration, List<Listed> sink) {
		for (V1ValidatingWebhook webhook : orEmpty(configuration.getWebhooks())) {
			sink.add(new Listed(name(configuration.getMetadata()), AdmissionWebhook.Kind.VALIDATING,
					orEmpty(webhook.getName()), webhook.getFailurePolicy(), service(webhook.getClientConfig()),
					webhook.getNamespaceSelector(), webhook.getTimeoutSeconds()));
		}
	}

	private static void mutating(V1MutatingWebhookConfiguration configuration, List<Listed> sink) {
		for (V1MutatingWebhook webhook : orEmpty(configuration.getWebhooks())) {
			sink.add(new Listed(name(configuration.getMetadata()), AdmissionWebhook.Kind.MUTATING,
					orEmpty(webhook.getName()), webhook.getFailurePolicy(), service(webhook.getClientConfig()),
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

}
