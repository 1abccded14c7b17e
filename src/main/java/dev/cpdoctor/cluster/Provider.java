package dev.cpdoctor.cluster;

import java.util.Locale;

import org.springframework.util.unit.DataSize;

/**
 * Where a cluster runs. The provider decides the etcd quota preset (DOMAIN.md, "etcd
 * quotas") and which sources make sense for it.
 */
public enum Provider {

	/** Azure Kubernetes Service: newer guidance documents an 8 GB etcd. */
	AKS(DataSize.ofGigabytes(8)),

	/** Amazon EKS: 8 GiB (hard stop reported around 10 GiB). */
	EKS(DataSize.ofGigabytes(8)),

	/** kubeadm, k3s, kOps...: etcd's default --quota-backend-bytes of 2 GiB. */
	SELF_MANAGED(DataSize.ofGigabytes(2)),

	/** Known only from uploaded /metrics dumps; the quota is a guess until configured. */
	OFFLINE(DataSize.ofGigabytes(8)),

	/** The built-in generated scenario. */
	DEMO(DataSize.ofGigabytes(8));

	private final DataSize defaultEtcdQuota;

	Provider(DataSize defaultEtcdQuota) {
		this.defaultEtcdQuota = defaultEtcdQuota;
	}

	public DataSize defaultEtcdQuota() {
		return this.defaultEtcdQuota;
	}

	/**
	 * The spelling used in configuration and on pages: aks, eks, self-managed, offline,
	 * demo.
	 */
	public String label() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

	/** A best guess from the apiserver URL of a kubeconfig; no network involved. */
	public static Provider guessFromServer(String serverUrl) {
		String url = (serverUrl != null) ? serverUrl.toLowerCase(Locale.ROOT) : "";
		if (url.contains(".azmk8s.io")) {
			return AKS;
		}
		if (url.contains(".eks.amazonaws.com")) {
			return EKS;
		}
		return SELF_MANAGED;
	}

}
