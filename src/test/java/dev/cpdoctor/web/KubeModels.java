package dev.cpdoctor.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1WebhookClientConfig;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1FlowSchema;
import io.kubernetes.client.openapi.models.V1FlowSchemaSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import io.kubernetes.client.openapi.models.V1PriorityLevelConfigurationReference;
import io.kubernetes.client.openapi.models.V1RuleWithOperations;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;

/**
 * The Kubernetes objects the guide's stand-in apiservers ({@link StubApiserver}) serve,
 * built as the Kubernetes client's own models: webhook configurations, Warning events,
 * FlowSchemas.
 */
final class KubeModels {

	private KubeModels() {
	}

	static V1ValidatingWebhookConfiguration validating(String configuration, V1ValidatingWebhook... webhooks) {
		return new V1ValidatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("ValidatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(configuration))
			.webhooks(List.of(webhooks));
	}

	static V1MutatingWebhookConfiguration mutating(String configuration, V1MutatingWebhook... webhooks) {
		return new V1MutatingWebhookConfiguration().apiVersion("admissionregistration.k8s.io/v1")
			.kind("MutatingWebhookConfiguration")
			.metadata(new V1ObjectMeta().name(configuration))
			.webhooks(List.of(webhooks));
	}

	/**
	 * A validating webhook calling a service.
	 * @param excludeKubeSystem whether its namespaceSelector leaves kube-system out (by
	 * its name label)
	 */
	static V1ValidatingWebhook validatingWebhook(String name, String failurePolicy, String namespace, String service,
			boolean excludeKubeSystem, int timeoutSeconds) {
		return new V1ValidatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(service(namespace, service))
			.namespaceSelector(excludeKubeSystem ? notKubeSystem() : null)
			.rules(List.of(rule()))
			.sideEffects("None")
			.timeoutSeconds(timeoutSeconds)
			.admissionReviewVersions(List.of("v1"));
	}

	static V1MutatingWebhook mutatingWebhook(String name, String failurePolicy, String namespace, String service,
			boolean excludeKubeSystem, int timeoutSeconds) {
		return new V1MutatingWebhook().name(name)
			.failurePolicy(failurePolicy)
			.clientConfig(service(namespace, service))
			.namespaceSelector(excludeKubeSystem ? notKubeSystem() : null)
			.rules(List.of(rule()))
			.sideEffects("NoneOnDryRun")
			.timeoutSeconds(timeoutSeconds)
			.reinvocationPolicy("Never")
			.admissionReviewVersions(List.of("v1"));
	}

	private static AdmissionregistrationV1WebhookClientConfig service(String namespace, String name) {
		return new AdmissionregistrationV1WebhookClientConfig()
			.service(new AdmissionregistrationV1ServiceReference().namespace(namespace).name(name).port(443));
	}

	private static V1LabelSelector notKubeSystem() {
		return new V1LabelSelector()
			.matchExpressions(List.of(new V1LabelSelectorRequirement().key("kubernetes.io/metadata.name")
				.operator("NotIn")
				.values(List.of("kube-system"))));
	}

	private static V1RuleWithOperations rule() {
		return new V1RuleWithOperations().apiGroups(List.of("*"))
			.apiVersions(List.of("*"))
			.operations(List.of("CREATE", "UPDATE"))
			.resources(List.of("*/*"))
			.scope("*");
	}

	/**
	 * A Warning event as the ReplicaSet controller writes it when a webhook call fails.
	 */
	static CoreV1Event failedWebhookCall(String namespace, String replicaSet, String message, int count, Instant last) {
		OffsetDateTime at = last.atOffset(ZoneOffset.UTC);
		return new CoreV1Event().apiVersion("v1")
			.kind("Event")
			.metadata(new V1ObjectMeta().name(replicaSet + ".17f9a3c2b1d0e4f5")
				.namespace(namespace)
				.creationTimestamp(at.minusMinutes(30)))
			.involvedObject(new V1ObjectReference().apiVersion("apps/v1")
				.kind("ReplicaSet")
				.name(replicaSet)
				.namespace(namespace))
			.reason("FailedCreate")
			.message(message)
			.type("Warning")
			.count(count)
			.firstTimestamp(at.minusMinutes(30))
			.lastTimestamp(at)
			.source(new V1EventSource().component("replicaset-controller"));
	}

	/**
	 * Another Warning event, not about a webhook: the list is not only what the check
	 * looks for.
	 */
	static CoreV1Event backOff(String namespace, String pod, Instant last) {
		OffsetDateTime at = last.atOffset(ZoneOffset.UTC);
		return new CoreV1Event().apiVersion("v1")
			.kind("Event")
			.metadata(new V1ObjectMeta().name(pod + ".17f9a3c2b1d0aaaa").namespace(namespace).creationTimestamp(at))
			.involvedObject(new V1ObjectReference().apiVersion("v1").kind("Pod").name(pod).namespace(namespace))
			.reason("BackOff")
			.message("Back-off restarting failed container app in pod " + pod)
			.type("Warning")
			.count(4)
			.lastTimestamp(at)
			.source(new V1EventSource().component("kubelet"));
	}

	static V1FlowSchema flowSchema(String name, int precedence, String priorityLevel) {
		return new V1FlowSchema().kind("FlowSchema")
			.metadata(new V1ObjectMeta().name(name))
			.spec(new V1FlowSchemaSpec().matchingPrecedence(precedence)
				.priorityLevelConfiguration(new V1PriorityLevelConfigurationReference().name(priorityLevel)));
	}

}
