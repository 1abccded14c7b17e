package dev.cpdoctor.source.apiserver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.junit5.WireMockRuntimeInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.FileSystemUtils;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.ApiserverAnswers;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.history.CallRecorder;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * A stand-in Kubernetes apiserver for each test of a class, registered with
 * {@link RegisterExtension} on an instance field: a WireMock server on a dynamic port of
 * 127.0.0.1 that answers /version as v1.30 does, and a kubeconfig pointing at it (cluster
 * lab, context lab-admin, a bearer token) in a directory of its own; it answers as
 * {@link ApiserverAnswers} do. Each test class adds the stubs it needs and checks the
 * requests with the server's own {@code stubFor} and {@code verify}; the server stops and
 * the kubeconfig is deleted after each test.
 */
public final class ApiserverStandIn extends WireMockExtension {

	/** The bearer token of the kubeconfig's user. */
	public static final String TOKEN = "test-token-7f3a";

	/** How the sources built here name themselves to the apiserver. */
	public static final String USER_AGENT = "control-plane-doctor/test";

	/** The cluster the kubeconfig names (context lab-admin). */
	public static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab-admin", null),
			null, "configuration");

	/** /version of an apiserver v1.30. */
	public static final String VERSION_JSON = ApiserverAnswers.VERSION_JSON;

	private Path dir;

	private Path kubeconfig;

	public ApiserverStandIn() {
		super(WireMockExtension.newInstance().options(options().dynamicPort().bindAddress("127.0.0.1")));
	}

	/**
	 * A kubeconfig file named kubeconfig in the directory, for an apiserver on a port of
	 * 127.0.0.1.
	 */
	public static Path kubeconfig(Path dir, int port) throws IOException {
		return Files.writeString(dir.resolve("kubeconfig"), """
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
				    user: lab-user
				current-context: lab-admin
				users:
				- name: lab-user
				  user:
				    token: %s
				""".formatted(port, TOKEN));
	}

	/** The configuration the sources built here use, with the given timeout per call. */
	public static ApiserverProperties properties(Duration timeout) {
		return new ApiserverProperties(true, Duration.ofSeconds(60), timeout, Duration.ofMinutes(10),
				Duration.ofSeconds(5), false, Duration.ofMinutes(5), DataSize.ofMegabytes(256));
	}

	@Override
	protected void onBeforeEach(WireMockRuntimeInfo info) {
		stubFor(get(urlPathMatching("/version/?")).willReturn(ApiserverAnswers.version()));
		try {
			this.dir = Files.createTempDirectory("cpdoctor-apiserver-");
			this.kubeconfig = kubeconfig(this.dir, info.getHttpPort());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	protected void onAfterEach(WireMockRuntimeInfo info) {
		try {
			FileSystemUtils.deleteRecursively(this.dir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The kubeconfig pointing at this test's stand-in. */
	public Path kubeconfig() {
		return this.kubeconfig;
	}

	/** Answers the request with the client's model, serialised by the client's JSON. */
	public void serve(MappingBuilder request, Object model) {
		stubFor(request.willReturn(ApiserverAnswers.model(model)));
	}

	/** Answers the request with a Kubernetes Status of failure with the HTTP code. */
	public void status(MappingBuilder request, int code) {
		stubFor(request.willReturn(ApiserverAnswers.failure(code, null, null)));
	}

	/** Sources reading this stand-in through its kubeconfig, their calls not recorded. */
	public ApiserverSources sources(Duration timeout) {
		return sources(timeout, this.kubeconfig, CallRecorder.NONE);
	}

	/** Sources reading the given kubeconfig, every call told to the recorder. */
	public ApiserverSources sources(Duration timeout, Path kubeconfigFile, CallRecorder recorder) {
		return new ApiserverSources(List.of(kubeconfigFile), properties(timeout), USER_AGENT, recorder,
				Clock.systemUTC());
	}

}
