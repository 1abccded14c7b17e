package dev.cpdoctor.troubleshoot;

import java.util.Optional;
import java.util.function.Function;

import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.KnownKubernetesVersions;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.WebhookSource;

/**
 * The sources the facts of a diagnosis are read from.
 *
 * @param audit the high-latency checklist's questions (cause 3)
 * @param webhooks admission webhooks and failed webhook calls (cause 4)
 * @param etcd etcd as stored history says (cause 2)
 * @param direct etcd read directly; null where no cluster's etcd is (cause 2)
 * @param network apiserver probes and the dashboard's own calls (cause 1)
 * @param aksGuard the aks-managed-apiserver-guard FlowSchema, asked of AKS clusters only
 * (cause 3)
 * @param managedClusters the managed cluster resource from Azure (SKU tier), asked of AKS
 * clusters only (cause 3)
 * @param aksIds an AKS cluster's validated Azure identity
 * (cpdoctor.clusters[].azure.resource-id)
 * @param flowcontrol which flowcontrol versions a cluster serves (cause 3's throttle)
 * @param versions a cluster's Kubernetes version as last seen (cause 3's throttle)
 */
public record DiagnosisSources(AuditAnalytics audit, WebhookSource webhooks, EtcdHistoryFacts etcd,
		EtcdDirectReader direct, NetworkEvidence network, AksGuardSource aksGuard,
		AksManagedClusterSource managedClusters, Function<Cluster, Optional<AksClusterId>> aksIds,
		FlowcontrolVersions flowcontrol, KnownKubernetesVersions versions) {
}
