package dev.cpdoctor.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.cpdoctor.cluster.Cluster;

/**
 * Which clusters a source answers for: the demo's scenario for the demo, a workspace for
 * each cluster that names one, the apiserver for every other cluster. Each source package
 * declares its routes as beans; the sources' configuration builds one routed source per
 * question from them, so no package but a source's own knows how it is made. A cluster is
 * asked of the first route for it, routes for any cluster ({@link #otherwise}) last.
 * Closes its sources with the context.
 *
 * @param <S> the question's interface
 */
public final class ClusterRoute<S> implements AutoCloseable {

	private final Function<Cluster, S> pick;

	private final boolean fallback;

	private final Collection<S> sources;

	private ClusterRoute(Function<Cluster, S> pick, boolean fallback, Collection<S> sources) {
		this.pick = pick;
		this.fallback = fallback;
		this.sources = List.copyOf(sources);
	}

	/**
	 * One source for the clusters a predicate picks (the demo: {@code Cluster::isDemo}).
	 */
	public static <S> ClusterRoute<S> when(Predicate<Cluster> isFor, S source) {
		return new ClusterRoute<>((cluster) -> isFor.test(cluster) ? source : null, false, List.of(source));
	}

	/** A source of its own for each cluster named. */
	public static <S> ClusterRoute<S> byName(Map<String, S> sources) {
		Map<String, S> copy = Map.copyOf(sources);
		return new ClusterRoute<>((cluster) -> copy.get(cluster.name()), false, copy.values());
	}

	/** The source for every cluster no other route is for. */
	public static <S> ClusterRoute<S> otherwise(S source) {
		return new ClusterRoute<>((cluster) -> source, true, List.of(source));
	}

	/** The source of the first route for the cluster, routes for any cluster last. */
	public static <S> Optional<S> find(List<ClusterRoute<S>> routes, Cluster cluster) {
		List<ClusterRoute<S>> ordered = new ArrayList<>(routes);
		ordered.sort((a, b) -> Boolean.compare(a.fallback, b.fallback));
		for (ClusterRoute<S> route : ordered) {
			S source = route.pick.apply(cluster);
			if (source != null) {
				return Optional.of(source);
			}
		}
		return Optional.empty();
	}

	@Override
	public void close() throws Exception {
		for (S source : this.sources) {
			if (source instanceof AutoCloseable closeable) {
				closeable.close();
			}
		}
	}

}
