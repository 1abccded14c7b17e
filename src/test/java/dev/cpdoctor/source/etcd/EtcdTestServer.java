package dev.cpdoctor.source.etcd;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.cpdoctor.TestEnvironment;
import dev.cpdoctor.cluster.ClusterProperties;

/**
 * A real etcd for a test class: Debian's etcd-server binary on 127.0.0.1 with free ports,
 * a temporary data dir and a small --quota-backend-bytes, started before the class and
 * stopped (its dir deleted) after. Without an etcd binary the class is skipped with a
 * message - or fails under CI=true, where .ci/run installs etcd-server. {@link #tls()}
 * serves the client port over TLS with client-certificate authentication, the
 * certificates made by {@link TestCertificates}; {@link #members(int)} starts a cluster
 * of several members.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final EtcdTestServer etcd = EtcdTestServer.plain().quotaBytes(16 * 1024 * 1024);
 * </pre>
 */
public final class EtcdTestServer implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

	private static final Duration STARTUP = Duration.ofSeconds(30);

	private final boolean tls;

	private long quotaBytes = 32L * 1024 * 1024;

	private int members = 1;

	private Path dir;

	private final List<Process> processes = new ArrayList<>();

	private int[] clientPorts;

	private int[] metricsPorts;

	private TestCertificates certificates;

	private EtcdTestServer(boolean tls) {
		this.tls = tls;
	}

	public static EtcdTestServer plain() {
		return new EtcdTestServer(false);
	}

	public static EtcdTestServer tls() {
		return new EtcdTestServer(true);
	}

	public EtcdTestServer quotaBytes(long bytes) {
		this.quotaBytes = bytes;
		return this;
	}

	/** A cluster of that many members instead of one. */
	public EtcdTestServer members(int count) {
		this.members = count;
		return this;
	}

	/** The etcd binary: $ETCD_BINARY, else etcd on the PATH (Debian: /usr/bin/etcd). */
	public static Path binary() {
		String configured = System.getenv("ETCD_BINARY");
		if (configured != null && !configured.isBlank()) {
			return Path.of(configured);
		}
		String path = System.getenv("PATH");
		for (String dir : (path != null) ? path.split(File.pathSeparator) : new String[0]) {
			Path candidate = Path.of(dir, "etcd");
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return Path.of("/usr/bin/etcd");
	}

	/**
	 * Without etcd the tests show as skipped, each with the reason (an abort in beforeAll
	 * would show as no tests at all); under CI=true they run and fail in
	 * {@link #beforeAll}.
	 */
	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		Path binary = binary();
		if (Files.isExecutable(binary) || TestEnvironment.isCi()) {
			return ConditionEvaluationResult.enabled("etcd at " + binary);
		}
		return ConditionEvaluationResult.disabled("etcd (" + binary + ", Debian package etcd-server) is not available"
				+ " on this machine; skipping (run .ci/run, or install it)");
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		Path binary = binary();
		TestEnvironment.require(Files.isExecutable(binary), "etcd (" + binary + ", Debian package etcd-server)");
		start();
	}

	/**
	 * Starts etcd and waits until it is healthy; for code outside JUnit (the etcd scan
	 * benchmark), which calls {@link #stop()} when done.
	 */
	public EtcdTestServer start() throws Exception {
		Path binary = binary();
		this.dir = Files.createTempDirectory("cpdoctor-etcd-");
		int[] ports = freePorts(3 * this.members);
		this.clientPorts = new int[this.members];
		this.metricsPorts = new int[this.members];
		String scheme = this.tls ? "https" : "http";
		List<String> cluster = new ArrayList<>();
		for (int m = 0; m < this.members; m++) {
			this.clientPorts[m] = ports[3 * m];
			this.metricsPorts[m] = ports[3 * m + 2];
			cluster.add("m" + m + "=http://127.0.0.1:" + ports[3 * m + 1]);
		}
		if (this.tls) {
			this.certificates = TestCertificates.write(this.dir.resolve("pki"));
		}
		for (int m = 0; m < this.members; m++) {
			String client = scheme + "://127.0.0.1:" + this.clientPorts[m];
			String peer = "http://127.0.0.1:" + ports[3 * m + 1];
			List<String> command = new ArrayList<>(List.of(binary.toString(), "--name", "m" + m, "--data-dir",
					this.dir.resolve("data-" + m).toString(), "--listen-client-urls", client, "--advertise-client-urls",
					client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster",
					String.join(",", cluster), "--initial-cluster-state", "new", "--listen-metrics-urls",
					"http://127.0.0.1:" + this.metricsPorts[m], "--quota-backend-bytes",
					String.valueOf(this.quotaBytes), "--logger", "zap", "--log-outputs", "stderr"));
			if (this.tls) {
				command.addAll(List.of("--cert-file", this.certificates.serverCert().toString(), "--key-file",
						this.certificates.serverKey().toString(), "--trusted-ca-file",
						this.certificates.ca().toString(), "--client-cert-auth"));
			}
			this.processes.add(new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("etcd-" + m + ".log").toFile())
				.start());
		}
		for (int m = 0; m < this.members; m++) {
			awaitHealthy(m);
		}
		return this;
	}

	private void awaitHealthy(int member) throws Exception {
		Process process = this.processes.get(member);
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("etcd exited with " + process.exitValue() + ":\n" + logTail(member));
			}
			try {
				HttpURLConnection c = (HttpURLConnection) URI
					.create("http://127.0.0.1:" + this.metricsPorts[member] + "/health")
					.toURL()
					.openConnection();
				c.setConnectTimeout(500);
				c.setReadTimeout(1000);
				if (c.getResponseCode() == 200
						&& new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).contains("\"true\"")) {
					return;
				}
			}
			catch (IOException ex) {
				// not up yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("etcd was not healthy within " + STARTUP + ":\n" + logTail(member));
	}

	private String logTail(int member) {
		try {
			List<String> lines = Files.readAllLines(this.dir.resolve("etcd-" + member + ".log"));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws Exception {
		stop();
	}

	/** Stops every member and deletes the data dirs. */
	public void stop() throws Exception {
		for (Process process : this.processes) {
			process.destroy();
		}
		for (Process process : this.processes) {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
		}
		if (this.dir != null) {
			try (Stream<Path> files = Files.walk(this.dir)) {
				files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
			}
		}
	}

	static int[] freePorts(int count) throws IOException {
		int[] ports = new int[count];
		List<ServerSocket> sockets = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				ServerSocket socket = new ServerSocket(0);
				sockets.add(socket);
				ports[i] = socket.getLocalPort();
			}
		}
		finally {
			for (ServerSocket socket : sockets) {
				socket.close();
			}
		}
		return ports;
	}

	/** The (first member's) client URL, e.g. http://127.0.0.1:40123. */
	public URI endpoint() {
		return endpoints().get(0);
	}

	/** Every member's client URL. */
	public List<URI> endpoints() {
		return Arrays.stream(this.clientPorts)
			.mapToObj((port) -> URI.create((this.tls ? "https" : "http") + "://127.0.0.1:" + port))
			.toList();
	}

	/**
	 * Every member's plain-HTTP metrics listener (--listen-metrics-urls), which also
	 * serves /health.
	 */
	public List<URI> metricsEndpoints() {
		return Arrays.stream(this.metricsPorts).mapToObj((port) -> URI.create("http://127.0.0.1:" + port)).toList();
	}

	/** Stops one member (the others keep quorum in a cluster of three). */
	public void stop(int member) throws InterruptedException {
		Process process = this.processes.get(member);
		process.destroy();
		if (!process.waitFor(10, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
		}
	}

	/** The etcd process's pid (for its memory in /proc). */
	public long pid() {
		return this.processes.get(0).pid();
	}

	public long quotaBytes() {
		return this.quotaBytes;
	}

	public TestCertificates certificates() {
		return this.certificates;
	}

	/**
	 * What cpdoctor.clusters[].etcd would say for this server (with its client
	 * certificate when TLS).
	 */
	public ClusterProperties.Etcd configuration() {
		if (!this.tls) {
			return new ClusterProperties.Etcd(endpoints(), null, null, null, List.of());
		}
		return new ClusterProperties.Etcd(endpoints(), this.certificates.ca(), this.certificates.clientCert(),
				this.certificates.clientKey(), List.of());
	}

}
