package dev.cpdoctor.troubleshoot;

import java.util.Objects;

import dev.cpdoctor.troubleshoot.remedy.Printable;

/**
 * One fact behind a verdict: a short line, where it came from, and where there is one the
 * number it is about and a page or API path that shows more.
 *
 * @param text one printable line (what the source said, or why it said nothing)
 * @param source where it came from, e.g. "audit", "etcd", "webhooks", "apf"
 * @param value the number the fact is about (a count, a fraction, milliseconds); null
 * when none
 * @param link a path within this application showing more; null when none
 */
public record Evidence(String text, String source, Double value, String link) {

	public Evidence {
		text = Printable.line(Objects.requireNonNull(text, "text"));
		source = Printable.line(Objects.requireNonNull(source, "source"));
	}

	public static Evidence of(String source, String text) {
		return new Evidence(text, source, null, null);
	}

	public static Evidence of(String source, String text, double value) {
		return new Evidence(text, source, value, null);
	}

}
