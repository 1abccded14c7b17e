package dev.cpdoctor.source.apiserver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.TestApp;
import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.SourcesConfiguration;
import dev.cpdoctor.web.Formats;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application scraping a configured cluster: one scrape per interval however
 * many people look, the sample stored and shown, health from the last scrape.
 */
class ApiserverSamplerTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	@BeforeEach
	void serveMetrics() throws Exception {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain; version=0.0.4")
			.withBody(Files.readAllBytes(Fixtures.path("apiserver-metrics/apiserver-v1.34.prom")))));
	}

	/**
	 * Its own application: the scrapes are counted from start-up (the first one
	 * initial-delay after it, the next an interval later), of a stand-in apiserver that
	 * lives for this test only.
	 */
	@Test
	void oneScrapePerIntervalHoweverManyPeopleLook() throws Exception {
		Path kubeconfig = this.apiserver.kubeconfig();
		Map<String, Object> properties = Map.of("cpdoctor.data-dir", this.dir.resolve("data").toString(),
				"cpdoctor.kubeconfig.path", kubeconfig.toString(), "cpdoctor.clusters[0].name", "lab",
				"cpdoctor.clusters[0].context", "lab-admin", "cpdoctor.apiserver.initial-delay", "100ms",
				"cpdoctor.apiserver.scrape-interval", "5s");
		try (TestApp app = TestApp.start(properties)) {
			EtcdHistory history = app.bean(EtcdHistory.class);
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (history.count("lab") == 0 && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			assertThat(history.count("lab")).as("the first scrape was stored").isEqualTo(1);
			long size = history.latestAtOrBefore("lab", Instant.now()).orElseThrow().dbSizeBytes();
			long looking = System.nanoTime();
			for (int i = 0; i < 5; i++) {
				assertThat(app.get("/etcd?cluster=lab").body()).contains(new Formats().bytes(size));
				assertThat(app.get("/?cluster=lab").statusCode()).isEqualTo(200);
			}
			String health = app.get("/actuator/health", "Accept", "application/json").body();
			assertThat(health).contains("\"apiserver-metrics\"").contains("\"version\":\"v1.30.0\"");
			assertThat(Duration.ofNanos(System.nanoTime() - looking)).as("the looking took less than an interval")
				.isLessThan(Duration.ofSeconds(4));
			this.apiserver.verify(1, getRequestedFor(urlEqualTo("/metrics")));
			// The next scrape comes, and no sooner than the interval.
			deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (history.count("lab") < 2 && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			assertThat(history.count("lab")).isEqualTo(2);
			var scrapes = this.apiserver.findAll(getRequestedFor(urlEqualTo("/metrics")));
			assertThat(scrapes).hasSize(2);
			long apartMs = scrapes.get(1).getLoggedDate().getTime() - scrapes.get(0).getLoggedDate().getTime();
			assertThat(apartMs).isGreaterThanOrEqualTo(4_900);
		}
	}

	/**
	 * Its own application: the picker is a page over HTTP, and "not scraped" is the
	 * scheduler of a started application calling nothing. That asked, it is scraped: the
	 * sampler's choice, which its wiring shows without a server.
	 */
	@Test
	void theKubeconfigsCurrentContextIsOfferedButNotScrapedUnasked() throws Exception {
		Path kubeconfig = this.apiserver.kubeconfig();
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dir.resolve("data").toString(),
				"cpdoctor.kubeconfig.path", kubeconfig.toString(), "cpdoctor.kubeconfig.offer-current-context", "true",
				"cpdoctor.apiserver.initial-delay", "100ms"))) {
			assertThat(app.get("/?cluster=lab-admin").statusCode()).as("offered in the picker").isEqualTo(200);
			assertThat(app.bean(ApiserverSampler.class).scrapedClusters()).isEmpty();
			Thread.sleep(1_000);
			this.apiserver.verify(0, getRequestedFor(urlEqualTo("/metrics")));
		}
		WiringRunners.stores()
			.withUserConfiguration(ApiserverConfiguration.class, SourcesConfiguration.class)
			.withPropertyValues("cpdoctor.kubeconfig.path=" + kubeconfig,
					"cpdoctor.kubeconfig.offer-current-context=true",
					"cpdoctor.apiserver.scrape-discovered-context=true", "cpdoctor.apiserver.initial-delay=1h")
			.run((context) -> assertThat(context.getBean(ApiserverSampler.class).scrapedClusters()).extracting("name")
				.containsExactly("lab-admin"));
	}

	/**
	 * Its own application: the one failed scrape after start-up, of a stand-in apiserver
	 * that lives for this test only, is what health and the backoff show.
	 */
	@Test
	void aFailingApiserverIsBackedOffAndShownDownInHealth() throws Exception {
		this.apiserver.stubFor(get(urlEqualTo("/metrics"))
			.willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600").withBody("too many requests")));
		Path kubeconfig = this.apiserver.kubeconfig();
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dir.resolve("data").toString(),
				"cpdoctor.kubeconfig.path", kubeconfig.toString(), "cpdoctor.clusters[0].name", "lab",
				"cpdoctor.clusters[0].context", "lab-admin", "cpdoctor.apiserver.initial-delay", "100ms",
				"cpdoctor.apiserver.scrape-interval", "5s"))) {
			ApiserverSampler scheduler = app.bean(ApiserverSampler.class);
			var lab = app.bean(ClusterCatalog.class).find("lab").orElseThrow();
			long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
			while (scheduler.status(lab).map(ScrapeStatus::lastAttempt).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			ScrapeStatus status = scheduler.status(lab).orElseThrow();
			assertThat(status.consecutiveFailures()).isEqualTo(1);
			assertThat(status.nextIn()).as("Retry-After (1 h) wins over the 10 s backoff, capped at max-backoff")
				.isEqualTo(Duration.ofMinutes(10));
			String health = app.get("/actuator/health", "Accept", "application/json").body();
			assertThat(health).contains("HTTP 429").contains("\"DOWN\"");
			assertThat(app.get("/etcd?cluster=lab").statusCode()).isEqualTo(200);
			this.apiserver.verify(1, getRequestedFor(urlEqualTo("/metrics")));
		}
	}

	@Test
	void backoffDoublesUpToTheMaximumAndHonoursRetryAfter() {
		Duration interval = Duration.ofSeconds(60);
		Duration max = Duration.ofMinutes(10);
		assertThat(ApiserverSampler.nextDelay(interval, max, 0, null)).isEqualTo(interval);
		assertThat(ApiserverSampler.nextDelay(interval, max, 1, null)).isEqualTo(Duration.ofSeconds(120));
		assertThat(ApiserverSampler.nextDelay(interval, max, 3, null)).isEqualTo(Duration.ofSeconds(480));
		assertThat(ApiserverSampler.nextDelay(interval, max, 4, null)).isEqualTo(max);
		assertThat(ApiserverSampler.nextDelay(interval, max, 40, null)).isEqualTo(max);
		assertThat(ApiserverSampler.nextDelay(interval, max, 1, Duration.ofMinutes(5)))
			.isEqualTo(Duration.ofMinutes(5));
		assertThat(ApiserverSampler.nextDelay(interval, max, 1, Duration.ofDays(365))).as("capped").isEqualTo(max);
		assertThat(ApiserverSampler.nextDelay(interval, max, 0, Duration.ofSeconds(5))).isEqualTo(interval);
	}

}
