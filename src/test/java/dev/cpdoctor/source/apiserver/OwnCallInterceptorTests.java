package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.CallOutcome;
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.analysis.network.ProbeTextTests;
import dev.cpdoctor.source.ScrapeResult;
import dev.cpdoctor.source.SourceResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every call of every apiserver source is recorded, by the real client against a WireMock
 * apiserver.
 */
class OwnCallInterceptorTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final List<OwnCall> recorded = new CopyOnWriteArrayList<>();

	private ApiserverSources sources(Duration timeout) {
		return this.apiserver.sources(timeout, this.apiserver.kubeconfig(), this.recorded::add);
	}

	private OwnCall only(String kind) {
		List<OwnCall> of = this.recorded.stream().filter((c) -> c.kind().equals(kind)).toList();
		assertThat(of).as("calls of kind %s in %s", kind, this.recorded).hasSize(1);
		return of.get(0);
	}

	@Test
	void everySourceIsRecordedWithAShortKindAndItsStatus() throws IOException {
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withBody(Files.readAllBytes(Fixtures.path("apiserver-metrics/apiserver-v1.30.prom")))));
		this.apiserver.stubFor(get(urlPathEqualTo("/readyz"))
			.willReturn(aResponse().withStatus(200).withBody(ProbeTextTests.READYZ_PASSED)));
		this.apiserver.stubFor(get(urlPathEqualTo("/livez")).willReturn(aResponse().withStatus(503).withBody("no")));
		this.apiserver
			.stubFor(get(urlPathEqualTo("/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations"))
				.willReturn(aResponse().withStatus(403).withBody("{}")));
		this.apiserver
			.stubFor(get(urlPathEqualTo("/apis/flowcontrol.apiserver.k8s.io")).willReturn(aResponse().withStatus(404)));
		ApiserverSources sources = sources(Duration.ofSeconds(5));

		ScrapeResult scrape = sources.scraper().scrape(ApiserverStandIn.LAB);
		sources.probes((cluster) -> true).probes(ApiserverStandIn.LAB);
		sources.webhooks((cluster) -> true).webhooks(ApiserverStandIn.LAB);
		sources.flowcontrolVersions((cluster) -> true).served(ApiserverStandIn.LAB);

		assertThat(scrape.ok()).as(String.valueOf(scrape.error())).isTrue();
		assertThat(this.recorded).extracting(OwnCall::kind)
			.containsExactly("version", "metrics", "readyz", "livez", "list validatingwebhookconfigurations",
					"discovery flowcontrol.apiserver.k8s.io");
		assertThat(this.recorded).allSatisfy((call) -> {
			assertThat(call.cluster()).isEqualTo("lab");
			assertThat(call.outcome()).isEqualTo(CallOutcome.ANSWERED);
			assertThat(call.took()).isPositive();
		});
		assertThat(only("metrics").httpStatus()).isEqualTo(200);
		assertThat(only("livez").httpStatus()).isEqualTo(503);
		assertThat(only("list validatingwebhookconfigurations").httpStatus()).isEqualTo(403);
		assertThat(only("discovery flowcontrol.apiserver.k8s.io").httpStatus()).isEqualTo(404);
	}

	@Test
	void aCallLongerThanTheTimeoutIsATimeoutThatTookTheTimeout() {
		this.apiserver.stubFor(get(urlPathEqualTo("/readyz"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody(ProbeTextTests.READYZ_PASSED)));
		this.apiserver.stubFor(get(urlPathEqualTo("/livez"))
			.willReturn(aResponse().withStatus(200).withBody(ProbeTextTests.LIVEZ_PASSED)));
		warmUp();

		var probes = sources(Duration.ofMillis(500)).probes((cluster) -> true).probes(ApiserverStandIn.LAB);

		assertThat(probes.readyz().outcome()).as("the probe itself still sees its timeout: %s", probes.readyz())
			.isEqualTo(Outcome.TIMEOUT);
		OwnCall readyz = only("readyz");
		assertThat(readyz.outcome()).isEqualTo(CallOutcome.TIMEOUT);
		assertThat(readyz.httpStatus()).isNull();
		assertThat(readyz.took()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
		assertThat(readyz.detail()).isNotBlank();
		assertThat(only("livez").outcome()).isEqualTo(CallOutcome.ANSWERED);
	}

	/**
	 * The client is built (classes loaded, /version asked) once with a generous timeout,
	 * so that a test's short timeout bounds its call and not the first build of a client
	 * on a busy machine.
	 */
	private void warmUp() {
		this.apiserver.sources(Duration.ofSeconds(10))
			.flowcontrolVersions((cluster) -> true)
			.served(ApiserverStandIn.LAB);
	}

	@Test
	void aMetricsBodyCutOffByTheWholeCallTimeoutIsATimeoutWithItsStatus() {
		// Each chunk within the 1 s read timeout, all 16 (9.6 s) past the whole-call
		// timeout of 6 s.
		this.apiserver.stubFor(get(urlEqualTo("/metrics")).willReturn(aResponse().withStatus(200)
			.withBody("apiserver_storage_size_bytes{storage_cluster_id=\"x\"} 1\n".repeat(200))
			.withChunkedDribbleDelay(16, 9_600)));
		warmUp();

		ScrapeResult scrape = sources(Duration.ofSeconds(1)).scraper().scrape(ApiserverStandIn.LAB);

		assertThat(scrape.ok()).isFalse();
		OwnCall metrics = only("metrics");
		assertThat(metrics.httpStatus()).as(metrics.toString()).isEqualTo(200);
		assertThat(metrics.outcome()).isEqualTo(CallOutcome.TIMEOUT);
		assertThat(metrics.httpStatus()).isEqualTo(200);
		assertThat(metrics.detail()).startsWith("after HTTP 200: ");
	}

	@Test
	void aClosedPortIsARefusedConnection() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		Path other = Files.createDirectories(this.dir.resolve("closed"));
		Path config = ApiserverStandIn.kubeconfig(other, closed);

		this.apiserver.sources(Duration.ofSeconds(2), config, this.recorded::add)
			.probes((cluster) -> true)
			.probes(ApiserverStandIn.LAB);

		assertThat(this.recorded).extracting(OwnCall::kind).containsExactly("version", "readyz", "livez");
		assertThat(this.recorded).allSatisfy((call) -> {
			assertThat(call.outcome()).isEqualTo(CallOutcome.REFUSED);
			assertThat(call.detail()).containsIgnoringCase("refused");
		});
	}

	@Test
	void aRecorderThatThrowsDoesNotFailTheCall() {
		this.apiserver
			.stubFor(get(urlPathEqualTo("/apis/flowcontrol.apiserver.k8s.io")).willReturn(aResponse().withStatus(404)));
		SourceResult<List<String>> served = this.apiserver
			.sources(Duration.ofSeconds(5), this.apiserver.kubeconfig(), (call) -> {
				throw new IllegalStateException("recorder broke");
			})
			.flowcontrolVersions((cluster) -> true)
			.served(ApiserverStandIn.LAB);
		assertThat(served).isEqualTo(SourceResult.ok(List.of()));
	}

	/**
	 * Whatever sits in the path (a middlebox, a port that is not the apiserver's) may
	 * answer bytes that are no HTTP: OkHttp's failure then quotes them, NUL and escape
	 * characters included, and the recorded detail must hold none (PostgreSQL refuses a
	 * NUL in text, and the whole batch is lost).
	 */
	@Test
	void aGarbledAnswerIsRecordedWithoutItsControlCharacters() throws Exception {
		try (ServerSocket garbage = new ServerSocket(0)) {
			Thread answering = new Thread(() -> {
				for (int i = 0; i < 3; i++) {
					try (Socket socket = garbage.accept()) {
						socket.getInputStream().read(new byte[8192]);
						socket.getOutputStream()
							.write("\u0000\u0001\u001b[2J garbled\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
						socket.getOutputStream().flush();
					}
					catch (IOException ex) {
						return;
					}
				}
			});
			answering.setDaemon(true);
			answering.start();
			Path other = Files.createDirectories(this.dir.resolve("garbled"));
			Path config = ApiserverStandIn.kubeconfig(other, garbage.getLocalPort());

			this.apiserver.sources(Duration.ofSeconds(2), config, this.recorded::add)
				.probes((cluster) -> true)
				.probes(ApiserverStandIn.LAB);
		}

		assertThat(this.recorded).isNotEmpty().allSatisfy((call) -> {
			assertThat(call.outcome()).isEqualTo(CallOutcome.OTHER);
			assertThat(call.detail()).contains("garbled").doesNotContain("\u0000").doesNotContain("\u001b");
			assertThat(call.detail().chars()).noneMatch(Character::isISOControl);
		});
	}

}
