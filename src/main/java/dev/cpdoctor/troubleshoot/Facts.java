package dev.cpdoctor.troubleshoot;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;

/**
 * The facts of one cluster and window, each gathered once, on first ask, while the others
 * are gathered too: every symptom diagnosed from the same facts shares them, and so does
 * a page that shows one of them beside the verdicts.
 */
public final class Facts {

	private final Cluster cluster;

	private final TimeWindow window;

	private final DiagnosisSources sources;

	private final SourceExecutor executor;

	private final Map<Fact<?>, CompletableFuture<?>> asked = new HashMap<>();

	Facts(Cluster cluster, TimeWindow window, DiagnosisSources sources, SourceExecutor executor) {
		this.cluster = cluster;
		this.window = window;
		this.sources = sources;
		this.executor = executor;
	}

	public Cluster cluster() {
		return this.cluster;
	}

	public TimeWindow window() {
		return this.window;
	}

	/** Starts gathering the fact unless it was asked for already; never waits. */
	@SuppressWarnings("unchecked")
	public synchronized <T> CompletableFuture<SourceResult<T>> ask(Fact<T> fact) {
		return (CompletableFuture<SourceResult<T>>) this.asked.computeIfAbsent(fact,
				(f) -> fact.gather(this.sources, this.cluster, this.window, this.executor));
	}

	/** Starts gathering all of them at once. */
	public void askAll(Collection<Fact<?>> facts) {
		facts.forEach(this::ask);
	}

	/** The fact, waiting for it: an answer, or a failure saying why there is none. */
	public <T> SourceResult<T> get(Fact<T> fact) {
		return ask(fact).join();
	}

}
