package dev.cpdoctor.troubleshoot.remedy;

import java.util.List;
import java.util.Objects;

/**
 * What to do about a cause: a sentence, and where there is something to copy, the text to
 * copy and what it is. Generated remedies carry the warnings a page shows next to the
 * copy button.
 *
 * @param summary one sentence
 * @param kind what {@code text} is
 * @param text what to copy (a command or shell snippet, or a YAML manifest); null for
 * advice
 * @param warnings what to know before running it, one printable line each; empty when
 * nothing
 */
public record Remediation(String summary, Kind kind, String text, List<String> warnings) {

	/**
	 * What a remediation's text is, for the page (a copy button, a file name to save it
	 * as).
	 */
	public enum Kind {

		/** Nothing to copy: do what the summary says. */
		ADVICE,

		/** A command or a small POSIX shell snippet, to paste into a terminal. */
		COMMAND,

		/**
		 * A YAML manifest or fragment, to save and kubectl apply (or edit into a
		 * manifest).
		 */
		YAML

	}

	public Remediation {
		summary = Printable.line(Objects.requireNonNull(summary, "summary"));
		Objects.requireNonNull(kind, "kind");
		if ((kind == Kind.ADVICE) != (text == null)) {
			throw new IllegalArgumentException("advice has no text, commands and YAML have one");
		}
		warnings = (warnings != null) ? warnings.stream().map(Printable::line).toList() : List.of();
	}

	/**
	 * A command, or advice when {@code command} is null: the static remedies of the
	 * symptom table.
	 */
	public Remediation(String summary, String command) {
		this(summary, (command != null) ? Kind.COMMAND : Kind.ADVICE, command, List.of());
	}

	public static Remediation command(String summary, String command, List<String> warnings) {
		return new Remediation(summary, Kind.COMMAND, Objects.requireNonNull(command, "command"), warnings);
	}

	public static Remediation yaml(String summary, String yaml, List<String> warnings) {
		return new Remediation(summary, Kind.YAML, Objects.requireNonNull(yaml, "yaml"), warnings);
	}

	/**
	 * The command to run, or null when the text is YAML or there is none (as before there
	 * were kinds).
	 */
	public String command() {
		return (this.kind == Kind.COMMAND) ? this.text : null;
	}

}
