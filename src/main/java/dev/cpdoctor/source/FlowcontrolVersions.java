package dev.cpdoctor.source;

import java.util.List;

import dev.cpdoctor.cluster.Cluster;

/**
 * The versions of flowcontrol.apiserver.k8s.io (API Priority and Fairness) a cluster's
 * apiserver serves, as API discovery lists them: "v1", "v1beta3", ...; an empty list when
 * it does not serve the group at all. A value, never an exception: a failure says why it
 * could not ask.
 */
public interface FlowcontrolVersions {

	SourceResult<List<String>> served(Cluster cluster);

}
