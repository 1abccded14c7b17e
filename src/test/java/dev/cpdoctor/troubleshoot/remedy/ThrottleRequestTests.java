package dev.cpdoctor.troubleshoot.remedy;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest.Parsed;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest.Query;

import static org.assertj.core.api.Assertions.assertThat;

class ThrottleRequestTests {

	/**
	 * What the endpoint's parameters read as: serviceAccount, user, group, verbs,
	 * resources, apiGroups, shares.
	 */
	private static Parsed parse(String serviceAccount, String user, String group, String verbs, String resources,
			String apiGroups, String shares) {
		return new Query(serviceAccount, user, group, verbs, resources, apiGroups, shares).parse();
	}

	private static ThrottleRequest ok(Parsed parsed) {
		assertThat(parsed).isInstanceOf(Parsed.Ok.class);
		return ((Parsed.Ok) parsed).request();
	}

	private static Parsed.Invalid invalid(Parsed parsed) {
		assertThat(parsed).isInstanceOf(Parsed.Invalid.class);
		return (Parsed.Invalid) parsed;
	}

	@Test
	void aServiceAccountListingPodsWithTheDefaults() {
		ThrottleRequest request = ok(parse("acme/inventory-controller", null, null, "list", "pods", null, null));
		assertThat(request.subject())
			.isEqualTo(new ApfSubject(ApfSubject.Kind.SERVICE_ACCOUNT, "acme", "inventory-controller"));
		assertThat(request.verbs()).containsExactly("list");
		assertThat(request.apiGroups()).as("the core group by default").containsExactly("");
		assertThat(request.resources()).containsExactly("pods");
		assertThat(request.shares()).isEqualTo(ThrottleRequest.DEFAULT_SHARES).isEqualTo(1);
	}

	@Test
	void listsAreCommaSeparatedWithSpacesDroppedDuplicatesMergedAndTheCoreGroupEmpty() {
		ThrottleRequest request = ok(
				parse(null, null, "system:serviceaccounts:ci", " list , watch,list", "pods,pods/log", ",apps", "5"));
		assertThat(request.subject().kind()).isEqualTo(ApfSubject.Kind.GROUP);
		assertThat(request.verbs()).containsExactly("list", "watch");
		assertThat(request.apiGroups()).containsExactly("", "apps");
		assertThat(request.resources()).containsExactly("pods", "pods/log");
		assertThat(request.shares()).isEqualTo(5);
		assertThat(ok(parse(null, "alice@example.com", null, "*", "*", "*", "100")).verbs()).containsExactly("*");
	}

	@Test
	void realUserNamesAreAccepted() {
		for (String user : List.of("system:serviceaccount:acme:inventory-controller", "alice@example.com",
				"arn:aws:iam::123456789012:role/ci-runner", "https://sts.windows.net/tenant/#4a1b", "kubernetes-admin",
				"3f1c2d4e-aaaa-bbbb-cccc-0123456789ab")) {
			assertThat(ok(parse(null, user, null, "list", "pods", null, null)).subject().name()).isEqualTo(user);
		}
	}

	@Test
	void exactlyOneSubject() {
		assertThat(invalid(parse(null, null, null, "list", "pods", null, null)).parameter())
			.isEqualTo("serviceAccount, user, group");
		assertThat(invalid(parse("acme/x", "alice", null, "list", "pods", null, null)).message())
			.contains("exactly one subject");
	}

	@ParameterizedTest
	@ValueSource(strings = { "acme", "acme/", "/x", "acme/x/y", "Acme/x", "acme/X", "-acme/x", "acme/x-", "a_b/x",
			"acme/x\ny", "acme/x: y", "acme/\"x\"", "acme/{x}", "acme/x#y", "acme/<b>x</b>",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/x" })
	void serviceAccountsFollowKubernetesNameRules(String value) {
		Parsed.Invalid invalid = invalid(parse(value, null, null, "list", "pods", null, null));
		assertThat(invalid.parameter()).isEqualTo("serviceAccount");
		assertThat(invalid.message()).as("one printable line, the value not echoed").matches("[ -~]+");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "*", "alice bob", "alice\nkind: Secret", "alice\r", "al\"ice", "al'ice", "{alice}",
			"[alice]", "<script>alert(1)</script>", "alice\u2028", "alice\u0085", "al\u00efce", "al\tice", "alice&bob",
			"alice,bob", "alice|bob", "alice!", "%00" })
	void hostileUserAndGroupNamesAreRefused(String value) {
		assertThat(invalid(parse(null, value, null, "list", "pods", null, null)).parameter()).isEqualTo("user");
		assertThat(invalid(parse(null, null, value, "list", "pods", null, null)).parameter()).isEqualTo("group");
	}

	@Test
	void userNamesAreAtMost253Characters() {
		assertThat(parse(null, "u".repeat(253), null, "list", "pods", null, null)).isInstanceOf(Parsed.Ok.class);
		assertThat(invalid(parse(null, "u".repeat(254), null, "list", "pods", null, null)).parameter())
			.isEqualTo("user");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "lsit", "LIST", "list,", "list,,watch", "list,*", "list\n", "list\u2028", "proxy",
			"list;watch", "list watch" })
	void verbsComeFromTheKnownSet(String verbs) {
		assertThat(invalid(parse("acme/x", null, null, verbs, "pods", null, null)).parameter()).isEqualTo("verbs");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Pods", "pods/", "/log", "pods/log/x", "pods,*", "pods\n- secrets", "pods: {}",
			"pods#", "'pods'", "po ds", "pods.v1" })
	void resourcesAreLowerCaseNamesWithAnOptionalSubresource(String resources) {
		assertThat(invalid(parse("acme/x", null, null, "list", resources, null, null)).parameter())
			.isEqualTo("resources");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Apps", "apps,*", "apps/v1", "-apps", "apps.", "apps\n", "apps: x" })
	void apiGroupsAreDnsSubdomainsOrEmpty(String groups) {
		assertThat(invalid(parse("acme/x", null, null, "list", "pods", groups, null)).parameter())
			.isEqualTo("apiGroups");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "101", "-1", "+5", "five", "1.5", "", " 5", "\u0665", "99999999999" })
	void sharesAreAWholeNumberWithinBounds(String shares) {
		Parsed.Invalid invalid = invalid(parse("acme/x", null, null, "list", "pods", null, shares));
		assertThat(invalid.parameter()).isEqualTo("shares");
		assertThat(invalid.message()).contains("between 1 and 100");
	}

	@Test
	void requiredListsAreNamed() {
		assertThat(invalid(parse("acme/x", null, null, null, "pods", null, null)).parameter()).isEqualTo("verbs");
		assertThat(invalid(parse("acme/x", null, null, "list", null, null, null)).parameter()).isEqualTo("resources");
	}

	@Test
	void tooManyEntriesAreRefused() {
		String many = String.join(",", IntStream.range(0, 33).mapToObj((i) -> "r" + i).toList());
		assertThat(invalid(parse("acme/x", null, null, "list", many, null, null)).message()).contains("at most 32");
	}

}
