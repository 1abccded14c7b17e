package dev.cpdoctor.source.apiserver;

import dev.cpdoctor.troubleshoot.remedy.FlowSchemaRemedy;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.remedy.ObjectCountQuota;

/** The remedies' manifests, written with the Kubernetes client's typed models. */
public final class ClientManifests implements Manifests {

	@Override
	public String flowSchema(FlowSchemaRemedy remedy) {
		return FlowcontrolYaml.render(remedy);
	}

	@Override
	public String quota(ObjectCountQuota quota) {
		return QuotaYaml.render(quota);
	}

}
