package dev.cpdoctor.troubleshoot;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

/**
 * What a cause's check examines: the facts of a cluster and window, the namespace the
 * remedies act on, and the writer of the remedies' manifests.
 *
 * @param namespace the namespace cause 2's remedies act on (validated by the check); null
 * for a marked placeholder
 */
public record Examination(Facts facts, String namespace, Manifests manifests) {

	public Cluster cluster() {
		return this.facts.cluster();
	}

	public TimeWindow window() {
		return this.facts.window();
	}

	public <T> SourceResult<T> get(Fact<T> fact) {
		return this.facts.get(fact);
	}

}
