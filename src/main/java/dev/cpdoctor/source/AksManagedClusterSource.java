package dev.cpdoctor.source;

import dev.cpdoctor.cluster.Cluster;

/**
 * An AKS cluster's managed cluster resource as Azure Resource Manager describes it (SKU
 * tier, versions, provisioning and power state), for the clusters whose Azure resource id
 * is configured. A value, never an exception: a failure says why it could not read (no
 * resource id, no credential, no right to read, not found, no answer in time).
 */
public interface AksManagedClusterSource {

	SourceResult<AksManagedCluster> managedCluster(Cluster cluster);

}
