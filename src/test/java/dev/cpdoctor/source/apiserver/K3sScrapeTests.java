package dev.cpdoctor.source.apiserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.cluster.KubeconfigFile;
import dev.cpdoctor.source.ScrapeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real apiserver (k3s in a container, embedded etcd) scraped through the real client.
 * Skips where no docker engine runs (as on this project's CI machines); the WireMock
 * tests cover the same path with recorded scrapes everywhere.
 */
class K3sScrapeTests {

	@TempDir
	Path dir;

	@Test
	void scrapesARealK3sApiserver() throws Exception {
		Assumptions.assumeTrue(dockerAvailable(),
				"no docker engine: skipping the k3s test (WireMock tests cover the scrape)");
		try (K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.30.6-k3s1"))
			.withCommand("server", "--cluster-init", "--disable=traefik")) {
			k3s.start();
			Path kubeconfig = Files.writeString(this.dir.resolve("kubeconfig"), k3s.getKubeConfigYaml());
			String context = KubeconfigFile.readCurrentContext(kubeconfig).orElseThrow().context();
			Cluster cluster = new Cluster("k3s", Provider.SELF_MANAGED, KubeAccess.context(context, null), null,
					"test");
			KubernetesMetricsScraper scraper = ApiserverSources.scraper(List.of(kubeconfig),
					new ApiserverProperties(true, Duration.ofSeconds(60), Duration.ofSeconds(20),
							Duration.ofMinutes(10), Duration.ofSeconds(5), false, Duration.ofMinutes(5),
							DataSize.ofMegabytes(256)),
					"control-plane-doctor/test", Clock.systemUTC());
			ScrapeResult result = scraper.scrape(cluster);
			assertThat(result.ok()).as(String.valueOf(result.error())).isTrue();
			assertThat(result.gitVersion()).startsWith("v1.30.6");
			assertThat(result.snapshot().objects()).isNotEmpty();
			assertThat(result.snapshot().report().malformed()).isEmpty();
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
