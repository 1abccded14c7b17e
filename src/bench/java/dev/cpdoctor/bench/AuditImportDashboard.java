package dev.cpdoctor.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.util.FileSystemUtils;

/**
 * The dashboard as the audit import benchmark runs it: a separate JVM of the
 * application's classes and runtime dependencies ({@code java -cp
 * target/classes:<runtime classpath> dev.cpdoctor.CpDoctorApplication}) with
 * {@value #HEAP} heap, on a free loopback port, its database in a fresh data directory,
 * the demo enabled as by default, and its heap logged by the JVM at every collection
 * ({@code -Xlog:gc}). Its output and GC log stay in the directory given; the data
 * directory is deleted when it stops.
 */
final class AuditImportDashboard implements AutoCloseable {

	static final String HEAP = "512m";

	/** "Pause Young (Normal) (G1 Evacuation Pause) 250M->40M(512M) 5.1ms". */
	private static final Pattern GC_LINE = Pattern
		.compile("(Pause [^(]*).*? (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

	private final Process process;

	private final int port;

	private final Path dir;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	/** Start to the first answer of /actuator/health. */
	private long startNanos;

	private String firstHealth = "";

	/**
	 * The heap at collections between two points of the GC log, in bytes.
	 *
	 * @param peakBefore the most in use when a collection began
	 * @param maxAfter the most left after one
	 * @param committed the heap's size at the last one
	 */
	record Heap(long peakBefore, long maxAfter, long committed, int collections, int full) {

	}

	private AuditImportDashboard(Process process, int port, Path dir) {
		this.process = process;
		this.port = port;
		this.dir = dir;
	}

	/** Starts it and waits for /actuator/health to answer. */
	static AuditImportDashboard start(Path dir, String runtimeClasspath) throws IOException, InterruptedException {
		FileSystemUtils.deleteRecursively(dir);
		Files.createDirectories(dir);
		int port = freePort();
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + HEAP,
						"-Xlog:gc:file=" + dir.resolve("gc.log"), "-cp",
						Path.of("target", "classes").toAbsolutePath() + ":" + runtimeClasspath,
						"dev.cpdoctor.CpDoctorApplication", "--server.port=" + port,
						"--cpdoctor.data-dir=" + dir.resolve("data").toAbsolutePath()));
		long t0 = System.nanoTime();
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(dir.resolve("dashboard.log").toFile())
			.start();
		AuditImportDashboard dashboard = new AuditImportDashboard(process, port, dir);
		dashboard.awaitHealth(t0);
		return dashboard;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private void awaitHealth(long t0) throws IOException, InterruptedException {
		long deadline = t0 + TimeUnit.SECONDS.toNanos(180);
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IOException("The dashboard exited (" + this.process.exitValue() + "): " + tail());
			}
			try {
				HttpResponse<String> health = get("/actuator/health");
				this.startNanos = System.nanoTime() - t0;
				this.firstHealth = health.statusCode() + " " + health.body().replaceAll("\\s+", "");
				return;
			}
			catch (IOException ex) {
				Thread.sleep(250);
			}
		}
		close();
		throw new IOException("The dashboard did not answer /actuator/health in 180 s: " + tail());
	}

	long pid() {
		return this.process.pid();
	}

	int port() {
		return this.port;
	}

	long startNanos() {
		return this.startNanos;
	}

	/** Its first health answer: status and body, cut to 160 characters. */
	String firstHealth() {
		return (this.firstHealth.length() <= 160) ? this.firstHealth : this.firstHealth.substring(0, 157) + "...";
	}

	boolean alive() {
		return this.process.isAlive();
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).GET().build(),
				BodyHandlers.ofString());
	}

	/** Posts a file as it is on disk, streamed: the body is never held in memory. */
	HttpResponse<String> post(String path, Path file) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/octet-stream")
			.POST(BodyPublishers.ofFile(file))
			.build(), BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** Where the GC log ends now: pass two of these to {@link #heap}. */
	long gcLogMark() throws IOException {
		Path log = this.dir.resolve("gc.log");
		return Files.exists(log) ? Files.size(log) : 0;
	}

	/** The heap at the collections logged between two marks. */
	Heap heap(long from, long to) throws IOException {
		byte[] bytes = new byte[(int) Math.max(0, to - from)];
		try (RandomAccessFile file = new RandomAccessFile(this.dir.resolve("gc.log").toFile(), "r")) {
			file.seek(from);
			file.readFully(bytes);
		}
		long peak = 0;
		long after = 0;
		long committed = 0;
		int collections = 0;
		int full = 0;
		for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
			Matcher m = GC_LINE.matcher(line);
			if (m.find()) {
				peak = Math.max(peak, bytes(m.group(2), m.group(3)));
				after = Math.max(after, bytes(m.group(4), m.group(5)));
				committed = bytes(m.group(6), m.group(7));
				collections++;
				full += m.group(1).startsWith("Pause Full") ? 1 : 0;
			}
		}
		return new Heap(peak, after, committed, collections, full);
	}

	private static long bytes(String number, String unit) {
		long n = Long.parseLong(number);
		return switch (unit) {
			case "K" -> n << 10;
			case "M" -> n << 20;
			default -> n << 30;
		};
	}

	/** Whether its output mentions an OutOfMemoryError. */
	boolean outOfMemory() throws IOException {
		try (Stream<String> lines = Files.lines(this.dir.resolve("dashboard.log"), StandardCharsets.ISO_8859_1)) {
			return lines.anyMatch((line) -> line.contains("OutOfMemoryError"));
		}
	}

	/** The data directory's size now, in bytes. */
	long dataBytes() throws IOException {
		try (Stream<Path> files = Files.walk(this.dir.resolve("data"))) {
			return files.filter(Files::isRegularFile).mapToLong((f) -> f.toFile().length()).sum();
		}
	}

	/** The last lines of its output. */
	String tail() {
		try {
			List<String> lines = Files.readAllLines(this.dir.resolve("dashboard.log"), StandardCharsets.ISO_8859_1);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
		}
		catch (IOException ex) {
			return "(no output: " + ex.getMessage() + ")";
		}
	}

	/** Stops it (SIGTERM, then SIGKILL after 30 s) and deletes its data directory. */
	@Override
	public void close() throws IOException {
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		FileSystemUtils.deleteRecursively(this.dir.resolve("data"));
	}

}
