package dev.cpdoctor.cluster;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
	 * @param context kubeconfig context to use (none: no apiserver access unless
	 * in-cluster)
	 * @param inCluster use the pod's service account instead of a kubeconfig
	 * @param etcdQuota override of the provider's etcd quota preset, e.g. 8GB
	 * @param logAnalytics where an AKS cluster's audit logs are (diagnostic setting,
	 * kube-audit)
	 * @param azure the cluster's Azure identity
	 * @param audit audit events sent by the apiserver's webhook backend or read from its
	 * log file
	 * @param etcd the cluster's etcd, read directly (self-managed clusters only)
	 */
	public record ClusterEntry(String name, @DefaultValue("self-managed") Provider provider, String context,
			@DefaultValue("false") boolean inCluster, DataSize etcdQuota, LogAnalytics logAnalytics, Azure azure,
			Audit audit, Etcd etcd) {

		public ClusterEntry {
			boolean hasLogAnalytics = logAnalytics != null && logAnalytics.workspaceId() != null
					&& !logAnalytics.workspaceId().isBlank();
			if (hasLogAnalytics && audit != null && audit.configured()) {
				throw new IllegalStateException("Cluster '" + name + "' has both cpdoctor.clusters[].log-analytics"
						+ " and cpdoctor.clusters[].audit: choose one audit source");
			}
		}

	}

	/**
	 * {@code cpdoctor.clusters[].azure.resource-id} of each cluster that has one, in the
	 * order configured.
	 */
	public Map<String, String> azureResourceIds() {
		return resourceIds(false);
	}

	/** The same, of clusters with provider aks only. */
	public Map<String, String> aksResourceIds() {
		return resourceIds(true);
	}

	private Map<String, String> resourceIds(boolean aksOnly) {
		Map<String, String> ids = new LinkedHashMap<>();
		for (ClusterEntry entry : this.clusters) {
			if ((!aksOnly || entry.provider() == Provider.AKS) && entry.azure() != null
					&& entry.azure().resourceId() != null) {
				ids.put(entry.name(), entry.azure().resourceId());
			}
		}
		return ids;
	}

	/**
	 * {@code cpdoctor.clusters[].etcd}: the cluster's etcd members, read directly and
	 * read-only (status, alarms, /metrics, the keyspace in pages). As kubeadm sets it up:
	 * https client URLs and a client certificate signed by the etcd CA, e.g.
	 * /etc/kubernetes/pki/etcd/ca.crt and
	 * /etc/kubernetes/pki/apiserver-etcd-client.{crt,key}.
	 *
	 * @param endpoints every member's client URL, e.g. https://10.0.0.11:2379 (http://
	 * for plain etcd)
	 * @param caFile PEM CA certificate(s) the members' server certificates are checked
	 * against
	 * @param certFile PEM client certificate (chain)
	 * @param keyFile PEM private key of the client certificate: PKCS#8 (BEGIN PRIVATE
	 * KEY) or the PKCS#1 RSA (BEGIN RSA PRIVATE KEY) and SEC1 EC (BEGIN EC PRIVATE KEY)
	 * keys kubeadm writes
	 * @param metricsEndpoints where each member's /metrics is, when not on the client URL
	 * (kubeadm: --listen-metrics-urls=http://127.0.0.1:2381, reachable only on the node);
	 * empty: the client URLs
	 */
	public record Etcd(@DefaultValue List<URI> endpoints, Path caFile, Path certFile, Path keyFile,
			@DefaultValue List<URI> metricsEndpoints) {

		public Etcd {
			endpoints = List.copyOf(endpoints);
			metricsEndpoints = List.copyOf(metricsEndpoints);
			if ((certFile == null) != (keyFile == null)) {
				throw new IllegalArgumentException("cpdoctor.clusters[].etcd: cert-file and key-file go together");
			}
			for (URI endpoint : endpoints) {
				if (!"https".equals(endpoint.getScheme()) && !"http".equals(endpoint.getScheme())) {
					throw new IllegalArgumentException(
							"cpdoctor.clusters[].etcd.endpoints: an http:// or https:// URL, got " + endpoint);
				}
			}
		}

		public boolean configured() {
			return !this.endpoints.isEmpty();
		}

	}

	/**
	 * {@code cpdoctor.clusters[].audit}: audit events for clusters without Log Analytics.
	 *
	 * @param webhookToken the bearer token the apiserver's audit webhook sends (its
	 * kubeconfig's user token); none means POST /api/v1/clusters/{name}/audit is closed
	 * for this cluster
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
	 * @param workspaceId the Log Analytics workspace (customer id, a GUID) the diagnostic
	 * setting sends to
	 * @param tableMode auto | aks-audit | azure-diagnostics
	 * @param endpoint the query endpoint; empty for the public cloud, set it for
	 * sovereign clouds or a proxy
	 */
	public record LogAnalytics(String workspaceId, @DefaultValue("auto") TableMode tableMode, URI endpoint) {

		public enum TableMode {

			AUTO, AKS_AUDIT, AZURE_DIAGNOSTICS

		}

	}

	/**
	 * {@code cpdoctor.clusters[].azure}.
	 *
	 * @param resourceId
	 * /subscriptions/.../resourceGroups/.../providers/Microsoft.ContainerService/managedClusters/...
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
	 * @param offerCurrentContext offer the current context of the kubeconfig file as a
	 * cluster
	 * @param path the kubeconfig file; empty means $KUBECONFIG (first entry) or
	 * ~/.kube/config
	 */
	public record Kubeconfig(@DefaultValue("true") boolean offerCurrentContext, Path path) {

		/**
		 * The kubeconfig files to read: the configured path, else those of $KUBECONFIG or
		 * ~/.kube/config.
		 */
		public List<Path> files() {
			return (this.path != null) ? List.of(this.path) : KubeconfigFile.defaultPaths();
		}

	}

}
