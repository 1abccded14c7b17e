package dev.cpdoctor.troubleshoot;

/**
 * What to do about a cause.
 *
 * @param summary one sentence
 * @param command a command to run, or null
 */
public record Remediation(String summary, String command) {
}
