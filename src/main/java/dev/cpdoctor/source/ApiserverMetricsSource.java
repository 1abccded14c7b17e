package dev.cpdoctor.source;

import dev.cpdoctor.cluster.Cluster;

/**
 * What a cluster's apiserver /metrics says now: one scrape, its result a value, never an
 * exception.
 */
public interface ApiserverMetricsSource {

	ScrapeResult scrape(Cluster cluster);

}
