package dev.cpdoctor.troubleshoot.remedy;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ObjectCountQuotaTests {

	private static final Pattern DNS_SUBDOMAIN = Pattern
		.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

	private static ObjectCountQuota quota(String group, String resource, Long count) {
		return ObjectCountQuota.of("demo", "acme", group, resource, count, "apiserver_resource_objects");
	}

	@Test
	void theKeyIsTheGenericCountSyntaxWithTheGroupExceptForTheCoreGroup() {
		assertThat(quota("reports.kyverno.io", "ephemeralreports", 1L).quotaKey())
			.isEqualTo("count/ephemeralreports.reports.kyverno.io");
		assertThat(quota("batch", "jobs", 1L).quotaKey()).isEqualTo("count/jobs.batch");
		assertThat(quota("", "configmaps", 1L).quotaKey()).isEqualTo("count/configmaps");
		assertThat(quota(null, "secrets", 1L).quotaKey()).isEqualTo("count/secrets");
		assertThat(quota("", "pods", 1L).quotaKey()).as("all stored Pods, not only non-terminal ones")
			.isEqualTo("count/pods");
	}

	@Test
	void theDefaultIsTheCountPlusTenPercentAtLeastAHundredRoundedUpToAHundred() {
		assertThat(quota("", "configmaps", 12_345L).hard()).isEqualTo(13_600); // 12,345 +
																				// 1,235 =
																				// 13,580
		assertThat(quota("", "configmaps", 12_345L).hardReason())
			.isEqualTo("12,345 now + 1,235 headroom (10 %, at least 100), rounded up to a multiple of 100");
		assertThat(quota("", "configmaps", 0L).hard()).isEqualTo(100);
		assertThat(quota("", "configmaps", 950L).hard()).isEqualTo(1_100); // + 100
		assertThat(quota("", "configmaps", 1_000L).hard()).isEqualTo(1_100); // + 100, on
																				// a
																				// multiple
																				// already
		assertThat(quota("", "configmaps", 1_001L).hard()).isEqualTo(1_200); // 1,001 +
																				// 101 =
																				// 1,102
		assertThat(quota("", "configmaps", 250_000L).hard()).isEqualTo(275_000);
	}

	@Test
	void anUnknownCountGivesTheRiskyCountAndSaysSo() {
		for (Long unknown : new Long[] { null, -1L }) {
			ObjectCountQuota q = quota("", "configmaps", unknown);
			assertThat(q.currentCount()).isNull();
			assertThat(q.hard()).isEqualTo(10_000);
			assertThat(q.hardReason()).startsWith("the current count is unknown: 10,000");
			assertThat(q.warnings()).anyMatch((w) -> w.startsWith("The current count is unknown"));
		}
	}

	@Test
	void aChosenLimitBelowTheCountWarnsThatCreatesAreRefused() {
		ObjectCountQuota q = quota("", "configmaps", 12_345L).withHard(500);
		assertThat(q.hard()).isEqualTo(500);
		assertThat(q.hardReason()).isEqualTo("chosen by the user");
		assertThat(q.warnings()).first().asString().contains("holds 12,345, not below the limit");
		assertThat(quota("", "configmaps", 12_345L).warnings()).noneMatch((w) -> w.contains("not below the limit"));
		for (long bad : new long[] { -1, ObjectCountQuota.MAX_HARD + 1 }) {
			assertThat(
					catchThrowableOfType(InvalidRemedyParameter.class, () -> quota("", "configmaps", 1L).withHard(bad))
						.parameter())
				.isEqualTo("hard");
		}
	}

	@Test
	void namesAreValidSubdomainsOfAtMost253Characters() {
		assertThat(quota("reports.kyverno.io", "ephemeralreports", 1L).name())
			.isEqualTo("cpdoctor-count-ephemeralreports.reports.kyverno.io");
		assertThat(quota("", "configmaps", 1L).name()).isEqualTo("cpdoctor-count-configmaps");
		String longGroup = ("a".repeat(60) + ".").repeat(3) + "example.io";
		String name = quota(longGroup, "b".repeat(63), 1L).name();
		assertThat(name).hasSizeLessThanOrEqualTo(253).matches(DNS_SUBDOMAIN);
		assertThat(name).isNotEqualTo(quota(longGroup, "b".repeat(62) + "c", 1L).name());
	}

	@Test
	void inputsAreValidatedWithTheParameterNamed() {
		for (String bad : LeakedResourceTests.HOSTILE) {
			assertThat(catchThrowableOfType(InvalidRemedyParameter.class,
					() -> ObjectCountQuota.of("demo", bad, "", "configmaps", 1L, ""))
				.parameter()).as(bad).isEqualTo("namespace");
			assertThat(catchThrowableOfType(InvalidRemedyParameter.class,
					() -> ObjectCountQuota.of("demo", "acme", "", bad, 1L, ""))
				.parameter()).as(bad).isEqualTo("resource");
		}
		assertThat(catchThrowableOfType(InvalidRemedyParameter.class,
				() -> ObjectCountQuota.of("demo", null, "", "configmaps", 1L, ""))
			.parameter()).isEqualTo("namespace");
		assertThat(catchThrowableOfType(InvalidRemedyParameter.class,
				() -> ObjectCountQuota.of("demo", "acme", "$(x).io", "things", 1L, ""))
			.parameter()).isEqualTo("group");
	}

	@Test
	void theCommentSaysWhatWhyAndHowToUndoInPrintableLines() {
		ObjectCountQuota q = ObjectCountQuota.of("demo", "acme", "", "pods", 12_345L,
				"apiserver_storage_objects\n---\nkind: Secret\r\u2028\u0085");
		String comment = String.join("\n", q.comment());
		assertThat(comment).contains("cluster demo")
			.contains("Caps:    pods in namespace acme: count/pods counts every object stored (terminal Pods too")
			.contains("Now:     12,345 (apiserver_storage_objects?---?kind: Secret???)")
			.contains("Limit:   13,600: 12,345 now + 1,235 headroom")
			.contains("kubectl delete resourcequota cpdoctor-count-pods -n acme");
		assertThat(q.comment()).allMatch((line) -> line.matches("[ -~]*"));
	}

}
