package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.ScrapeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Kubernetes client against a local server speaking the apiserver's wire format.
 */
public class KubernetesMetricsScraperTests {

	/** /version of an apiserver v1.30 (kept here for the web and config tests). */
	public static final String VERSION_JSON = ApiserverStandIn.VERSION_JSON;

	@TempDir
	Path dir;

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	/**
	 * A kubeconfig for an apiserver on a port of 127.0.0.1 (kept here for the web and
	 * config tests): see {@link ApiserverStandIn#kubeconfig(Path, int)}.
	 */
	public static Path kubeconfig(Path dir, int port) throws IOException {
		return ApiserverStandIn.kubeconfig(dir, port);
	}

	@Test
	void scrapesTheRealFixtureWithTokenAndOwnUserAgent() throws IOException {
		Path fixture = Fixtures.path("apiserver-metrics/apiserver-v1.30.prom");
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
			.withBody(Files.readAllBytes(fixture))));

		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);

		assertThat(result.ok()).as(String.valueOf(result.error())).isTrue();
		assertThat(result.gitVersion()).isEqualTo("v1.30.0");
		long expectedSize = Files.readAllLines(fixture)
			.stream()
			.filter((l) -> l.startsWith("apiserver_storage_size_bytes{"))
			.mapToLong((l) -> Math.round(Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))))
			.max()
			.orElseThrow();
		assertThat(result.snapshot().dbSizeBytes()).isEqualTo(expectedSize);
		assertThat(result.snapshot().report().bytes()).isEqualTo(Files.size(fixture));
		this.apiserver.verify(1,
				getRequestedFor(urlEqualTo("/metrics"))
					.withHeader("Authorization", equalTo("Bearer " + ApiserverStandIn.TOKEN))
					.withHeader("User-Agent", matching("control-plane-doctor/test.*")));
	}

	@Test
	void serverErrorsAreValuesWithTheirRetryAfter() {
		this.apiserver.stubFor(get(urlEqualTo("/metrics"))
			.willReturn(aResponse().withStatus(503).withHeader("Retry-After", "120").withBody("etcd is overloaded")));
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);
		assertThat(result.ok()).isFalse();
		assertThat(result.httpStatus()).isEqualTo(503);
		assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(120));
		assertThat(result.error()).contains("HTTP 503").contains("backing off");
	}

	@Test
	void retryAfterInBothForms() {
		Instant now = Instant.parse("2026-11-22T10:00:00Z");
		assertThat(KubernetesMetricsScraper.retryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
		assertThat(KubernetesMetricsScraper.retryAfter("Sun, 22 Nov 2026 10:05:00 GMT", now))
			.isEqualTo(Duration.ofMinutes(5));
		assertThat(KubernetesMetricsScraper.retryAfter("Sun, 22 Nov 2026 09:00:00 GMT", now)).isEqualTo(Duration.ZERO);
		assertThat(KubernetesMetricsScraper.retryAfter("soon", now)).isNull();
		assertThat(KubernetesMetricsScraper.retryAfter("-5", now)).isNull();
		assertThat(KubernetesMetricsScraper.retryAfter(null, now)).isNull();
	}

	@Test
	void missingRbacIsExplained() {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(403)
			.withBody("{\"kind\":\"Status\",\"message\":\"forbidden: User cannot get path /metrics\"}")));
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);
		assertThat(result.error()).contains("HTTP 403").contains("nonResourceURL /metrics");
	}

	@Test
	void aSlowApiserverIsNotWaitedOnPastTheTimeout() {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(
				aResponse().withStatus(200).withFixedDelay(3_000).withBody("apiserver_storage_size_bytes 1\n")));
		long started = System.nanoTime();
		ScrapeResult result = scraper(Duration.ofMillis(700)).scrape(this.lab);
		assertThat(result.ok()).isFalse();
		assertThat(result.error()).contains("timed out").contains("PT0.7S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_900));
	}

	@Test
	void aLoginPageInsteadOfMetricsIsRefused() {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<html><body><form>Sign in to continue</form></body></html>")));
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);
		assertThat(result.ok()).isFalse();
		assertThat(result.error()).contains("a proxy or login page");
	}

	@Test
	void anExpiredTokenRebuildsTheClientAndRetriesOnceAtOnce() throws IOException {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).inScenario("token")
			.whenScenarioStateIs(Scenario.STARTED)
			.willReturn(aResponse().withStatus(401).withBody("Unauthorized"))
			.willSetStateTo("renewed"));
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).inScenario("token")
			.whenScenarioStateIs("renewed")
			.willReturn(aResponse().withStatus(200)
				.withBody(Files.readAllBytes(Fixtures.path("apiserver-metrics/apiserver-v1.27.prom")))));
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);
		assertThat(result.ok()).as(String.valueOf(result.error())).isTrue();
		this.apiserver.verify(2, getRequestedFor(urlEqualTo("/metrics")));
		this.apiserver.verify(2, getRequestedFor(urlPathMatching("/version/?")));
	}

	@Test
	void aTextAnswerWithoutEtcdFamiliesIsAFailureNotAnEmptySuccess() {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/plain")
			.withBody("Error from server (Forbidden): something in between\n")));
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(this.lab);
		assertThat(result.ok()).isFalse();
		assertThat(result.error()).contains("without any etcd size or object count family");
	}

	@Test
	void aHangingCredentialPluginIsCutOffAndReported() throws IOException {
		Files.writeString(this.apiserver.kubeconfig(), """
				apiVersion: v1
				kind: Config
				clusters:
				- name: lab
				  cluster:
				    server: http://127.0.0.1:%d
				contexts:
				- name: lab-admin
				  context:
				    cluster: lab
				    user: sso
				current-context: lab-admin
				users:
				- name: sso
				  user:
				    exec:
				      apiVersion: client.authentication.k8s.io/v1beta1
				      command: /bin/sleep
				      args: ["30"]
				""".formatted(this.apiserver.getPort()));
		long started = System.nanoTime();
		ScrapeResult result = scraper(Duration.ofMillis(500)).scrape(this.lab);
		assertThat(result.ok()).isFalse();
		assertThat(result.error()).contains("setting up credentials took longer than PT1.5S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		this.apiserver.verify(0, getRequestedFor(urlEqualTo("/metrics")));
	}

	@Test
	void anUnknownContextIsAValueNotAnException() {
		Cluster other = new Cluster("other", Provider.SELF_MANAGED, KubeAccess.context("nowhere", null), null,
				"configuration");
		ScrapeResult result = scraper(Duration.ofSeconds(5)).scrape(other);
		assertThat(result.ok()).isFalse();
		assertThat(result.error()).contains("No kubeconfig file defines context 'nowhere'");
		this.apiserver.verify(0, getRequestedFor(urlEqualTo("/metrics")));
	}

	private KubernetesMetricsScraper scraper(Duration timeout) {
		return ApiserverSources.scraper(List.of(this.dir.resolve("missing"), this.apiserver.kubeconfig()),
				ApiserverStandIn.properties(timeout), ApiserverStandIn.USER_AGENT, Clock.systemUTC());
	}

}
