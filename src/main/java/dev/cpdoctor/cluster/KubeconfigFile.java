package dev.cpdoctor.cluster;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the current context of a kubeconfig file. Only the file: no credential plugin
 * runs and no network call is made, so start-up never waits on a cluster.
 */
public final class KubeconfigFile {

	private static final Logger log = LoggerFactory.getLogger(KubeconfigFile.class);

	/** The current context and the server URL of its cluster entry (null when absent). */
	public record CurrentContext(String context, String server) {
	}

	private KubeconfigFile() {
	}

	/** Every file of $KUBECONFIG (merged like kubectl does), else ~/.kube/config. */
	public static List<Path> defaultPaths() {
		String env = System.getenv("KUBECONFIG");
		if (env != null && !env.isBlank()) {
			return Arrays.stream(env.split(File.pathSeparator)).filter((p) -> !p.isBlank()).map(Path::of).toList();
		}
		return List.of(Path.of(System.getProperty("user.home"), ".kube", "config"));
	}

	public static Optional<CurrentContext> readCurrentContext(Path file) {
		return (file != null) ? readCurrentContext(List.of(file)) : Optional.empty();
	}

	/**
	 * The current context over several kubeconfig files merged as kubectl merges them:
	 * the first file that sets current-context wins, and so does the first file that
	 * defines a context or cluster of a given name. Missing or unreadable files are
	 * skipped.
	 */
	public static Optional<CurrentContext> readCurrentContext(List<Path> files) {
		String context = null;
		List<Object> contexts = new ArrayList<>();
		List<Object> clusters = new ArrayList<>();
		for (Path file : files) {
			Map<?, ?> root = load(file);
			if (root == null) {
				continue;
			}
			if (context == null && root.get("current-context") instanceof String current && !current.isBlank()) {
				context = current;
			}
			if (root.get("contexts") instanceof List<?> list) {
				contexts.addAll(list);
			}
			if (root.get("clusters") instanceof List<?> list) {
				clusters.addAll(list);
			}
		}
		if (context == null) {
			return Optional.empty();
		}
		String clusterName = namedEntry(contexts, context).map((c) -> c.get("cluster"))
			.filter(String.class::isInstance)
			.map(String.class::cast)
			.orElse(null);
		String server = (clusterName != null) ? namedEntry(clusters, clusterName).map((c) -> c.get("server"))
			.filter(String.class::isInstance)
			.map(String.class::cast)
			.orElse(null) : null;
		return Optional.of(new CurrentContext(context, server));
	}

	private static Map<?, ?> load(Path file) {
		if (file == null || !Files.isRegularFile(file)) {
			return null;
		}
		try (Reader reader = Files.newBufferedReader(file)) {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			return (loaded instanceof Map<?, ?> root) ? root : null;
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Ignoring kubeconfig {}: {}", file, ex.getMessage());
			return null;
		}
	}

	/**
	 * kubeconfig lists look like [{name: x, context|cluster: {...}}]; returns the inner
	 * map.
	 */
	private static Optional<Map<?, ?>> namedEntry(Object list, String name) {
		if (!(list instanceof List<?> entries)) {
			return Optional.empty();
		}
		for (Object entry : entries) {
			if (entry instanceof Map<?, ?> map && name.equals(map.get("name"))) {
				Object inner = map.get("context");
				if (inner == null) {
					inner = map.get("cluster");
				}
				if (inner instanceof Map<?, ?> innerMap) {
					return Optional.of(innerMap);
				}
			}
		}
		return Optional.empty();
	}

}
