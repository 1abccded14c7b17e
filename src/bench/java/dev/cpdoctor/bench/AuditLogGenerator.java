package dev.cpdoctor.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes an apiserver audit log as the log backend does (--audit-log-path,
 * --audit-log-format=json): one audit.k8s.io/v1 Event per line, level Metadata, for the
 * audit ingest benchmark (issue 5).
 * <p>
 * What the file holds, deterministic for a seed and a size:
 * <ul>
 * <li>{@value #USER_AGENTS} distinct user agents with a realistic skew: kubelets, the
 * controller manager's controllers, the scheduler, a LIST-flooding backup operator, the
 * usual add-ons, then a long tail of operators, kubectl versions and scripts (Zipf-like
 * weights).</li>
 * <li>Each client has its own mix of verbs and resources (get, list, watch, create,
 * update, patch, delete on pods, nodes, configmaps, secrets, leases.coordination.k8s.io,
 * deployments.apps, ... and the subresources pods/status, pods/log, pods/exec,
 * nodes/status), and issues its requests in bursts, as informers and reconcile loops
 * do.</li>
 * <li>Every request writes a RequestReceived line and, later in the file and interleaved
 * with other requests' lines, a ResponseComplete line with the same auditID; long-running
 * requests (watch, pods/log, pods/exec) write ResponseStarted in between. The file is
 * ordered by stageTimestamp.</li>
 * <li>Latency is log-normal per operation, scaled per client; watches last 5 to 10
 * minutes. Codes are mostly 200/201 with some 404 (get, delete), 409 (update, patch,
 * create), 429 and 500. Between 40 % and 65 % of the span the backup operator floods
 * LISTs and everyone's LIST latency climbs.</li>
 * <li>Timestamps are RFC 3339 with microseconds, as the apiserver writes them; the file
 * spans {@link #SPAN_HOURS} hours whatever its size (the request rate follows the
 * size).</li>
 * </ul>
 * Every line is written into one reusable byte array and that through a
 * BufferedOutputStream: no String.format or string concatenation per event.
 * <p>
 * The parts: {@link AuditLogModel} (resources, namespaces, names, nodes) with its clients
 * from {@link AuditLogUserAgents}, {@link AuditLogWriter} (bursts of requests and the
 * queue of their pending stages), {@link AuditLogEvent} (one stage as a JSON line) and
 * {@link AuditLogLine} (the byte array it is written into).
 */
public final class AuditLogGenerator {

	static final int USER_AGENTS = 200;

	static final int SPAN_HOURS = 3;

	static final Instant START = Instant.parse("2026-11-22T08:00:00Z");

	static final long DEFAULT_SEED = 20261122;

	static final long SPAN_MICROS = SPAN_HOURS * 3_600_000_000L;

	static final double INCIDENT_FROM = 0.40;

	static final double INCIDENT_TO = 0.65;

	/** What a generated file holds. */
	public record Stats(Path file, long bytes, long lines, long requests, long longRunning, Instant first, Instant last,
			int userAgents, long adjacentPairs, long nanos) {
	}

	private AuditLogGenerator() {
	}

	/** {@code AuditLogGenerator FILE [SIZE [SEED]]}: SIZE like 1GiB, 200m or bytes. */
	public static void main(String[] args) throws IOException {
		Path file = Path.of(args[0]);
		long size = (args.length > 1) ? parseSize(args[1]) : 1L << 30;
		long seed = (args.length > 2) ? Long.parseLong(args[2]) : DEFAULT_SEED;
		Stats stats = generate(file, size, seed);
		System.out.printf(
				"%s: %,d bytes, %,d lines, %,d requests (%,d long-running), %s .. %s, %,d of %,d requests' "
						+ "stage lines right after the previous one, %.1f s%n",
				stats.file(), stats.bytes(), stats.lines(), stats.requests(), stats.longRunning(), stats.first(),
				stats.last(), stats.adjacentPairs(), stats.requests(), stats.nanos() / 1e9);
	}

	/** "1GiB", "1g", "512MiB", "200m", "64k" (binary units) or a number of bytes. */
	public static long parseSize(String text) {
		String t = text.trim().toLowerCase(Locale.ROOT).replace("_", "");
		t = t.endsWith("ib") ? t.substring(0, t.length() - 2) : t.endsWith("b") ? t.substring(0, t.length() - 1) : t;
		long unit = 1;
		char last = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
		switch (last) {
			case 'k' -> unit = 1L << 10;
			case 'm' -> unit = 1L << 20;
			case 'g' -> unit = 1L << 30;
			default -> unit = 1;
		}
		String number = (unit == 1) ? t : t.substring(0, t.length() - 1);
		return Math.round(Double.parseDouble(number) * unit);
	}

	/**
	 * Writes about {@code targetBytes} (a little more: the requests in flight at the end
	 * complete).
	 */
	public static Stats generate(Path file, long targetBytes, long seed) throws IOException {
		long started = System.nanoTime();
		AuditLogModel model = new AuditLogModel(seed);
		// Calibration: how many bytes a burst of requests writes, so the file spans
		// SPAN_HOURS.
		AuditLogWriter calibration = new AuditLogWriter(model, new SplittableRandom(seed ^ 0x5DEECE66DL),
				OutputStream.nullOutputStream(), 1_000, Long.MAX_VALUE);
		calibration.run(20_000);
		double bytesPerBurst = (double) calibration.bytes / calibration.bursts;
		double meanGapMicros = SPAN_MICROS / (targetBytes / bytesPerBurst);
		Path parent = file.toAbsolutePath().getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
			AuditLogWriter writer = new AuditLogWriter(model, new SplittableRandom(seed), out, meanGapMicros,
					targetBytes);
			writer.run(Long.MAX_VALUE);
			return new Stats(file, writer.bytes, writer.lines, writer.requests, writer.longRunning,
					Instant.EPOCH.plusNanos(writer.firstMicros * 1000),
					Instant.EPOCH.plusNanos(writer.lastMicros * 1000), model.agents.length, writer.adjacent,
					System.nanoTime() - started);
		}
	}

	static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

}
