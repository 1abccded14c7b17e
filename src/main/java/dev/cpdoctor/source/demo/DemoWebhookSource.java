package dev.cpdoctor.source.demo;

import java.util.List;

import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;

/** The demo cluster's webhook configurations and the apiserver's failed calls to them. */
public final class DemoWebhookSource implements WebhookSource {

	private final DemoScenario scenario;

	public DemoWebhookSource(DemoScenario scenario) {
		this.scenario = scenario;
	}

	@Override
	public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
		return SourceResult.ok(this.scenario.webhooks());
	}

	@Override
	public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
		return SourceResult.ok(this.scenario.webhookFailures());
	}

}
