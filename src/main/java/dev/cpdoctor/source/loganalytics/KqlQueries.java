package dev.cpdoctor.source.loganalytics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * The high-latency checklist as KQL (src/main/resources/kql/*.kql), in the form the AKS
 * guide documents and in a corrected form, over either table mode.
 * <p>
 * Placeholders are filled only with values of a known type rendered by this class:
 * datetime and timespan literals, bounded integers, a validated cluster resource id. The
 * user agent, text an attacker controls, reaches KQL only as
 * {@code base64_decode_tostring("...")}: the base64 alphabet cannot end the string
 * literal, so no user agent can change the query.
 */
public final class KqlQueries {

	public enum Question {

		TOP_USER_AGENTS("top-user-agents"), LATENCY("latency"), P99("p99");

		private final String file;

		Question(String file) {
			this.file = file;
		}

	}

	/**
	 * DOCUMENTED as the AKS troubleshooting guide writes it; CORRECTED counts and times
	 * requests right.
	 */
	public enum Form {

		DOCUMENTED, CORRECTED;

		String suffix() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	/** Where the cluster's diagnostic setting sends kube-audit. */
	public enum TableMode {

		AKS_AUDIT("events-aks-audit"), AZURE_DIAGNOSTICS("events-azure-diagnostics");

		private final String file;

		TableMode(String file) {
			this.file = file;
		}

	}

	/**
	 * What a question needs; unused values may be null.
	 *
	 * @param clusterResourceId the AKS cluster's Azure resource id, to filter a shared
	 * workspace; null for all
	 */
	public record Parameters(TimeWindow window, String clusterResourceId, int limit, int top, Duration bin,
			String userAgent) {

		public Parameters {
			Objects.requireNonNull(window, "window");
		}

		public static Parameters top(TimeWindow window, String clusterResourceId, int limit) {
			return new Parameters(window, clusterResourceId, limit, 0, null, null);
		}

		public static Parameters latency(TimeWindow window, String clusterResourceId, int top, Duration bin) {
			return new Parameters(window, clusterResourceId, 0, top, bin, null);
		}

		public static Parameters p99(TimeWindow window, String clusterResourceId, String userAgent) {
			return new Parameters(window, clusterResourceId, 0, 0, null, userAgent);
		}

	}

	static final int MAX_ROWS = 1_000;

	/**
	 * /subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}
	 */
	private static final Pattern RESOURCE_ID = Pattern.compile(
			"/subscriptions/[0-9a-fA-F-]{36}/resourcegroups/[-\\w.()]{1,90}/providers/microsoft\\.containerservice/managedclusters/[-\\w]{1,63}",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\w+)}}");

	private static final Map<String, String> TEMPLATES = new ConcurrentHashMap<>();

	private KqlQueries() {
	}

	public static String render(Question question, Form form, TableMode mode, Parameters parameters) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("from", datetime(parameters.window().from().toString()));
		values.put("to", datetime(parameters.window().to().toString()));
		values.put("clusterFilter", clusterFilter(parameters.clusterResourceId()));
		String events = fill(template(mode.file), values);
		values.put("events", events.strip());
		switch (question) {
			case TOP_USER_AGENTS -> values.put("limit", Integer.toString(bounded("limit", parameters.limit())));
			case LATENCY -> {
				values.put("top", Integer.toString(bounded("top", parameters.top())));
				values.put("bin", timespan(parameters.bin()));
			}
			case P99 -> values.put("userAgent", base64Literal(parameters.userAgent()));
		}
		return fill(template(question.file + "." + form.suffix()), values).strip() + "\n";
	}

	/** The query that finds which table holds a cluster's audit events in the window. */
	public static String detection(TimeWindow window, String clusterResourceId) {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("from", datetime(window.from().toString()));
		values.put("to", datetime(window.to().toString()));
		values.put("clusterFilter", clusterFilter(clusterResourceId).replace("\n", " "));
		return fill(template("detect-table-mode"), values).strip() + "\n";
	}

	/**
	 * The user agent as a KQL expression that evaluates to it and cannot change the
	 * query.
	 */
	static String base64Literal(String text) {
		Objects.requireNonNull(text, "userAgent");
		return "base64_decode_tostring(\"" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8))
				+ "\")";
	}

	private static String datetime(String isoInstant) {
		return "datetime(" + isoInstant + ")";
	}

	private static String timespan(Duration bin) {
		if (bin == null || bin.toMinutes() < 1 || !bin.equals(Duration.ofMinutes(bin.toMinutes()))) {
			throw new IllegalArgumentException("The bin must be a whole number of minutes, got " + bin);
		}
		return bin.toMinutes() + "m";
	}

	private static int bounded(String name, int value) {
		if (value < 1 || value > MAX_ROWS) {
			throw new IllegalArgumentException("'" + name + "' must be between 1 and " + MAX_ROWS + ", got " + value);
		}
		return value;
	}

	private static String clusterFilter(String resourceId) {
		if (resourceId == null || resourceId.isBlank()) {
			return "";
		}
		if (!RESOURCE_ID.matcher(resourceId).matches()) {
			throw new IllegalArgumentException("Not an AKS cluster resource id: " + resourceId
					+ " (expected /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>)");
		}
		return "\n| where _ResourceId =~ \"" + resourceId + "\"";
	}

	private static String fill(String template, Map<String, String> values) {
		Matcher m = PLACEHOLDER.matcher(template);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String value = values.get(m.group(1));
			if (value == null) {
				throw new IllegalStateException("No value for {{" + m.group(1) + "}}");
			}
			m.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		m.appendTail(out);
		return out.toString();
	}

	private static String template(String name) {
		return TEMPLATES.computeIfAbsent(name, (n) -> {
			try (InputStream in = KqlQueries.class.getResourceAsStream("/kql/" + n + ".kql")) {
				if (in == null) {
					throw new IllegalStateException("Missing KQL file kql/" + n + ".kql");
				}
				return new String(in.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

}
