package dev.cpdoctor.troubleshoot.remedy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes label selector, parsed and written back in a canonical form:
 * equality-based ({@code key=value}, {@code key==value}, {@code key!=value}) and
 * set-based ({@code key in (a,b)}, {@code key notin (a,b)}, {@code key}, {@code !key})
 * requirements, comma-separated. Keys and values follow the label rules (an optional
 * DNS-subdomain prefix and '/', then a name of up to 63 characters of letters, digits,
 * '-', '_' and '.'). The numeric {@code key>1} / {@code key<1} forms and anything else
 * are refused, so the text holds only letters, digits and {@code - _ . / = ! , ( )} and
 * single spaces: nothing a shell or a URL query gives meaning to once URL-encoded.
 *
 * @param text the selector, kept in canonical form, e.g.
 * {@code app=web,tier in (a,b),!legacy}
 */
public record LabelSelector(String text) {

	static final int MAX_LENGTH = 1024;

	private static final String NAME = "[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?";

	private static final String PREFIX = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*";

	private static final String KEY = "(?:" + PREFIX + "/)?" + NAME;

	private static final Pattern EXISTS = Pattern.compile("(!?) *(" + KEY + ")");

	private static final Pattern EQUALITY = Pattern.compile("(" + KEY + ") *(==|=|!=) *(" + NAME + ")?");

	private static final Pattern SET = Pattern.compile("(" + KEY + ") +(in|notin) *\\(([^()]*)\\)");

	private static final Pattern VALUE = Pattern.compile(NAME);

	/**
	 * @throws InvalidRemedyParameter naming labelSelector, when it is not one
	 */
	public LabelSelector {
		text = parse(text);
	}

	/**
	 * @return the selector, or null when {@code value} is null or blank (no selector)
	 * @throws InvalidRemedyParameter naming labelSelector, when it is not one
	 */
	public static LabelSelector of(String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		return new LabelSelector(value);
	}

	/**
	 * For a query string: the canonical text URL-encoded (only letters, digits, % + . - _
	 * remain).
	 */
	public String urlEncoded() {
		return URLEncoder.encode(this.text, StandardCharsets.UTF_8);
	}

	static String parse(String value) {
		if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
			throw invalid("a label selector has 1-" + MAX_LENGTH + " characters");
		}
		if (!value.chars().allMatch((c) -> c >= 0x20 && c <= 0x7e)) {
			throw invalid("a label selector holds printable ASCII only: no line breaks, tabs or other characters");
		}
		List<String> requirements = new ArrayList<>();
		for (String part : splitTopLevel(value)) {
			requirements.add(requirement(part.strip())); // only spaces are left to strip
		}
		return String.join(",", requirements);
	}

	private static String requirement(String part) {
		Matcher set = SET.matcher(part);
		if (set.matches()) {
			List<String> values = new ArrayList<>();
			for (String item : set.group(3).split(",", -1)) {
				String v = item.strip();
				if (!VALUE.matcher(v).matches()) {
					throw invalid("each value of in (...) and notin (...) is a label value: up to 63 letters, digits,"
							+ " '-', '_' or '.', starting and ending with a letter or digit");
				}
				values.add(v);
			}
			return set.group(1) + " " + set.group(2) + " (" + String.join(",", values) + ")";
		}
		Matcher equality = EQUALITY.matcher(part);
		if (equality.matches() && nameFits(equality.group(1))) {
			String operator = equality.group(2).equals("==") ? "=" : equality.group(2);
			return equality.group(1) + operator + ((equality.group(3) != null) ? equality.group(3) : "");
		}
		Matcher exists = EXISTS.matcher(part);
		if (exists.matches() && nameFits(exists.group(2))) {
			return exists.group(1) + exists.group(2);
		}
		throw invalid("each comma-separated requirement is key=value, key!=value, key in (a,b), key notin (a,b),"
				+ " key or !key; keys are [prefix/]name with names of up to 63 letters, digits, '-', '_' or '.'");
	}

	/**
	 * The prefix of a key is at most 253 characters (the name's 63 are in the pattern).
	 */
	private static boolean nameFits(String key) {
		int slash = key.indexOf('/');
		return slash < 0 || slash <= 253;
	}

	/** Split on commas outside parentheses; unbalanced parentheses are refused. */
	private static List<String> splitTopLevel(String value) {
		List<String> parts = new ArrayList<>();
		int depth = 0;
		int start = 0;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '(') {
				depth++;
			}
			else if (c == ')') {
				depth--;
			}
			else if (c == ',' && depth == 0) {
				parts.add(value.substring(start, i));
				start = i + 1;
			}
			if (depth < 0 || depth > 1) {
				throw invalid("parentheses only around the values of in (...) and notin (...)");
			}
		}
		if (depth != 0) {
			throw invalid("parentheses only around the values of in (...) and notin (...)");
		}
		parts.add(value.substring(start));
		return parts;
	}

	private static InvalidRemedyParameter invalid(String message) {
		return new InvalidRemedyParameter("labelSelector", message);
	}

}
