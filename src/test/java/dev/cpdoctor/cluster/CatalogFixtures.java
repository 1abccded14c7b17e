package dev.cpdoctor.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import dev.cpdoctor.cluster.ClusterProperties.ClusterEntry;
import dev.cpdoctor.cluster.ClusterProperties.Demo;
import dev.cpdoctor.cluster.ClusterProperties.Kubeconfig;

/**
 * What the {@link ClusterCatalog} tests build a catalog from: cluster properties, as
 * given or bound from property values, and kubeconfig files in a test's directory.
 */
final class CatalogFixtures {

	static final String AKS_SERVER = "https://x.hcp.westeurope.azmk8s.io:443";

	static final String EKS_ARN = "arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu";

	private CatalogFixtures() {
	}

	/** A kubeconfig path in the directory with no file behind it. */
	static Path missing(Path dir) {
		return dir.resolve("no-such-kubeconfig");
	}

	/**
	 * A kubeconfig file in the directory whose current context points at the server (and
	 * an unrelated context beside it).
	 */
	static Path kubeconfig(Path dir, String currentContext, String server) throws IOException {
		String yaml = """
				apiVersion: v1
				kind: Config
				current-context: "%1$s"
				contexts:
				- name: unrelated
				  context:
				    cluster: unrelated
				    user: someone
				- name: "%1$s"
				  context:
				    cluster: the-cluster
				    user: admin
				clusters:
				- name: unrelated
				  cluster:
				    server: https://10.0.0.1:6443
				- name: the-cluster
				  cluster:
				    server: %2$s
				users:
				- name: admin
				  user:
				    token: not-a-real-token
				""".formatted(currentContext, server);
		Path file = Files.createTempFile(dir, "kubeconfig", ".yaml");
		Files.writeString(file, yaml);
		return file;
	}

	static ClusterProperties properties(List<ClusterEntry> clusters, boolean demo, boolean offerCurrentContext,
			Path kubeconfig) {
		return new ClusterProperties(clusters, new Demo(demo, 1), new Kubeconfig(offerCurrentContext, kubeconfig));
	}

	static ClusterEntry entry(String name, Provider provider) {
		return new ClusterEntry(name, provider, null, false, null, null, null, null, null);
	}

	static ClusterProperties bind(Map<String, String> values) {
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("cpdoctor",
				Bindable.of(ClusterProperties.class));
	}

	static List<String> names(ClusterCatalog catalog) {
		return catalog.all().stream().map(Cluster::name).toList();
	}

}
