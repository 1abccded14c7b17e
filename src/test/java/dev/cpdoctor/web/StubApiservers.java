package dev.cpdoctor.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.cpdoctor.Fixtures;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * Stand-in apiservers for whole-app tests of the guide: one WireMock server, one path
 * prefix per cluster (its stubs a {@link StubApiserver}, serving {@link KubeModels}),
 * /metrics the recorded v1.30 scrape of ../shared (optionally with one object count
 * rewritten), and the kubeconfig pointing at it.
 */
final class StubApiservers implements AutoCloseable {

	static final String TOKEN = "guide-token-4c1e";

	/** A LIST in the journal: a GET of a collection the guide reads. */
	private static final Pattern LIST = Pattern.compile(
			".*/(validatingwebhookconfigurations|mutatingwebhookconfigurations|endpointslices|events|flowschemas)");

	private final WireMockServer server;

	StubApiservers() {
		this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
		this.server.start();
	}

	/**
	 * A kubeconfig with one cluster and context per name, each at its own path prefix,
	 * one token user.
	 */
	Path kubeconfig(Path dir, List<String> clusters) throws IOException {
		StringBuilder kubeconfig = new StringBuilder("apiVersion: v1\nkind: Config\nclusters:\n");
		clusters.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  cluster:\n    server: http://127.0.0.1:")
			.append(this.server.port())
			.append('/')
			.append(c)
			.append('\n'));
		kubeconfig.append("contexts:\n");
		clusters.forEach((c) -> kubeconfig.append("- name: ")
			.append(c)
			.append("\n  context:\n    cluster: ")
			.append(c)
			.append("\n    user: doctor\n"));
		kubeconfig.append("current-context: ").append(clusters.get(0)).append('\n');
		kubeconfig.append("users:\n- name: doctor\n  user:\n    token: ").append(TOKEN).append('\n');
		return Files.writeString(dir.resolve("kubeconfig"), kubeconfig);
	}

	/** The stubs of one cluster's apiserver, at path prefix /name. */
	StubApiserver cluster(String name) {
		return new StubApiserver(this.server, name);
	}

	/** Every LIST the app sent to one cluster's apiserver. */
	List<LoggedRequest> lists(String cluster) {
		return this.server.findAll(anyRequestedFor(urlPathMatching("/" + cluster + "/.*")))
			.stream()
			.filter((r) -> r.getMethod().getName().equals("GET") && LIST.matcher(r.getUrl().split("\\?")[0]).matches())
			.toList();
	}

	/** Every request the app sent to the stand-in apiservers. */
	List<LoggedRequest> requests() {
		return this.server.findAll(anyRequestedFor(urlPathMatching("/.*")));
	}

	@Override
	public void close() {
		this.server.stop();
	}

	/** The recorded v1.30 /metrics scrape, as served. */
	static String metrics() {
		try {
			return Files.readString(Fixtures.path("apiserver-metrics/apiserver-v1.30.prom"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The recorded scrape with one resource's apiserver_storage_objects set to count (a
	 * line added after the family's TYPE line when the resource is not in the recording,
	 * as a CRD adds one).
	 */
	static String metricsWithObjects(String resource, long count) {
		String scrape = metrics();
		String series = "apiserver_storage_objects{resource=\"" + resource + "\"}";
		String line = series + " " + count;
		if (scrape.contains(series + " ")) {
			return scrape.replaceAll(Pattern.quote(series) + " [^\\n]+", line);
		}
		String type = "# TYPE apiserver_storage_objects gauge\n";
		if (!scrape.contains(type)) {
			throw new IllegalStateException("the recording has no apiserver_storage_objects family");
		}
		return scrape.replace(type, type + line + "\n");
	}

}
