package dev.cpdoctor.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.cpdoctor.analysis.audit.UserAgentRequests;

import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;

/**
 * jq's side of the audit ingest benchmark, the top 10 user agents only:
 * {@code jq -r 'select(.stage=="ResponseComplete") | .userAgent' FILE | sort | uniq -c | sort -rn},
 * the wall time of the pipeline.
 */
final class AuditIngestJq {

	private AuditIngestJq() {
	}

	record JqResult(String failure, long nanos, List<UserAgentRequests> top) {
	}

	/**
	 * Without head: its early exit would break the pipe under pipefail; the top is cut
	 * here instead.
	 */
	static final String JQ_PIPELINE = "jq -r 'select(.stage==\"ResponseComplete\") | .userAgent' \"$1\" "
			+ "| LC_ALL=C sort | uniq -c | LC_ALL=C sort -rn";

	/** Runs the pipeline on the file; a failure is a result too. */
	static JqResult run(Path file) {
		try {
			long t0 = System.nanoTime();
			Process process = new ProcessBuilder("bash", "-c", "set -o pipefail; " + JQ_PIPELINE, "bash",
					file.toAbsolutePath().toString())
				.redirectError(ProcessBuilder.Redirect.INHERIT)
				.start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int exit = process.waitFor();
			long nanos = System.nanoTime() - t0;
			if (exit != 0) {
				return new JqResult("the jq pipeline exited " + exit, nanos, List.of());
			}
			List<UserAgentRequests> top = new ArrayList<>();
			for (String line : out.split("\n")) {
				String trimmed = line.stripLeading();
				int space = trimmed.indexOf(' ');
				if (space > 0 && top.size() < TOP) {
					top.add(new UserAgentRequests(trimmed.substring(space + 1),
							Long.parseLong(trimmed.substring(0, space))));
				}
			}
			return new JqResult(null, nanos, top);
		}
		catch (IOException | InterruptedException | RuntimeException ex) {
			return new JqResult(ex.getClass().getSimpleName() + ": " + ex.getMessage(), 0, List.of());
		}
	}

}
