package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.ProbeCheck;
import dev.cpdoctor.analysis.network.ProbeTextTests;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.history.CallRecorder;
import dev.cpdoctor.source.ApiserverProbeSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * /readyz?verbose and /livez?verbose by the real Kubernetes client against a local
 * apiserver stand-in.
 */
class KubernetesApiserverProbesTests {

	@TempDir
	Path dir;

	@RegisterExtension
	final ApiserverStandIn apiserver = new ApiserverStandIn();

	private final Cluster lab = ApiserverStandIn.LAB;

	private void serve(String path, int status, String body) {
		this.apiserver.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
			.withHeader("Content-Type", "text/plain; charset=utf-8")
			.withHeader("X-Content-Type-Options", "nosniff")
			.withBody(body)));
	}

	private ApiserverProbeSource probes(Duration timeout, Path kubeconfigFile) {
		return this.apiserver.sources(timeout, kubeconfigFile, CallRecorder.NONE).probes((cluster) -> true);
	}

	private ApiserverProbeSource probes(Duration timeout) {
		return probes(timeout, this.apiserver.kubeconfig());
	}

	@Test
	void healthyProbesAreAskedVerboseWithTokenAndOwnUserAgent() {
		serve("/readyz", 200, ProbeTextTests.READYZ_PASSED);
		serve("/livez", 200, ProbeTextTests.LIVEZ_PASSED);
		ApiserverProbes answer = probes(Duration.ofSeconds(5)).probes(this.lab);
		assertThat(answer.bothPassed()).isTrue();
		assertThat(answer.readyz().checks()).hasSize(10);
		assertThat(answer.readyz().httpStatus()).isEqualTo(200);
		assertThat(answer.readyz().took()).isPositive().isLessThan(Duration.ofSeconds(5));
		assertThat(answer.livez().path()).isEqualTo("/livez");
		for (String path : List.of("/readyz", "/livez")) {
			this.apiserver.verify(1,
					getRequestedFor(urlPathEqualTo(path)).withQueryParam("verbose", matching(".*"))
						.withHeader("Authorization", equalTo("Bearer " + ApiserverStandIn.TOKEN))
						.withHeader("User-Agent", matching("control-plane-doctor/test.*")));
		}
	}

	@Test
	void aFailingReadyzIsAnAnswerWithItsFailingChecks() {
		serve("/readyz", 500, ProbeTextTests.READYZ_FAILED);
		serve("/livez", 200, ProbeTextTests.LIVEZ_PASSED);
		ApiserverProbes answer = probes(Duration.ofSeconds(5)).probes(this.lab);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.FAILED);
		assertThat(answer.readyz().httpStatus()).isEqualTo(500);
		assertThat(answer.readyz().failing()).extracting(ProbeCheck::name).containsExactly("etcd", "etcd-readiness");
		assertThat(answer.readyz().reason()).isEqualTo("readyz check failed: etcd, etcd-readiness");
		assertThat(answer.livez().passed()).isTrue();
		assertThat(answer.bothPassed()).isFalse();
	}

	@Test
	void refusedCredentialsAndMissingRbacAreUnauthorized() {
		serve("/readyz", 401,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}");
		serve("/livez", 403,
				"{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}");
		ApiserverProbes answer = probes(Duration.ofSeconds(5)).probes(this.lab);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.UNAUTHORIZED);
		assertThat(answer.readyz().reason()).isEqualTo("GET /readyz?verbose answered HTTP 401 (credentials refused)");
		assertThat(answer.livez().outcome()).isEqualTo(Outcome.UNAUTHORIZED);
		assertThat(answer.livez().reason()).contains("HTTP 403").contains("RBAC");
	}

	@Test
	void aServerErrorWithoutProbeTextAndALoginPageAreNoProbeAnswers() {
		serve("/readyz", 500, "Internal Server Error");
		this.apiserver.stubFor(get(urlPathEqualTo("/livez")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "text/html")
			.withBody("<!DOCTYPE html><html><body><form action=\"/login\">Sign in</form></body></html>")));
		ApiserverProbes answer = probes(Duration.ofSeconds(5)).probes(this.lab);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
		assertThat(answer.readyz().httpStatus()).isEqualTo(500);
		assertThat(answer.readyz().reason())
			.startsWith("GET /readyz?verbose answered HTTP 500 that is not a probe answer");
		assertThat(answer.livez().outcome()).isEqualTo(Outcome.NOT_A_PROBE_ANSWER);
	}

	@Test
	void aSlowApiserverTimesOutAndTheWaitIsMeasured() {
		this.apiserver.stubFor(get(urlPathEqualTo("/readyz"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(3_000).withBody(ProbeTextTests.READYZ_PASSED)));
		serve("/livez", 200, ProbeTextTests.LIVEZ_PASSED);
		long started = System.nanoTime();
		ApiserverProbes answer = probes(Duration.ofMillis(500)).probes(this.lab);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.TIMEOUT);
		assertThat(answer.readyz().reason()).isEqualTo("GET /readyz?verbose timed out after PT0.5S");
		assertThat(answer.readyz().httpStatus()).isNull();
		assertThat(answer.readyz().took()).isBetween(Duration.ofMillis(400), Duration.ofMillis(2_500));
		assertThat(answer.livez().passed()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3_000));
	}

	@Test
	void aClosedPortIsUnreachable() throws IOException {
		int closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = socket.getLocalPort();
		}
		Path other = this.dir.resolve("closed");
		Files.createDirectories(other);
		Path config = ApiserverStandIn.kubeconfig(other, closed);
		ApiserverProbes answer = probes(Duration.ofSeconds(2), config).probes(this.lab);
		assertThat(answer.readyz().outcome()).isEqualTo(Outcome.UNREACHABLE);
		assertThat(answer.readyz().reason()).startsWith("GET /readyz?verbose: connection failed");
		assertThat(answer.livez().outcome()).isEqualTo(Outcome.UNREACHABLE);
	}

	@Test
	void clustersThatMayNotBeCalledAreNot() {
		Cluster demo = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "built-in");
		ApiserverProbe readyz = probes(Duration.ofSeconds(5)).probes(demo).readyz();
		assertThat(readyz.outcome()).isEqualTo(Outcome.NOT_CALLED);
		assertThat(readyz.reason()).isEqualTo("the cluster has no apiserver access");
		ApiserverProbeSource guarded = this.apiserver.sources(Duration.ofSeconds(5)).probes((cluster) -> false);
		assertThat(guarded.probes(this.lab).livez().reason()).contains("merely discovered kubeconfig context");
		this.apiserver.verify(0, getRequestedFor(urlPathMatching("/(readyz|livez|version/?)")));
	}

}
