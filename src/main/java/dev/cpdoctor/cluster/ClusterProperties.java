package dev.cpdoctor.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The cluster catalog's configuration, prefix {@code cpdoctor}.
 *
 * @param clusters clusters to watch, in the order the picker shows them
 * @param demo the built-in demo cluster
 * @param kubeconfig offering the current kubeconfig context as a cluster
 */
@ConfigurationProperties("cpdoctor")
public record ClusterProperties(@DefaultValue List<ClusterEntry> clusters, @DefaultValue Demo demo,
		@DefaultValue Kubeconfig kubeconfig) {

	/**
	 * One configured cluster, {@code cpdoctor.clusters[]}.
	 *
	 * @param name unique name, used in URLs
	 * @param provider aks | eks | self-managed | offline | demo
	 * @param context kubeconfig context to use (none: no apiserver access unless in-cluster)
	 * @param inCluster use the pod's service account instead of a kubeconfig
	 * @param etcdQuota override of the provider's etcd quota preset, e.g. 8GB
	 * @param logAnalytics where an AKS cluster's audit logs are (diagnostic setting, kube-audit)
	 * @param azure the cluster's Azure identity
	 * @param audit audit events sent by the apiserver's webhook backend or read from its log file
	 */
	public record ClusterEntry(String name, @DefaultValue("self-managed") Provider provider, String context,
			@DefaultValue("false") boolean inCluster, DataSize etcdQuota, LogAnalytics logAnalytics, Azure azure,
			Audit audit) {
	}

	/**
	 * {@code cpdoctor.clusters[].audit}: audit events for clusters without Log Analytics.
	 *
	 * @param webhookToken the bearer token the apiserver's audit webhook sends (its kubeconfig's
	 * user token); none means POST /api/v1/clusters/{name}/audit is closed for this cluster
	 * @param logPath an audit log file (--audit-log-path) to follow
	 */
	public record Audit(String webhookToken, Path logPath) {

		public boolean webhookOpen() {
			return this.webhookToken != null && !this.webhookToken.isBlank();
		}

		public boolean configured() {
			return webhookOpen() || this.logPath != null;
		}

	}

	/**
	 * {@code cpdoctor.clusters[].log-analytics}.
	 *
	 * @param workspaceId the Log Analytics workspace (customer id, a GUID) the diagnostic setting sends to
	 * @param tableMode auto | aks-audit | azure-diagnostics
	 * @param endpoint the query endpoint; empty for the public cloud, set it for sovereign clouds or a proxy
	 */
	public record LogAnalytics(String workspaceId, @DefaultValue("auto") TableMode tableMode, URI endpoint) {

		public enum TableMode {
			AUTO, AKS_AUDIT, AZURE_DIAGNOSTICS
		}

	}

	/**
	 * {@code cpdoctor.clusters[].azure}.
	 *
	 * @param resourceId /subscriptions/.../resourceGroups/.../providers/Microsoft.ContainerService/managedClusters/...
	 * (filters a workspace shared by several clusters)
	 */
	public record Azure(String resourceId) {
	}

	/**
	 * @param enabled whether the demo cluster named {@code demo} is offered
	 * @param seed the seed of the generated scenario; the same seed gives the same data
	 */
	public record Demo(@DefaultValue("true") boolean enabled, @DefaultValue("20261122") long seed) {
	}

	/**
	 * @param offerCurrentContext offer the current context of the kubeconfig file as a cluster
	 * @param path the kubeconfig file; empty means $KUBECONFIG (first entry) or ~/.kube/config
	 */
	public record Kubeconfig(@DefaultValue("true") boolean offerCurrentContext, Path path) {

		/** The kubeconfig files to read: the configured path, else those of $KUBECONFIG or ~/.kube/config. */
		public List<Path> files() {
			return (this.path != null) ? List.of(this.path) : KubeconfigFile.defaultPaths();
		}

	}

}
