package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real cluster whose sources are not there yet: every panel fails as a value saying
 * why, the pages still render, and nothing calls the (unreachable) apiserver.
 */
class UnconfiguredSourcesTests {

	@TempDir
	Path dataDir;

	/**
	 * An application of its own: a configured cluster is the one a bare URL opens, where
	 * the shared application opens the demo.
	 */
	@Test
	void pagesRenderWithAnErrorPerPanel() throws Exception {
		try (TestApp app = TestApp
			.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "cpdoctor.clusters[0].name", "lab",
					"cpdoctor.clusters[0].provider", "self-managed", "cpdoctor.clusters[0].context", "lab-admin"))) {
			HttpResponse<String> overview = app.get("/");
			assertThat(overview.statusCode()).isEqualTo(200);
			assertThat(overview.body()).doesNotContain("id=\"demo-banner\"")
				.contains("No etcd sample of cluster &#39;lab&#39;")
				.contains("No audit source is configured for cluster &#39;lab&#39;")
				.contains("self-managed");
			assertThat(app.get("/etcd?cluster=lab").body()).contains("class=\"error\"");
			assertThat(app.get("/audit?cluster=lab&last=6h").body()).contains("No audit source is configured");
			// Webhooks are read from the apiserver on demand: here no kubeconfig defines
			// the context.
			HttpResponse<String> troubleshoot = app.get("/troubleshoot?cluster=lab");
			assertThat(troubleshoot.statusCode()).isEqualTo(200);
			assertThat(troubleshoot.body()).contains("class=\"error\"")
				.contains("cannot set up a client for kubeconfig context lab-admin");
			String health = app.get("/actuator/health", "Accept", "application/json").body();
			assertThat(health).contains("\"lab\"").contains("\"apiserver-metrics\"").contains("UNKNOWN");
			HttpResponse<String> api = app.get("/api/v1/clusters/lab/audit/top-user-agents", "Accept",
					"application/json");
			assertThat(api.statusCode()).isEqualTo(502);
			assertThat(api.body()).contains("No audit source is configured for cluster 'lab'");
			// The demo is still offered next to it.
			assertThat(app.get("/?cluster=demo").body()).contains("id=\"demo-banner\"");
		}
	}

}
