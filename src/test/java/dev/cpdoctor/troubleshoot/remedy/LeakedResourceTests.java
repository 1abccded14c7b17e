package dev.cpdoctor.troubleshoot.remedy;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.cpdoctor.analysis.etcd.ObjectCount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every part of a leaked resource checked against Kubernetes' grammar; hostile text
 * refused with the parameter named.
 */
class LeakedResourceTests {

	/**
	 * What a client could try to break out of shell quoting, a URL or a YAML comment
	 * with.
	 */
	static final String[] HOSTILE = { "$(reboot)", "`reboot`", "a'b", "a\"b", "a;b", "a b", "a\nb", "a\rb", "a\tb",
			"a&b", "a|b", "a>b", "a<b", "a\\b", "a$b", "a#b", "a*b", "a?b", "a%0ab", "a\u2028b", "a\u0085b", "\u00e4",
			"../x", "a/b", "A", "-a", "a-", "" };

	private static InvalidRemedyParameter refused(Runnable build) {
		InvalidRemedyParameter refused = catchThrowableOfType(InvalidRemedyParameter.class, build::run);
		assertThat(refused).as("refused").isNotNull();
		assertThat(refused.getMessage()).as("one printable line").matches("[ -~]+");
		return refused;
	}

	@Test
	void coreAndNamedGroupsNamespacedAndClusterScoped() {
		assertThat(LeakedResource.of("", "v1", "configmaps", "acme", null).collectionPath())
			.isEqualTo("/api/v1/namespaces/acme/configmaps");
		assertThat(LeakedResource.of(null, "v1", "nodes", null, null).collectionPath()).isEqualTo("/api/v1/nodes");
		assertThat(LeakedResource.of("reports.kyverno.io", "v1", "ephemeralreports", "acme", "").collectionPath())
			.isEqualTo("/apis/reports.kyverno.io/v1/namespaces/acme/ephemeralreports");
		assertThat(LeakedResource.of("reports.kyverno.io", "v1", "clusterephemeralreports", "", null).collectionPath())
			.isEqualTo("/apis/reports.kyverno.io/v1/clusterephemeralreports");
		assertThat(LeakedResource.of("batch", "v1", "jobs", "ci", null).qualifiedName()).isEqualTo("jobs.batch");
		assertThat(LeakedResource.of("kyverno.io", "v2beta1", "admissionreports", "acme", null).version())
			.isEqualTo("v2beta1");
	}

	@Test
	void fromAnObjectCountOfTheEtcdAnalysis() {
		LeakedResource target = LeakedResource.of(new ObjectCount("reports.kyverno.io", "ephemeralreports", 250_000L),
				"v1", "acme");
		assertThat(target.collectionPath()).isEqualTo("/apis/reports.kyverno.io/v1/namespaces/acme/ephemeralreports");
		assertThat(target.labelSelector()).isNull();
	}

