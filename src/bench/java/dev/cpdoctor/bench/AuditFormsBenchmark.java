package dev.cpdoctor.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.form.AuditForms;
import dev.cpdoctor.analysis.audit.form.FormLimits;
import dev.cpdoctor.analysis.audit.form.FormRead;

/**
 * The import's JSON-lines path against the parser alone (issue 14): the same audit log
 * (the ingest benchmark's generator, JSON lines of Events) in one byte array, read by
 * {@code AuditEventParser.parseLines} in 32 MiB chunks, by {@link AuditForms} as a stream
 * (detection, 4 MiB chunks, whole-line ranges to parseLines), by {@link AuditForms}
 * through gzip, and (for scale) its first 64 MiB as one EventList walked item by item.
 * Prints MB/s of each (best and median of the rounds) with the load average. Not a test:
 * run with
 * {@code java -cp target/classes:target/test-classes:... dev.cpdoctor.bench.AuditFormsBenchmark [SIZE] [ROUNDS]}.
 */
public final class AuditFormsBenchmark {

	private static final int PARSER_CHUNK = 32 * 1024 * 1024;

	private static volatile AuditEvent blackhole;

	private AuditFormsBenchmark() {
	}

	public static void main(String[] args) throws IOException {
		long size = AuditLogGenerator.parseSize((args.length > 0) ? args[0] : "256m");
		int rounds = (args.length > 1) ? Integer.parseInt(args[1]) : 5;
		Path file = Files.createTempFile("audit-forms-bench", ".log");
		try {
			AuditLogGenerator.generate(file, size, AuditLogGenerator.DEFAULT_SEED);
			byte[] log = Files.readAllBytes(file);
			byte[] gzip = gzip(log);
			System.out.printf(Locale.ROOT, "log: %.1f MB, %d lines; gzip %.1f MB; heap max %d MB; %s%n",
					log.length / 1e6, lines(log), gzip.length / 1e6, Runtime.getRuntime().maxMemory() >> 20,
					BenchMachine.gcNames());
			AuditForms forms = new AuditForms(FormLimits.of(16 * 1024 * 1024, 1L << 40));
			byte[] list = eventList(log, 64 * 1024 * 1024);
			double[][] mbps = new double[4][rounds];
			long[] events = new long[4];
			for (int round = 0; round < rounds; round++) {
				long start = System.nanoTime();
				events[0] = parseLines(log);
				mbps[0][round] = log.length / 1e6 / ((System.nanoTime() - start) / 1e9);
				start = System.nanoTime();
				FormRead read = forms.read(new ByteArrayInputStream(log), (e) -> blackhole = e);
				events[1] = read.report().events();
				mbps[1][round] = log.length / 1e6 / ((System.nanoTime() - start) / 1e9);
				start = System.nanoTime();
				events[2] = forms.read(new ByteArrayInputStream(gzip), (e) -> blackhole = e).report().events();
				mbps[2][round] = log.length / 1e6 / ((System.nanoTime() - start) / 1e9);
				start = System.nanoTime();
				events[3] = forms.read(new ByteArrayInputStream(list), (e) -> blackhole = e).report().events();
				mbps[3][round] = list.length / 1e6 / ((System.nanoTime() - start) / 1e9);
				System.out.printf(Locale.ROOT,
						"round %d: parseLines %.0f MB/s, AuditForms %.0f MB/s, gzip %.0f MB/s, EventList %.0f MB/s"
								+ " (load average %.2f)%n",
						round + 1, mbps[0][round], mbps[1][round], mbps[2][round], mbps[3][round],
						BenchMachine.loadAverage());
			}
			print("AuditEventParser.parseLines (byte[], 32 MiB chunks)", mbps[0], events[0]);
			print("AuditForms.read (stream, JSON lines path)", mbps[1], events[1]);
			print("AuditForms.read (gzip stream, MB/s of the log)", mbps[2], events[2]);
			print("AuditForms.read (first 64 MiB as one EventList)", mbps[3], events[3]);
			System.out.printf(Locale.ROOT, "load average %.2f; same events: %s%n", BenchMachine.loadAverage(),
					events[0] == events[1] && events[1] == events[2]);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private static long parseLines(byte[] log) {
		AuditEventParser parser = new AuditEventParser();
		AuditInputReport report = new AuditInputReport();
		int start = 0;
		while (start < log.length) {
			int end = Math.min(log.length, start + PARSER_CHUNK);
			while (end < log.length && log[end - 1] != '\n') {
				end++;
			}
			report.add(parser.parseLines(log, start, end - start, (e) -> blackhole = e));
			start = end;
		}
		return report.events();
	}

	private static void print(String what, double[] mbps, long events) {
		double[] sorted = mbps.clone();
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "%-52s best %5.0f MB/s, median %5.0f MB/s, %d events%n", what,
				sorted[sorted.length - 1], sorted[sorted.length / 2], events);
	}

	/** The log's lines up to about {@code max} bytes as one EventList, one line. */
	private static byte[] eventList(byte[] log, int max) {
		int end = Math.min(log.length, max);
		while (end > 0 && log[end - 1] != '\n') {
			end--;
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream(end + 64);
		out.writeBytes("{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"items\":["
			.getBytes(StandardCharsets.US_ASCII));
		for (int i = 0; i < end; i++) {
			out.write((log[i] == '\n') ? ((i == end - 1) ? ']' : ',') : log[i]);
		}
		out.write('}');
		return out.toByteArray();
	}

	private static long lines(byte[] log) {
		long lines = 0;
		for (byte b : log) {
			lines += (b == '\n') ? 1 : 0;
		}
		return lines;
	}

	private static byte[] gzip(byte[] bytes) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 8);
		try (GZIPOutputStream gzip = new GZIPOutputStream(out, 64 * 1024)) {
			gzip.write(bytes);
		}
		return out.toByteArray();
	}

}
