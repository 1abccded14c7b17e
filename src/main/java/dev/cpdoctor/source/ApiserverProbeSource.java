package dev.cpdoctor.source;

import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.cluster.Cluster;

/**
 * The apiserver's own view of its health: /readyz?verbose and /livez?verbose, asked on
 * demand. Always a value: a probe that could not be asked says why (timeout, refused,
 * 401...).
 */
public interface ApiserverProbeSource {

	ApiserverProbes probes(Cluster cluster);

}