	@Test
	void hostileNamesAreRefusedWithTheParameterNamed() {
		for (String bad : HOSTILE) {
			assertThat(refused(() -> LeakedResource.of("", "v1", "configmaps", bad.isEmpty() ? "a b" : bad, null))
				.parameter()).as(bad).isEqualTo("namespace");
			assertThat(refused(() -> LeakedResource.of("", "v1", bad, "acme", null)).parameter()).as(bad)
				.isEqualTo("resource");
			assertThat(refused(() -> LeakedResource.of("x.io", bad, "things", "acme", null)).parameter()).as(bad)
				.isEqualTo("version");
			if (!bad.isEmpty()) {
				assertThat(refused(() -> LeakedResource.of(bad, "v1", "things", "acme", null)).parameter()).as(bad)
					.isEqualTo("group");
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "Apps", "apps.", ".apps", "apps/v1", "apps..io", "a_b.io" })
	void groupsAreDnsSubdomains(String group) {
		assertThat(refused(() -> LeakedResource.of(group, "v1", "things", "acme", null)).parameter())
			.isEqualTo("group");
	}

	@Test
	void theCoreGroupIsV1Only() {
		assertThat(refused(() -> LeakedResource.of("", "v2", "configmaps", "acme", null)).parameter())
			.isEqualTo("version");
		assertThat(refused(() -> LeakedResource.of("", "1", "configmaps", "acme", null)).parameter())
			.isEqualTo("version");
	}

	@Test
	void namesAtTheirLengthLimits() {
		String label63 = "a".repeat(63);
		assertThat(LeakedResource.of("", "v1", label63, label63, null).namespace()).isEqualTo(label63);
		assertThat(refused(() -> LeakedResource.of("", "v1", "configmaps", label63 + "a", null)).parameter())
			.isEqualTo("namespace");
		assertThat(refused(() -> LeakedResource.of("", "v1", label63 + "a", "acme", null)).parameter())
			.isEqualTo("resource");
	}

	@Test
	void labelSelectorsAreParsedIntoACanonicalForm() {
		assertThat(LabelSelector.of("app=web").text()).isEqualTo("app=web");
		assertThat(LabelSelector.of(" app == web , tier!=db,  !legacy,managed").text())
			.isEqualTo("app=web,tier!=db,!legacy,managed");
		assertThat(LabelSelector.of("env in ( prod , staging ),team notin (a)").text())
			.isEqualTo("env in (prod,staging),team notin (a)");
		assertThat(LabelSelector.of("app.kubernetes.io/name=kyverno,empty=").text())
			.isEqualTo("app.kubernetes.io/name=kyverno,empty=");
		assertThat(LabelSelector.of("  ")).isNull();
		assertThat(LabelSelector.of(null)).isNull();
		assertThat(LabelSelector.of("env in (prod,staging),!legacy").urlEncoded())
			.isEqualTo("env+in+%28prod%2Cstaging%29%2C%21legacy");
	}

	@ParameterizedTest
	@ValueSource(strings = { "app=$(reboot)", "app=`reboot`", "app='x'", "app=\"x\"", "app=x;reboot", "app=x y",
			"app=x\nreboot", "app=x\r", "app=x\t", "app=x&limit=1", "app=x|y", "app=x#", "a$=b", "app=x\u2028",
			"app=\u00e4", "app=x,", ",app=x", "app=x,,b=c", "app in ()", "app in (a,(b))", "app in (a", "app in a",
			"app)", "app>1", "app<1", "app=a=b", "!app=x", "app=-x", "app=x-", "-app=x", "Prefix/app=x", "/app=x",
			"a/b/c=x", "app notin", "app=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "=x", "!" })
	void hostileOrInvalidSelectorsAreRefused(String selector) {
		assertThat(refused(() -> LeakedResource.of("", "v1", "configmaps", "acme", selector)).parameter())
			.isEqualTo("labelSelector");
	}

	@Test
	void selectorsAreAtMost1024Characters() {
		String fits = String.join(",", Collections.nCopies(256, "a=b")); // 1,023
																			// characters
		assertThat(LabelSelector.of(fits + "c").text()).hasSize(1024);
		assertThat(refused(() -> LabelSelector.of(fits + "cd")).parameter()).isEqualTo("labelSelector");
	}

	@Test
	void theApisQueryNamesTheResourceAsKubectlDoes() {
		assertThat(LeakedResource.fromQuery("events", null, "acme", null).collectionPath())
			.isEqualTo("/api/v1/namespaces/acme/events");
		assertThat(LeakedResource.fromQuery("jobs.batch", null, "acme", "app=x").collectionPath())
			.isEqualTo("/apis/batch/v1/namespaces/acme/jobs");
		assertThat(LeakedResource.fromQuery("policyreports.wgpolicyk8s.io", null, "acme", null).collectionPath())
			.isEqualTo("/apis/wgpolicyk8s.io/v1alpha2/namespaces/acme/policyreports");
		assertThat(LeakedResource.fromQuery("clusterephemeralreports.reports.kyverno.io", null, null, null)
			.collectionPath()).isEqualTo("/apis/reports.kyverno.io/v1/clusterephemeralreports");
		assertThat(LeakedResource.fromQuery("widgets.acme.io", "v1beta1", "team-a", null).collectionPath())
			.isEqualTo("/apis/acme.io/v1beta1/namespaces/team-a/widgets");
		assertThat(LeakedResource.fromQuery("widgets.acme.io", "v1beta1", "", null).collectionPath())
			.isEqualTo("/apis/acme.io/v1beta1/widgets");
	}

	@Test
	void theApisQueryRefusesWhatItCannotWriteNamingTheParameter() {
		assertThat(refused(() -> LeakedResource.fromQuery(null, null, "acme", null)).parameter()).isEqualTo("resource");
		assertThat(refused(() -> LeakedResource.fromQuery("widgets.acme.io", null, "acme", null)).parameter())
			.isEqualTo("version");
		assertThat(refused(() -> LeakedResource.fromQuery("events", null, null, null)).parameter())
			.isEqualTo("namespace");
		assertThat(refused(() -> LeakedResource.fromQuery("jobs.batch", null, "", null)).parameter())
			.isEqualTo("namespace");
		assertThat(refused(() -> LeakedResource.fromQuery("events", "v2", "acme", null)).parameter())
			.isEqualTo("version");
		for (String resource : List.of("jobs..batch", "jobs.", ".batch", "Jobs.batch", "jobs.batch/status",
				"jobs.$(id)", "jobs.b'atch", "events\n", "<script>", "x.y%2Fz")) {
			assertThat(refused(() -> LeakedResource.fromQuery(resource, "v1", "acme", null)).parameter()).as(resource)
				.isIn("resource");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "a'b", "$(id)", "`id`", "a\nb", "acme\n", "a b", "Acme", "-acme", "acme-", "a_b", "a.b",
			"<b>x</b>", "x\" | evil", "Events | where 1==1", "%2e%2e", "../kube-system",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void hostileNamespacesAreRefusedByName(String namespace) {
		InvalidRemedyParameter refused = refused(() -> LeakedResource.namespace(namespace));
		assertThat(refused.parameter()).isEqualTo("namespace");
		assertThat(refused.getMessage()).doesNotContain(namespace);
		assertThat(refused(() -> LeakedResource.fromQuery("events", null, namespace, null)).parameter())
			.isEqualTo("namespace");
	}

	@Test
	void aNamespaceIsADnsLabelOrNone() {
		assertThat(LeakedResource.namespace("team-a")).isEqualTo("team-a");
		assertThat(LeakedResource.namespace("a".repeat(63))).hasSize(63);
		assertThat(LeakedResource.namespace("")).isNull();
		assertThat(LeakedResource.namespace(null)).isNull();
	}

}
