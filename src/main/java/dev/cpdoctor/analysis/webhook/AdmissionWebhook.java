package dev.cpdoctor.analysis.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One webhook of a Validating- or MutatingWebhookConfiguration, with what is known of its
 * backend.
 *
 * @param configuration name of the webhook configuration object
 * @param kind validating or mutating
 * @param name the webhook's name, e.g. mutate.kyverno.svc-fail
 * @param failurePolicy Fail or Ignore
 * @param service namespace/name of the backing service, null for a URL webhook
 * @param readyEndpoints ready endpoints of the service, null when unknown
 * @param excludesKubeSystem whether its namespaceSelector keeps kube-system out
 * @param timeoutSeconds the call timeout (1-30 s, default 10)
 */
public record AdmissionWebhook(String configuration, Kind kind, String name, String failurePolicy, String service,
		Integer readyEndpoints, boolean excludesKubeSystem, int timeoutSeconds) {

	public enum Kind {

		VALIDATING, MUTATING

	}

	public AdmissionWebhook {
		Objects.requireNonNull(configuration, "configuration");
		Objects.requireNonNull(kind, "kind");
		Objects.requireNonNull(name, "name");
		failurePolicy = (failurePolicy != null) ? failurePolicy : "Fail";
	}

	/**
	 * The risk signs of an apiserver/webhook deadlock (DOMAIN.md cause 4), worst first. A
	 * webhook that fails closed and has no ready endpoints is already blocking every
	 * request it matches.
	 */
	public List<String> riskSigns() {
		List<String> signs = new ArrayList<>();
		boolean failsClosed = "Fail".equalsIgnoreCase(this.failurePolicy);
		if (failsClosed && this.readyEndpoints != null && this.readyEndpoints == 0) {
			signs.add("service " + this.service + " has no ready endpoints: every matching request fails now");
		}
		if (failsClosed) {
			signs.add("failurePolicy Fail: when the webhook is down, matching requests are rejected");
		}
		if (!this.excludesKubeSystem) {
			signs.add("no namespaceSelector excluding kube-system: it can block the pods that would repair it");
		}
		if (this.timeoutSeconds > 10) {
			signs.add("timeoutSeconds " + this.timeoutSeconds + ": each matching request can hang that long");
		}
		return signs;
	}

	public boolean isBlockingNow() {
		return "Fail".equalsIgnoreCase(this.failurePolicy) && this.readyEndpoints != null && this.readyEndpoints == 0;
	}

}
