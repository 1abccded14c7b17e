package dev.cpdoctor.web;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.troubleshoot.remedy.InvalidRemedyParameter;
import dev.cpdoctor.troubleshoot.remedy.LeakedResource;

/**
 * Builds the {@link ViewState} of a request from its query parameters. A bad parameter is
 * a 400 that says which one and why; an unknown cluster is a 404.
 */
final class ViewStateResolver implements HandlerMethodArgumentResolver {

	/**
	 * What a page shows when the URL names no window and the cluster has no default of
	 * its own.
	 */
	static final Duration DEFAULT_LAST = Duration.ofHours(1);

	private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,4})\\s*(m|min|h|d|w)");

	private final ClusterCatalog catalog;

	private final Function<Cluster, Optional<TimeWindow>> defaultWindows;

	private final Clock clock;

	ViewStateResolver(ClusterCatalog catalog, Function<Cluster, Optional<TimeWindow>> defaultWindows, Clock clock) {
		this.catalog = catalog;
		this.defaultWindows = defaultWindows;
		this.clock = clock;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType().equals(ViewState.class);
	}

	@Override
	public ViewState resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
			NativeWebRequest request, WebDataBinderFactory binderFactory) {
		return resolve(request.getParameter(ViewState.CLUSTER), request.getParameter(ViewState.FROM),
				request.getParameter(ViewState.TO), request.getParameter(ViewState.LAST),
				userAgent(request.getParameter(ViewState.USER_AGENT), request.getParameter(ViewState.NO_USER_AGENT)),
				request.getParameter(ViewState.FORM), request.getParameter(ViewState.NAMESPACE));
	}

	/**
	 * The user agent a page's URL selects: {@code ua}, or "" (requests without one) for
	 * {@code no-ua=1}; null for none, an empty {@code ua} included (what a form sends for
	 * an empty field).
	 */
	static String userAgent(String ua, String noUa) {
		boolean none = noUa != null && !noUa.isEmpty();
		if (none && !noUa.equals("1")) {
			throw badRequest("'" + ViewState.NO_USER_AGENT + "' must be 1 (the requests without a user agent)");
		}
		if (none && ua != null && !ua.isEmpty()) {
			throw badRequest(
					"Give either '" + ViewState.USER_AGENT + "' or '" + ViewState.NO_USER_AGENT + "', not both");
		}
		if (none) {
			return "";
		}
		return (ua == null || ua.isEmpty()) ? null : ua;
	}

	ViewState resolve(String clusterName, String from, String to, String last, String userAgent) {
		return resolve(clusterName, from, to, last, userAgent, null, null);
	}

	ViewState resolve(String clusterName, String from, String to, String last, String userAgent, String form) {
		return resolve(clusterName, from, to, last, userAgent, form, null);
	}

	/**
	 * @param userAgent the selected user agent: null for none, "" for the requests
	 * without one
	 * @param namespace the leak remedies' namespace: a DNS-1123 label, else a 400 naming
	 * 'namespace'
	 */
	ViewState resolve(String clusterName, String from, String to, String last, String userAgent, String form,
			String namespace) {
		ViewState view = resolveWindow(clusterName, from, to, last, userAgent, form);
		String chosen;
		try {
			chosen = LeakedResource.namespace(namespace); // strict: no trimming, "acme\n"
															// is refused
		}
		catch (InvalidRemedyParameter ex) {
			throw badRequest("'namespace': " + ex.rule());
		}
		return new ViewState(view.cluster(), view.window(), view.last(), view.userAgent(), view.documented(), chosen);
	}

	private ViewState resolveWindow(String clusterName, String from, String to, String last, String userAgent,
			String form) {
		boolean documented = documented(form);
		Cluster cluster = (clusterName == null || clusterName.isBlank())
				? this.catalog.defaultCluster()
					.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
							"No cluster is configured and the demo is turned off: configure cpdoctor.clusters"))
				: this.catalog.find(clusterName)
					.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
							"Unknown cluster '" + clusterName + "'"));
		boolean hasFrom = from != null && !from.isBlank();
		boolean hasTo = to != null && !to.isBlank();
		if (hasFrom || hasTo) {
			if (!hasFrom || !hasTo) {
				throw badRequest(
						"Give both 'from' and 'to' (ISO-8601 instants such as 2026-11-22T10:00:00Z), or 'last'");
			}
			return new ViewState(cluster, window(instant(ViewState.FROM, from), instant(ViewState.TO, to)), null,
					userAgent, documented);
		}
		if (last != null && !last.isBlank()) {
			Duration duration = duration(last);
			Instant now = now();
			return new ViewState(cluster, window(now.minus(duration), now), duration, userAgent, documented);
		}
		Optional<TimeWindow> clusterDefault = this.defaultWindows.apply(cluster);
		if (clusterDefault.isPresent()) {
			return new ViewState(cluster, clusterDefault.get(), null, userAgent, documented);
		}
		Instant now = now();
		return new ViewState(cluster, window(now.minus(DEFAULT_LAST), now), DEFAULT_LAST, userAgent, documented);
	}

	private static boolean documented(String form) {
		if (form == null || form.isBlank() || form.equals("corrected")) {
			return false;
		}
		if (form.equals(ViewState.DOCUMENTED)) {
			return true;
		}
		throw badRequest("'form' must be corrected or documented");
	}

	/**
	 * Windows are whole minutes, the resolution of the audit rollups: a window never
	 * counts part of a minute at one edge and misses part at the other. A relative window
	 * ends at the next whole minute, so "last 1 h" includes what arrived seconds ago.
	 */
	private Instant now() {
		Instant now = this.clock.instant();
		Instant floor = now.truncatedTo(ChronoUnit.MINUTES);
		return floor.equals(now) ? now : floor.plus(1, ChronoUnit.MINUTES);
	}

	private static Instant instant(String name, String value) {
		try {
			return Instant.parse(value.trim()).truncatedTo(ChronoUnit.MINUTES);
		}
		catch (DateTimeParseException ex) {
			throw badRequest("'" + name + "' must be an ISO-8601 instant such as 2026-11-22T10:00:00Z");
		}
	}

	/** ISO-8601 (PT1H, P7D) or the short forms of the window picker (15m, 1h, 7d, 2w). */
	static Duration duration(String value) {
		String text = value.trim().toLowerCase(Locale.ROOT);
		Duration duration;
		Matcher shortForm = SHORT_DURATION.matcher(text);
		if (shortForm.matches()) {
			long amount = Long.parseLong(shortForm.group(1));
			duration = switch (shortForm.group(2)) {
				case "m", "min" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				case "d" -> Duration.ofDays(amount);
				default -> Duration.ofDays(7 * amount);
			};
		}
		else {
			try {
				duration = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
			}
			catch (DateTimeParseException ex) {
				throw badRequest("'last' must be a duration such as 1h, 6h, 7d or PT1H");
			}
		}
		if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
			throw badRequest("'last' must be at least one minute");
		}
		if (duration.compareTo(TimeWindow.MAX_LENGTH) > 0) {
			throw badRequest("'last' must be at most " + TimeWindow.MAX_LENGTH.toDays() + " days");
		}
		return duration.truncatedTo(ChronoUnit.MINUTES);
	}

	private static TimeWindow window(Instant from, Instant to) {
		try {
			return new TimeWindow(from, to);
		}
		catch (IllegalArgumentException ex) {
			throw badRequest(ex.getMessage());
		}
	}

	private static ResponseStatusException badRequest(String reason) {
		return new ResponseStatusException(HttpStatus.BAD_REQUEST, reason);
	}

}
