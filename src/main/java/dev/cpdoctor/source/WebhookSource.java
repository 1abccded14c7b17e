package dev.cpdoctor.source;

import java.util.List;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;

/**
 * The admission webhooks of a cluster, the state of their backends, and the apiserver's
 * complaints about calling them: the live evidence of an admission webhook deadlock
 * (DOMAIN.md cause 4). Values, never exceptions: a failure says why it could not read.
 */
public interface WebhookSource {

	/** The most failed webhook calls {@link #failedCalls(Cluster)} gives. */
	int MAX_FAILED_CALLS = 20;

	/** Every webhook of the cluster's Validating- and MutatingWebhookConfigurations. */
	SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster);

	/**
	 * Warning events whose message contains "failed calling webhook", newest first, at
	 * most {@link #MAX_FAILED_CALLS}; an empty list when there are none.
	 */
	SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster);

}
