package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;

/**
 * Reads the text an apiserver answers to {@code /readyz?verbose} or
 * {@code /livez?verbose}: one line per check ({@code [+]ping ok},
 * {@code [-]etcd failed: reason withheld}), then {@code readyz check passed} with HTTP
 * 200 or {@code readyz check failed} with HTTP 500. Anything else (an HTML login page, a
 * proxy's error, a JSON Status) is not a probe answer. Pure: no I/O.
 */
public final class ProbeText {

	private static final Pattern CHECK = Pattern.compile("\\[([+-])\\]([^\\s\\[\\]]{1,253}) (.{1,1024})");

	/**
	 * Check names and details come from the server: only printable ASCII reaches a page.
	 */
	private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");

	private ProbeText() {
	}

	/**
	 * @param path "/readyz" or "/livez"
	 * @param status the HTTP status of the answer
	 * @param body the answer's text
	 */
	public static ApiserverProbe parse(String path, int status, String body, Instant at, Duration took) {
		String name = path.startsWith("/") ? path.substring(1) : path;
		List<ProbeCheck> checks = new ArrayList<>();
		String verdict = null;
		for (String raw : body.split("\n", -1)) {
			String line = raw.strip();
			if (line.isEmpty()) {
				continue;
			}
			if (verdict != null) {
				return notAProbe(path, status, at, took, "text after \"" + verdict + "\"");
			}
			Matcher check = CHECK.matcher(line);
			if (check.matches() && PRINTABLE.matcher(line).matches()) {
				checks.add(new ProbeCheck(check.group(2), check.group(1).equals("+"), check.group(3)));
			}
			else if (line.equals(name + " check passed") || line.equals(name + " check failed")) {
				verdict = line;
			}
			else if (line.equals("ok") && checks.isEmpty()) {
				// The short answer of a probe asked without ?verbose (or a proxy that
				// dropped the query).
				verdict = line;
			}
			else {
				return notAProbe(path, status, at, took, "an unexpected line");
			}
		}
		if (verdict == null) {
			return notAProbe(path, status, at, took, "no \"" + name + " check passed/failed\" line");
		}
		boolean passed = !verdict.endsWith("failed");
		if (passed && status == 200 && checks.stream().allMatch(ProbeCheck::ok)) {
			return new ApiserverProbe(path, Outcome.PASSED, at, took, status, checks, null);
		}
		if (!passed && status == 500) {
			List<String> failing = checks.stream().filter((c) -> !c.ok()).map(ProbeCheck::name).toList();
			String reason = failing.isEmpty() ? name + " check failed"
					: name + " check failed: " + String.join(", ", failing);
			return new ApiserverProbe(path, Outcome.FAILED, at, took, status, checks, reason);
		}
		return notAProbe(path, status, at, took, "\"" + verdict + "\" with HTTP " + status);
	}

	private static ApiserverProbe notAProbe(String path, int status, Instant at, Duration took, String what) {
		return ApiserverProbe.unanswered(path, Outcome.NOT_A_PROBE_ANSWER, at, took, status,
				"GET " + path + "?verbose answered HTTP " + status + " that is not a probe answer (" + what
						+ "; a proxy or login page?)");
	}

}
