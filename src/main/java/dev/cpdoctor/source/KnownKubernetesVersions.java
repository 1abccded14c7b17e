package dev.cpdoctor.source;

import java.util.Optional;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.analysis.KubernetesVersion;

/**
 * A cluster's Kubernetes version as last seen without calling it now; empty when never
 * seen.
 */
@FunctionalInterface
public interface KnownKubernetesVersions {

	Optional<KubernetesVersion> of(Cluster cluster);

}
