package dev.cpdoctor.troubleshoot;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;

/**
 * One fact a cause's check reads, and how it is gathered for a cluster and window: a
 * question to the sources, asked on the executor at the same time as the other facts of
 * the diagnosis. A check declares the facts it needs as constants; the instance is the
 * fact's identity, so every check that names it shares one answer.
 *
 * @param <T> what the fact is
 */
public final class Fact<T> {

	/** A question to the sources, answered as a value (a failure says why). */
	@FunctionalInterface
	public interface Question<T> {

		SourceResult<T> ask(DiagnosisSources sources, Cluster cluster, TimeWindow window);

	}

	/** How a fact made of several questions is gathered, without blocking a thread. */
	@FunctionalInterface
	public interface Gathering<T> {

		CompletableFuture<SourceResult<T>> gather(DiagnosisSources sources, Cluster cluster, TimeWindow window,
				SourceExecutor executor);

	}

	private final String name;

	private final Gathering<T> gathering;

	private Fact(String name, Gathering<T> gathering) {
		this.name = Objects.requireNonNull(name, "name");
		this.gathering = Objects.requireNonNull(gathering, "gathering");
	}

	/** A fact that is one question to the sources. */
	public static <T> Fact<T> asked(String name, Question<T> question) {
		return new Fact<>(name,
				(sources, cluster, window, executor) -> executor.ask(() -> question.ask(sources, cluster, window)));
	}

	/** A fact gathered from several questions (one after another, or side by side). */
	public static <T> Fact<T> gathered(String name, Gathering<T> gathering) {
		return new Fact<>(name, gathering);
	}

	CompletableFuture<SourceResult<T>> gather(DiagnosisSources sources, Cluster cluster, TimeWindow window,
			SourceExecutor executor) {
		try {
			return this.gathering.gather(sources, cluster, window, executor);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.completedFuture(
					SourceResult.failed("Could not ask for " + this.name + ": " + ex.getClass().getSimpleName()
							+ ((ex.getMessage() != null) ? ": " + SourceResult.firstLine(ex.getMessage()) : "")));
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
