package dev.cpdoctor.web;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's requests without a user agent (a script of its audit day sends none): shown
 * as "(no user agent)", linked with no-ua=1, and drilled into like any other client.
 */
class NoUserAgentPagesTests extends AbstractEndToEndTests {

	private static final Pattern LINK = Pattern
		.compile("<a href=\"([^\"]*[?&amp;]no-ua=1[^\"]*)\"[^>]*>\\(no user agent\\)</a>");

	private static final Pattern ROW = Pattern.compile(
			"<tr>\\s*<td>([^<]+)</td>\\s*<td>([^<]+)</td>\\s*<td class=\"num\">[^<]*</td>\\s*<td class=\"num\">([^<]+)</td>");

	@Test
	void theDemosRequestsWithoutAUserAgentAreShownAndDrilledInto() throws Exception {
		long requests = 0;
		for (JsonNode row : json("/api/v1/clusters/demo/audit/top-user-agents?limit=20")) {
			if (row.get("userAgent").asString().isEmpty()) {
				requests = row.get("requests").asLong();
			}
		}
		assertThat(requests).as("the demo's client without a user agent").isPositive();

		String page = get("/audit?cluster=demo").body();
		Matcher link = LINK.matcher(page);
		assertThat(link.find()).as("a link to the requests without a user agent").isTrue();
		String drillDown = link.group(1).replace("&amp;", "&");
		assertThat(drillDown).startsWith("/audit?cluster=demo&from=").doesNotContain("ua=&").doesNotEndWith("ua=");
		assertThat(page).contains("data-top=\"{&quot;labels&quot;:").contains("&quot;(no user agent)&quot;");

		String selected = get(drillDown).body();
		assertThat(selected).contains("<code id=\"selected-ua\" class=\"ua-none\">(no user agent)</code>")
			.contains("id=\"p99-table\"");
		Matcher rows = ROW.matcher(selected.substring(selected.indexOf("id=\"p99-table\"")));
		List<String> calls = new ArrayList<>();
		long counted = 0;
		while (rows.find()) {
			calls.add(rows.group(1) + " " + rows.group(2));
			counted += Long.parseLong(rows.group(3).replace(",", ""));
		}
		assertThat(calls).containsExactlyInAnyOrder("get secrets", "list namespaces");
		assertThat(counted).isEqualTo(requests);

		// The JSON API keeps the raw value: an empty userAgent asks for the same rows.
		JsonNode p99 = json("/api/v1/clusters/demo/audit/p99?userAgent=");
		assertThat(p99).extracting((row) -> row.get("verb").asString() + " " + row.get("resource").asString())
			.containsExactlyInAnyOrderElementsOf(calls);
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return get(path, "Accept", "text/html");
	}

}
