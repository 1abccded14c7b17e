package dev.cpdoctor.source;

import java.util.List;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.cluster.Cluster;

/** The admission webhooks of a cluster and the state of their backends. */
public interface WebhookSource {

	SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster);

}
