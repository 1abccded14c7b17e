package dev.cpdoctor.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the current context of a kubeconfig file. Only the file: no credential plugin runs and no
 * network call is made, so start-up never waits on a cluster.
 */
public final class KubeconfigFile {

	private static final Logger log = LoggerFactory.getLogger(KubeconfigFile.class);

	/** The current context and the server URL of its cluster entry (null when absent). */
	public record CurrentContext(String context, String server) {
	}

	private KubeconfigFile() {
	}

	/** $KUBECONFIG's first entry, else ~/.kube/config. */
	public static Path defaultPath() {
		String env = System.getenv("KUBECONFIG");
		if (env != null && !env.isBlank()) {
			return Path.of(env.split(java.io.File.pathSeparator)[0]);
		}
		return Path.of(System.getProperty("user.home"), ".kube", "config");
	}

	public static Optional<CurrentContext> readCurrentContext(Path file) {
		if (file == null || !Files.isRegularFile(file)) {
			return Optional.empty();
		}
		try (Reader reader = Files.newBufferedReader(file)) {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			if (!(loaded instanceof Map<?, ?> root) || !(root.get("current-context") instanceof String context)
					|| context.isBlank()) {
				return Optional.empty();
			}
			String clusterName = namedEntry(root.get("contexts"), context).map((c) -> c.get("cluster"))
				.filter(String.class::isInstance)
				.map(String.class::cast)
				.orElse(null);
			String server = (clusterName != null) ? namedEntry(root.get("clusters"), clusterName)
				.map((c) -> c.get("server"))
				.filter(String.class::isInstance)
				.map(String.class::cast)
				.orElse(null) : null;
			return Optional.of(new CurrentContext(context, server));
		}
		catch (IOException | RuntimeException ex) {
			log.warn("Ignoring kubeconfig {}: {}", file, ex.getMessage());
			return Optional.empty();
		}
	}

	/** kubeconfig lists look like [{name: x, context|cluster: {...}}]; returns the inner map. */
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
