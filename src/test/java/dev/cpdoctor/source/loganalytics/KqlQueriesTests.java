package dev.cpdoctor.source.loganalytics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.source.loganalytics.KqlQueries.Form;
import dev.cpdoctor.source.loganalytics.KqlQueries.Parameters;
import dev.cpdoctor.source.loganalytics.KqlQueries.Question;
import dev.cpdoctor.source.loganalytics.KqlQueries.TableMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KqlQueriesTests {

	private static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-22T07:00:00Z"),
			Instant.parse("2026-11-22T19:00:00Z"));

	private static final String CLUSTER = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-prod"
			+ "/providers/Microsoft.ContainerService/managedClusters/prod-weu";

	@Test
	void everyQuestionFormAndTableModeRendersCompletely() {
		for (Question question : Question.values()) {
			for (Form form : Form.values()) {
				for (TableMode mode : TableMode.values()) {
					String kql = KqlQueries.render(question, form, mode, parameters(question, "kubectl/v1.30.2"));
					assertThat(kql).as("%s %s %s", question, form, mode)
						.doesNotContain("{{")
						.contains("datetime(2026-11-22T07:00:00Z)")
						.contains("datetime(2026-11-22T19:00:00Z)")
						.contains("_ResourceId =~ \"" + CLUSTER + "\"")
						.contains((mode == TableMode.AKS_AUDIT) ? "AKSAudit" : "Category == \"kube-audit\"");
					assertThat(balancedQuotes(kql)).as("string literals closed").isTrue();
				}
			}
		}
	}

	@Test
	void theCorrectedFormsCountEachRequestOnceAndTimeOnlyCompletedNonLongRunningRequests() {
		String top = KqlQueries.render(Question.TOP_USER_AGENTS, Form.CORRECTED, TableMode.AKS_AUDIT,
				parameters(Question.TOP_USER_AGENTS, null));
		assertThat(top).contains("summarize by AuditId, UserAgent").contains("top 10 by requests desc");
		String latency = KqlQueries.render(Question.LATENCY, Form.CORRECTED, TableMode.AKS_AUDIT,
				parameters(Question.LATENCY, null));
		assertThat(latency).contains("arg_max(TimeGenerated, *) by AuditId")
			.contains("Stage == \"ResponseComplete\"")
			.contains("Verb == \"watch\"")
			.contains("bin_at(RequestReceivedTime, 5m, datetime(2026-11-22T07:00:00Z))")
			.contains("top 8 by count_ desc");
		String documented = KqlQueries.render(Question.LATENCY, Form.DOCUMENTED, TableMode.AKS_AUDIT,
				parameters(Question.LATENCY, null));
		assertThat(withoutComments(documented)).doesNotContain("ResponseComplete").doesNotContain("watch");
	}

	/**
	 * The empty user agent (requests without one) is matched, whether the table holds the
	 * missing value as an empty string or as null.
	 */
	@Test
	void theP99OfRequestsWithoutAUserAgentMatchesTheEmptyValue() {
		for (Form form : Form.values()) {
			for (TableMode mode : TableMode.values()) {
				String kql = KqlQueries.render(Question.P99, form, mode, parameters(Question.P99, ""));
				assertThat(kql).contains("let ua = base64_decode_tostring(\"\");")
					.contains("| where UserAgent == ua or (isempty(ua) and isempty(UserAgent))");
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "\"; AKSAudit | take 1000000 //", "x\" | where 1 == 1 | project UserAgent=\"",
			"line\nbreak | evaluate bag_unpack(x)", "back\\slash\\\"", "// comment marker /* */",
			"ünïcødé 日本 \u0000 \uD83D\uDE00", "<img src=x onerror=alert(1)>", "' or '1'=='1", "{{events}} {{from}}",
			"$(curl evil) `id`" })
	void hostileUserAgentsReachKqlOnlyAsABase64Literal(String ua) {
		for (Form form : Form.values()) {
			for (TableMode mode : TableMode.values()) {
				String kql = KqlQueries.render(Question.P99, form, mode, parameters(Question.P99, ua));
				Matcher literal = Pattern.compile("let ua = base64_decode_tostring\\(\"([A-Za-z0-9+/=]*)\"\\);")
					.matcher(kql);
				assertThat(literal.find()).as(kql).isTrue();
				assertThat(new String(Base64.getDecoder().decode(literal.group(1)), StandardCharsets.UTF_8))
					.isEqualTo(ua);
				// The rest of the query is the template: the text of the user agent
				// appears nowhere.
				String withoutLiteral = kql.replace(literal.group(0), "");
				assertThat(withoutLiteral).doesNotContain(ua);
				assertThat(balancedQuotes(kql)).isTrue();
				assertThat(kql).doesNotContain("{{");
			}
		}
	}

	@Test
	void onlyValuesOfTheirTypeAreAccepted() {
		assertThatThrownBy(() -> KqlQueries.render(Question.TOP_USER_AGENTS, Form.CORRECTED, TableMode.AKS_AUDIT,
				Parameters.top(WINDOW, "/subscriptions/x\" | take 1", 10)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("Not an AKS cluster resource id");
		assertThatThrownBy(() -> KqlQueries.render(Question.TOP_USER_AGENTS, Form.CORRECTED, TableMode.AKS_AUDIT,
				Parameters.top(WINDOW, null, 0)))
			.hasMessageContaining("'limit' must be between 1 and 1000");
		assertThatThrownBy(() -> KqlQueries.render(Question.LATENCY, Form.CORRECTED, TableMode.AKS_AUDIT,
				Parameters.latency(WINDOW, null, 8, Duration.ofSeconds(90))))
			.hasMessageContaining("whole number of minutes");
		String all = KqlQueries.render(Question.TOP_USER_AGENTS, Form.CORRECTED, TableMode.AKS_AUDIT,
				Parameters.top(WINDOW, null, 10));
		assertThat(all).doesNotContain("_ResourceId");
	}

	private static Parameters parameters(Question question, String userAgent) {
		return switch (question) {
			case TOP_USER_AGENTS -> Parameters.top(WINDOW, CLUSTER, 10);
			case LATENCY -> Parameters.latency(WINDOW, CLUSTER, 8, Duration.ofMinutes(5));
			case P99 -> Parameters.p99(WINDOW, CLUSTER, (userAgent != null) ? userAgent : "kubectl");
		};
	}

	private static String withoutComments(String kql) {
		return String.join("\n", kql.lines().filter((line) -> !line.strip().startsWith("//")).toList());
	}

	/**
	 * Outside // comments, double quotes come in pairs (KQL string literals here never
	 * hold a quote).
	 */
	private static boolean balancedQuotes(String kql) {
		long quotes = kql.lines()
			.map((line) -> line.contains("//") && !line.contains("\"//") ? line.substring(0, line.indexOf("//")) : line)
			.mapToLong((line) -> line.chars().filter((c) -> c == '"').count())
			.sum();
		return quotes % 2 == 0;
	}

}
