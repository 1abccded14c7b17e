package dev.cpdoctor.source;

import java.util.Locale;
import java.util.Objects;

/**
 * What Azure Resource Manager says about an AKS managed cluster resource.
 *
 * @param tier the SKU tier: Free, Standard or Premium (as Azure spells it)
 * @param kubernetesVersion properties.kubernetesVersion, the version asked for; null when
 * absent
 * @param currentKubernetesVersion properties.currentKubernetesVersion, the version
 * running; null when absent
 * @param provisioningState properties.provisioningState, e.g. Succeeded, Updating,
 * Failed; null when absent
 * @param powerState properties.powerState.code, Running or Stopped; null when absent
 */
public record AksManagedCluster(String tier, String kubernetesVersion, String currentKubernetesVersion,
		String provisioningState, String powerState) {

	public AksManagedCluster {
		Objects.requireNonNull(tier, "tier");
	}

	/** The Free tier: no uptime SLA, a smaller control plane. */
	public boolean isFreeTier() {
		return "free".equals(tier.toLowerCase(Locale.ROOT));
	}

}
