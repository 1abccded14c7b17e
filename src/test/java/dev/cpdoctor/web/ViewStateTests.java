package dev.cpdoctor.web;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ViewStateTests {

	private static final Instant NOW = Instant.parse("2026-11-22T10:15:30.250Z");

	private static final TimeWindow DEMO_WINDOW = new TimeWindow(Instant.parse("2026-11-21T22:00:00Z"),
			Instant.parse("2026-11-22T10:00:00Z"));

	private final Cluster demo = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "built-in");

	private final Cluster lab = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null,
			"configuration");

	private final ViewStateResolver resolver = new ViewStateResolver(new ClusterCatalog(List.of(this.lab, this.demo)),
			(cluster) -> cluster.isDemo() ? Optional.of(DEMO_WINDOW) : Optional.empty(),
			Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void absoluteWindowsAreWholeMinutesLikeTheRollups() {
		ViewState view = this.resolver.resolve("lab", "2026-11-20T08:00:30Z", "2026-11-20T09:00:59.9Z", null, null);
		assertThat(view.window())
			.isEqualTo(new TimeWindow(Instant.parse("2026-11-20T08:00:00Z"), Instant.parse("2026-11-20T09:00:00Z")));
	}

	@Test
	void absoluteWindowIsKeptAsGiven() {
		ViewState view = this.resolver.resolve("lab", "2026-11-20T08:00:00Z", "2026-11-20T09:30:00Z", "1h", null);
		assertThat(view.window())
			.isEqualTo(new TimeWindow(Instant.parse("2026-11-20T08:00:00Z"), Instant.parse("2026-11-20T09:30:00Z")));
		assertThat(view.isRelative()).isFalse();
	}

	@Test
	void relativeWindowResolvesAgainstTheClockToWholeMinutes() {
		ViewState view = this.resolver.resolve("lab", null, null, "6h", null);
		assertThat(view.window().to()).as("up to the next whole minute, so nothing recent is left out")
			.isEqualTo(Instant.parse("2026-11-22T10:16:00Z"));
		assertThat(view.window().length()).isEqualTo(Duration.ofHours(6));
		assertThat(view.last()).isEqualTo(Duration.ofHours(6));
	}

	@Test
	void noWindowMeansTheClusterDefaultOrTheLastHour() {
		assertThat(this.resolver.resolve("demo", null, null, null, null).window()).isEqualTo(DEMO_WINDOW);
		ViewState lab = this.resolver.resolve("lab", null, null, null, null);
		assertThat(lab.last()).isEqualTo(Duration.ofHours(1));
		assertThat(this.resolver.resolve(null, null, null, null, null).cluster()).isEqualTo(this.lab);
	}

	@Test
	void durationsInShortAndIsoForms() {
		assertThat(ViewStateResolver.duration("15m")).isEqualTo(Duration.ofMinutes(15));
		assertThat(ViewStateResolver.duration("1H")).isEqualTo(Duration.ofHours(1));
		assertThat(ViewStateResolver.duration("7d")).isEqualTo(Duration.ofDays(7));
		assertThat(ViewStateResolver.duration("2w")).isEqualTo(Duration.ofDays(14));
		assertThat(ViewStateResolver.duration("PT6H")).isEqualTo(Duration.ofHours(6));
		assertThat(ViewStateResolver.duration("p1d")).isEqualTo(Duration.ofDays(1));
	}

	@Test
	void badParametersAre400sThatSayWhy() {
		assertBadRequest(() -> this.resolver.resolve("lab", "2026-11-20T08:00:00Z", null, null, null),
				"both 'from' and 'to'");
		assertBadRequest(() -> this.resolver.resolve("lab", "monday", "2026-11-20T08:00:00Z", null, null), "ISO-8601");
		assertBadRequest(() -> this.resolver.resolve("lab", null, null, "soon", null), "'last' must be a duration");
		assertBadRequest(() -> this.resolver.resolve("lab", null, null, "PT10S", null), "at least one minute");
		assertBadRequest(() -> this.resolver.resolve("lab", "2026-11-20T08:00:00Z", "2026-11-20T07:00:00Z", null, null),
				"must end after it starts");
		assertBadRequest(() -> this.resolver.resolve("lab", "2020-01-01T00:00:00Z", "2026-01-01T00:00:00Z", null, null),
				"longer than");
		assertBadRequest(() -> this.resolver.resolve("lab", null, null, "PT2562047788015215H", null), "'last' must");
		assertBadRequest(() -> this.resolver.resolve("lab", null, null, "9999d", null), "at most 400 days");
		assertBadRequest(() -> this.resolver.resolve("lab", "+1000000000-01-01T00:00:00Z",
				"+1000000000-01-02T00:00:00Z", null, null), "is not between");
		assertBadRequest(() -> this.resolver.resolve("lab", "2026-11-20T08:00:10Z", "2026-11-20T08:00:50Z", null, null),
				"must end after it starts");
		assertThatThrownBy(() -> this.resolver.resolve("prod", null, null, null, null))
			.isInstanceOfSatisfying(ResponseStatusException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND))
			.hasMessageContaining("Unknown cluster 'prod'");
	}

	@Test
	void hostileUserAgentsSurviveTheRoundTripThroughLinks() {
		for (String ua : new String[] { "<img src=x onerror=alert(1)>", "a+b c&d=e#f", "'; drop table x; --",
				"\" | where 1==1 //", "line\nbreak\\back", "ünïcødé/1.0 (日本)", "{x}%20%" }) {
			ViewState view = this.resolver.resolve("lab", null, null, "1h", ua);
			assertThat(query(view.link("/audit"))).containsEntry("ua", ua).containsEntry("last", "PT1H");
			assertThat(query(view.permalink("/audit"))).containsEntry("ua", ua).doesNotContainKey("last");
			assertThat(query(view.linkWithUserAgent("/audit", ua))).containsEntry("ua", ua);
			assertThat(view.link("/audit")).doesNotContain("<", ">", "\"", " ", "\n");
		}
	}

	/**
	 * Requests without a user agent are selected by no-ua=1 in every link, the permalink
	 * included; an empty ua still means none selected, and a client named like the label
	 * stays a ua of its own.
	 */
	@Test
	void requestsWithoutAUserAgentHaveALinkOfTheirOwn() {
		assertThat(ViewStateResolver.userAgent(null, "1")).isEmpty();
		assertThat(ViewStateResolver.userAgent("", "1")).isEmpty();
		assertThat(ViewStateResolver.userAgent("", null)).isNull();
		assertThat(ViewStateResolver.userAgent(null, "")).isNull();
		assertThat(ViewStateResolver.userAgent("(no user agent)", null)).isEqualTo("(no user agent)");
		assertBadRequest(() -> ViewStateResolver.userAgent(null, "true"), "'no-ua' must be 1");
		assertBadRequest(() -> ViewStateResolver.userAgent("kubectl", "1"), "either 'ua' or 'no-ua'");

		ViewState none = this.resolver.resolve("lab", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", null, "");
		assertThat(none.userAgent()).isEmpty();
		for (String link : List.of(none.permalink("/audit"), none.link("/etcd"),
				none.linkWithLast("/audit", Duration.ofHours(6)))) {
			assertThat(query(link)).as(link).containsEntry("no-ua", "1").doesNotContainKey("ua");
		}
		assertThat(none.userAgentFields()).containsExactly(Map.entry("no-ua", "1"));
		assertThat(none.formFields()).containsEntry("no-ua", "1").doesNotContainKey("ua");
		assertThat(query(none.linkWithUserAgent("/audit", "kubectl"))).containsEntry("ua", "kubectl")
			.doesNotContainKey("no-ua");
		assertThat(query(none.linkWithUserAgent("/audit", null))).doesNotContainKeys("ua", "no-ua");

		ViewState literal = this.resolver.resolve("lab", null, null, "1h", "(no user agent)");
		assertThat(query(literal.link("/audit"))).containsEntry("ua", "(no user agent)").doesNotContainKey("no-ua");
		assertThat(query(literal.linkWithUserAgent("/audit", ""))).containsEntry("no-ua", "1").doesNotContainKey("ua");
		ViewState nothing = this.resolver.resolve("lab", null, null, "1h", null);
		assertThat(nothing.userAgentFields()).isEmpty();
	}

	@Test
	void permalinkIsAbsoluteAndLinksKeepTheirKind() {
		ViewState relative = this.resolver.resolve("lab", null, null, "1h", null);
		assertThat(query(relative.permalink("/etcd"))).containsEntry("from", "2026-11-22T09:16:00Z")
			.containsEntry("to", "2026-11-22T10:16:00Z")
			.containsEntry("cluster", "lab");
		assertThat(query(relative.linkWithLast("/etcd", Duration.ofDays(7)))).containsEntry("last", "PT168H");
		ViewState absolute = this.resolver.resolve("lab", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", null, "x");
		assertThat(absolute.link("/audit")).isEqualTo(absolute.permalink("/audit"));
		assertThat(query(absolute.linkWithUserAgent("/audit", null))).doesNotContainKey("ua");
	}

	private static void assertBadRequest(Runnable call, String message) {
		assertThatThrownBy(call::run)
			.isInstanceOfSatisfying(ResponseStatusException.class,
					(ex) -> assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST))
			.hasMessageContaining(message);
	}

	private static Map<String, String> query(String link) {
		Map<String, String> params = new HashMap<>();
		for (String pair : URI.create(link).getRawQuery().split("&")) {
			int eq = pair.indexOf('=');
			params.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return params;
	}

	@Test
	void theNamespaceIsKeptInLinksAndPermalinksButNotAcrossClusters() {
		ViewState view = this.resolver.resolve("lab", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z", null,
				"kubectl/v1.30", null, "team-a");
		assertThat(view.namespace()).isEqualTo("team-a");
		String window = "from=2026-11-20T08%3A00%3A00Z&to=2026-11-20T09%3A00%3A00Z";
		assertThat(view.permalink("/troubleshoot/timeouts"))
			.isEqualTo("/troubleshoot/timeouts?cluster=lab&" + window + "&ua=kubectl%2Fv1.30&namespace=team-a");
		assertThat(view.link("/etcd")).endsWith("&namespace=team-a");
		assertThat(view.linkWithUserAgent("/audit", null))
			.isEqualTo("/audit?cluster=lab&" + window + "&namespace=team-a");
		assertThat(view.linkWithCluster("/etcd", "demo")).doesNotContain("namespace");
		assertThat(view.linkWithLast("/etcd", Duration.ofHours(6)))
			.isEqualTo("/etcd?cluster=lab&last=PT6H&ua=kubectl%2Fv1.30" + "&namespace=team-a");
		assertThat(view.linkWithoutNamespace("/troubleshoot/timeouts")).doesNotContain("namespace");
		assertThat(view.formFields()).containsOnlyKeys("cluster", "from", "to", "ua");
		assertThat(this.resolver.resolve("lab", null, null, "1h", null, null, "").namespace()).isNull();
	}

	@Test
	void aBadNamespaceIs400NamingIt() {
		for (String bad : List.of("a'b", "$(id)", "team-a\n", " team-a", "Team", "a_b", "a.b", "<b>", "a".repeat(64))) {
			assertThatThrownBy(() -> this.resolver.resolve("lab", null, null, "1h", null, null, bad)).as(bad)
				.isInstanceOfSatisfying(ResponseStatusException.class, (ex) -> {
					assertThat(ex.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
					assertThat(ex.getReason()).startsWith("'namespace': a namespace is a DNS-1123 label")
						.doesNotContain(bad);
				});
		}
	}

}
