package dev.cpdoctor.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

import dev.cpdoctor.support.Durations;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;

/**
 * Everything a page shows depends on, and all of it lives in the URL: cluster, window
 * (absolute from/to, or a relative "last" resolved to instants when the page was
 * rendered) and the selected user agent. {@link #permalink(String)} always carries the
 * absolute window, so a link pasted in an incident channel shows the same data next week.
 *
 * @param cluster the cluster shown
 * @param window the absolute window shown
 * @param last the relative choice the window came from, or null when the URL named
 * from/to
 * @param userAgent the selected user agent: null for none, "" for requests without one
 * (in the URL {@code no-ua=1}, as an empty {@code ua} means none picked)
 * @param documented show the audit questions as the AKS guide documents them instead of
 * corrected (Log Analytics clusters; other sources compute the corrected form only)
 * @param namespace the namespace the leak remedies (cause 2) act on, validated as a
 * DNS-1123 label by the resolver; null for none (the remedies then carry a marked
 * placeholder)
 */
public record ViewState(Cluster cluster, TimeWindow window, Duration last, String userAgent, boolean documented,
		String namespace) {

	public static final String CLUSTER = "cluster";

	public static final String FROM = "from";

	public static final String TO = "to";

	public static final String LAST = "last";

	public static final String USER_AGENT = "ua";

	/**
	 * Selects the requests without a user agent ({@code no-ua=1}): a parameter of its
	 * own, so that a link to them means the same next week and a client that calls itself
	 * anything at all stays apart.
	 */
	public static final String NO_USER_AGENT = "no-ua";

	public static final String FORM = "form";

	public static final String DOCUMENTED = "documented";

	public static final String NAMESPACE = "namespace";

	public ViewState {
		Objects.requireNonNull(cluster, "cluster");
		Objects.requireNonNull(window, "window");
		namespace = (namespace == null || namespace.isEmpty()) ? null : namespace;
	}

	public ViewState(Cluster cluster, TimeWindow window, Duration last, String userAgent, boolean documented) {
		this(cluster, window, last, userAgent, documented, null);
	}

	public boolean isRelative() {
		return this.last != null;
	}

	/** A link to another page that keeps this state; a relative window stays relative. */
	public String link(String path) {
		return path + query(params(!isRelative(), true));
	}

	/**
	 * A link to the same state with another user agent selected (null clears it); the
	 * namespace stays.
	 */
	public String linkWithUserAgent(String path, String userAgent) {
		Map<String, String> params = params(!isRelative(), false);
		params.putAll(userAgentParams(userAgent));
		if (this.namespace != null) {
			params.put(NAMESPACE, this.namespace);
		}
		return path + query(params);
	}

	/** The same view in the other form of the audit questions. */
	public String linkWithForm(String path, boolean documented) {
		return new ViewState(this.cluster, this.window, this.last, this.userAgent, documented, this.namespace)
			.link(path);
	}

	/**
	 * What a GET form on the page must send besides its own fields to keep this state
	 * (the window as the URL gave it), without the namespace: the namespace form sets
	 * that one.
	 */
	public Map<String, String> formFields() {
		Map<String, String> params = params(!isRelative(), true);
		params.remove(NAMESPACE);
		return params;
	}

	/**
	 * The parameter that selects this view's user agent, for a GET form to send; empty
	 * when none is selected.
	 */
	public Map<String, String> userAgentFields() {
		return userAgentParams(this.userAgent);
	}

	/**
	 * What selects a user agent in a URL: {@code ua=...}, {@code no-ua=1} for requests
	 * without one, nothing for none selected.
	 */
	private static Map<String, String> userAgentParams(String userAgent) {
		if (userAgent == null) {
			return Map.of();
		}
		return userAgent.isEmpty() ? Map.of(NO_USER_AGENT, "1") : Map.of(USER_AGENT, userAgent);
	}

	/** The same view without a chosen namespace. */
	public String linkWithoutNamespace(String path) {
		return new ViewState(this.cluster, this.window, this.last, this.userAgent, this.documented, null).link(path);
	}

	/**
	 * A link to another cluster over the same window; the user agent and the namespace
	 * belong to this cluster and are dropped.
	 */
	public String linkWithCluster(String path, String clusterName) {
		Map<String, String> params = params(!isRelative(), false);
		params.put(CLUSTER, clusterName);
		return path + query(params);
	}

	/** A link with another relative window, same cluster and user agent. */
	public String linkWithLast(String path, Duration last) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put(CLUSTER, this.cluster.name());
		params.put(LAST, last.toString());
		params.putAll(userAgentParams(this.userAgent));
		if (this.documented) {
			params.put(FORM, DOCUMENTED);
		}
		if (this.namespace != null) {
			params.put(NAMESPACE, this.namespace);
		}
		return path + query(params);
	}

	/**
	 * The link that shows exactly this page next week: absolute from/to, never "last".
	 */
	public String permalink(String path) {
		return path + query(params(true, true));
	}

	/** "1 h", "6 h", "7 d" for the window picker. */
	public static String describe(Duration duration) {
		return Durations.describe(duration);
	}

	public String fromText() {
		return DateTimeFormatter.ISO_INSTANT.format(this.window.from().truncatedTo(ChronoUnit.SECONDS));
	}

	public String toText() {
		return DateTimeFormatter.ISO_INSTANT.format(this.window.to().truncatedTo(ChronoUnit.SECONDS));
	}

	/**
	 * @param withUserAgent also the user agent and the namespace (links that keep the
	 * selection)
	 */
	private Map<String, String> params(boolean absolute, boolean withUserAgent) {
		Map<String, String> params = new LinkedHashMap<>();
		params.put(CLUSTER, this.cluster.name());
		if (absolute) {
			params.put(FROM, this.window.from().toString());
			params.put(TO, this.window.to().toString());
		}
		else {
			params.put(LAST, this.last.toString());
		}
		if (withUserAgent) {
			params.putAll(userAgentParams(this.userAgent));
		}
		if (this.documented) {
			params.put(FORM, DOCUMENTED);
		}
		if (withUserAgent && this.namespace != null) {
			params.put(NAMESPACE, this.namespace);
		}
		return params;
	}

	/**
	 * Encoded as a form would be ('+' for space, '%2B' for '+'), which is how the servlet
	 * decodes it.
	 */
	private static String query(Map<String, String> params) {
		StringJoiner joiner = new StringJoiner("&", "?", "");
		params.forEach((name, value) -> joiner.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
		return joiner.toString();
	}

}
