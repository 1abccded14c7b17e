package dev.cpdoctor.cluster;

/**
 * How the dashboard reaches a cluster's apiserver.
 *
 * @param mode kubeconfig context, in-cluster service account, or none
 * @param kubeconfigContext the context name when mode is KUBECONFIG_CONTEXT
 * @param server the apiserver URL when known without a network call (from the kubeconfig
 * file)
 */
public record KubeAccess(Mode mode, String kubeconfigContext, String server) {

	public enum Mode {

		KUBECONFIG_CONTEXT, IN_CLUSTER, NONE

	}

	public KubeAccess {
		if (mode == Mode.KUBECONFIG_CONTEXT && (kubeconfigContext == null || kubeconfigContext.isBlank())) {
			throw new IllegalArgumentException("a kubeconfig context name is required");
		}
	}

	public static KubeAccess none() {
		return new KubeAccess(Mode.NONE, null, null);
	}

	public static KubeAccess inCluster() {
		return new KubeAccess(Mode.IN_CLUSTER, null, null);
	}

	public static KubeAccess context(String context, String server) {
		return new KubeAccess(Mode.KUBECONFIG_CONTEXT, context, server);
	}

	public String describe() {
		return switch (this.mode) {
			case KUBECONFIG_CONTEXT -> "kubeconfig context " + this.kubeconfigContext;
			case IN_CLUSTER -> "in-cluster service account";
			case NONE -> "no apiserver access";
		};
	}

}
