package dev.cpdoctor.cluster;

import java.util.List;

/**
 * Where clusters known only from stored history are found (offline clusters from uploaded
 * dumps): the catalog offers them after a restart too. History implements it.
 */
@FunctionalInterface
public interface StoredClusters {

	/** The names of the clusters with stored history. */
	List<String> clusters();

}
