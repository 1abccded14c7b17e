package dev.cpdoctor.troubleshoot.remedy;

/**
 * Text that goes into a generated manifest's comment or an error message as one line:
 * printable ASCII only. Anything else - line breaks (\n, \r, and the NEL, LS and PS that
 * YAML 1.1 also breaks lines on), control characters, non-ASCII - becomes '?', so no text
 * can end a YAML comment.
 */
public final class Printable {

	static final int MAX_LENGTH = 400;

	private Printable() {
	}

	public static String line(String text) {
		if (text == null) {
			return "";
		}
		StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH));
		for (int i = 0; i < text.length() && out.length() < MAX_LENGTH; i++) {
			char c = text.charAt(i);
			out.append((c >= 0x20 && c <= 0x7e) ? c : '?');
		}
		return out.toString();
	}

}
