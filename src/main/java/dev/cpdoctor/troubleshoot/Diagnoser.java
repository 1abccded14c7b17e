package dev.cpdoctor.troubleshoot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.troubleshoot.remedy.Manifests;

/**
 * Diagnoses the symptoms of the symptom table on one cluster over one window: gathers the
 * facts the symptom's checks declare, all at once on the executor (each question bounded
 * by its time limit, an unanswered one failing as a value), then lets each check judge
 * its cause. Only the facts the checks need are asked. Never throws for a source: its
 * failure is a verdict of UNKNOWN with the reason as evidence.
 */
public final class Diagnoser {

	private final DiagnosisSources sources;

	private final SourceExecutor executor;

	private final Manifests manifests;

	public Diagnoser(DiagnosisSources sources, SourceExecutor executor, Manifests manifests) {
		this.sources = sources;
		this.executor = executor;
		this.manifests = manifests;
	}

	/** The facts of a cluster and window, none asked yet. */
	public Facts facts(Cluster cluster, TimeWindow window) {
		return new Facts(cluster, window, this.sources, this.executor);
	}

	/**
	 * @param namespace the namespace cause 2's remedies act on; null for a marked
	 * placeholder
	 */
	public Diagnosis diagnose(Cluster cluster, Symptom symptom, TimeWindow window, String namespace) {
		return diagnose(facts(cluster, window), symptom, namespace);
	}

	/** One symptom from facts that may be shared with a page or other symptoms. */
	public Diagnosis diagnose(Facts facts, Symptom symptom, String namespace) {
		facts.askAll(needs(symptom.checks(), facts.cluster()));
		Examination exam = new Examination(facts, namespace, this.manifests);
		return new Diagnosis(facts.cluster().name(), symptom, facts.window(),
				symptom.checks().stream().map((check) -> check.diagnose(exam)).toList());
	}

	/**
	 * Every symptom of the table, from one gathering of facts: a cause that several
	 * symptoms share is judged on the same facts.
	 */
	public List<Diagnosis> diagnoseAll(Cluster cluster, TimeWindow window, String namespace) {
		Facts facts = facts(cluster, window);
		facts.askAll(needs(SymptomTable.SYMPTOMS.stream().flatMap((s) -> s.checks().stream()).toList(), cluster));
		return SymptomTable.SYMPTOMS.stream().map((symptom) -> diagnose(facts, symptom, namespace)).toList();
	}

	private static Set<Fact<?>> needs(List<CauseCheck> checks, Cluster cluster) {
		Set<Fact<?>> needs = new LinkedHashSet<>();
		checks.forEach((check) -> needs.addAll(check.needs(cluster)));
		return needs;
	}

}
