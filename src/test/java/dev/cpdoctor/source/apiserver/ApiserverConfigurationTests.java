package dev.cpdoctor.source.apiserver;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.MetricsUpload;
import dev.cpdoctor.source.SourcesConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The apiserver as the application wires it: the source of every cluster no other source
 * answers for, scraping only the configured clusters with access, and the upload limit of
 * cpdoctor.apiserver. Start-up calls no apiserver.
 */
class ApiserverConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return WiringRunners.stores()
			.withUserConfiguration(ApiserverConfiguration.class, SourcesConfiguration.class)
			.withPropertyValues("cpdoctor.demo.enabled=false", "cpdoctor.apiserver.initial-delay=1h",
					"cpdoctor.kubeconfig.path=" + this.dir.resolve("no-kubeconfig"), "cpdoctor.clusters[0].name=lab",
					"cpdoctor.clusters[0].context=lab-admin", "cpdoctor.clusters[1].name=bare");
	}

	@Test
	void theApiserverAnswersForEveryClusterWithoutASourceOfItsOwn() {
		runner().run((context) -> {
			ClusterCatalog catalog = context.getBean(ClusterCatalog.class);
			ClusterSources sources = context.getBean(ClusterSources.class);
			assertThat(sources.webhooks(catalog.find("lab").orElseThrow()).error())
				.contains("cannot set up a client for kubeconfig context lab-admin");
			assertThat(context.getBean(ApiserverSampler.class).scrapedClusters()).extracting(Cluster::name)
				.containsExactly("lab");
		});
	}

	@Test
	void uploadsAreBoundedByTheConfiguredLimit() {
		runner().withPropertyValues("cpdoctor.apiserver.max-upload=1KB").run((context) -> {
			byte[] body = "apiserver_storage_size_bytes{cluster=\"a\"} 1e9\n".repeat(100)
				.getBytes(StandardCharsets.UTF_8);
			MetricsUpload.Upload upload = context.getBean(MetricsUpload.class)
				.upload("lab", null, new ByteArrayInputStream(body));
			assertThat(upload).isInstanceOfSatisfying(MetricsUpload.Upload.Refused.class, (refused) -> {
				assertThat(refused.refusal()).isEqualTo(MetricsUpload.Refusal.TOO_LARGE);
				assertThat(refused.message()).contains("larger than 1024B");
			});
		});
	}

}
