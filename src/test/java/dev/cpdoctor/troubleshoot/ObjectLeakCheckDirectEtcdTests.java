package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.NamespaceUsage;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cause 2 with etcd read directly: the alarm, the prefixes, the dominant namespace, the
 * exact last resort.
 */
class ObjectLeakCheckDirectEtcdTests {

	static final Instant AT = ObjectLeakCheckTests.AT;

	static final String REPORTS = "reports.kyverno.io/ephemeralreports";

	static EtcdClusterStatus status(EtcdAlarm.Type... alarms) {
		EtcdMemberStatus a = new EtcdMemberStatus("https://10.0.0.1:2379", 1, "3.5.16", 900, 800, true, 1, 1, 77, false,
				List.of());
		EtcdMemberStatus b = new EtcdMemberStatus("https://10.0.0.2:2379", 2, "3.5.16", 900, 800, false, 1, 1, 77,
				false, List.of());
		return new EtcdClusterStatus(List.of(a, b), List.of(),
				Arrays.stream(alarms).map((t) -> new EtcdAlarm(1, t)).toList(), null, List.of(), List.of(), AT);
	}

	static KeyspaceUsage keyspace(PrefixUsage... prefixes) {
		long keys = Arrays.stream(prefixes).mapToLong(PrefixUsage::keys).sum();
		long bytes = Arrays.stream(prefixes).mapToLong(PrefixUsage::valueBytes).sum();
		return new KeyspaceUsage(77, keys, bytes, List.of(prefixes), 3, 500, AT, Duration.ofSeconds(1));
	}

	static PrefixUsage reports(long inLeaky, long inQuiet) {
		return new PrefixUsage(REPORTS, "reports.kyverno.io", "ephemeralreports", 200, (inLeaky + inQuiet) * 1000, List
			.of(new NamespaceUsage("leaky", 100, inLeaky * 1000), new NamespaceUsage("quiet", 100, inQuiet * 1000)));
	}

	static final PrefixUsage PODS = new PrefixUsage("pods", "", "pods", 50, 10_000,
			List.of(new NamespaceUsage("shop", 50, 10_000)));

	static CauseDiagnosis check(EtcdDirectFacts direct) {
		// no apiserver: no sample, no usage, no growth
		SourceResult<EtcdSample> none = SourceResult.failed("no apiserver access");
		return ObjectLeakCheck.check("lab", none, SourceResult.failed("no apiserver access"),
				SourceResult.failed("no history"), new ClientManifests(), null, direct);
	}

	static EtcdDirectFacts facts(EtcdClusterStatus status, KeyspaceUsage keyspace) {
		return new EtcdDirectFacts(SourceResult.ok(status), SourceResult.ok(keyspace), AT);
	}

	@Test
	void nospaceAloneMakesItLikelySaidFirstWithTheLastResortForTheDominantNamespace() {
		CauseDiagnosis c = check(facts(status(EtcdAlarm.Type.NOSPACE), keyspace(reports(90, 10), PODS)));
		assertThat(c.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(c.evidence().get(0).text()).startsWith("etcd raised the NOSPACE alarm (member 1)")
			.contains("read-only");
		assertThat(c.evidence())
			.anyMatch((e) -> e.text()
				.startsWith("In etcd (scan at revision 77): "
						+ "/registry/reports.kyverno.io/ephemeralreports/ holds 200 keys")
					&& e.text().contains("leaky (90 %)"));
		Remediation last = c.remedies().get(0);
		assertThat(last.kind()).isEqualTo(Remediation.Kind.COMMAND);
		assertThat(last.text()).contains("etcdctl del --prefix '/registry/reports.kyverno.io/ephemeralreports/leaky/'")
			// followers first, the leader last
			.containsSubsequence("--endpoints=https://10.0.0.2:2379 defrag", "--endpoints=https://10.0.0.1:2379 defrag",
					"etcdctl alarm disarm")
			// with two members endpoint status prints two revisions: compact to the first
			.contains("export ETCDCTL_ENDPOINTS=https://10.0.0.2:2379,https://10.0.0.1:2379")
			.contains("grep -o '[0-9][0-9]*' | head -1)");
		assertThat(c.remedies()).anyMatch((r) -> r.text() != null
				&& r.text().contains("/apis/reports.kyverno.io/v1/namespaces/leaky/ephemeralreports?limit=1000"));
		assertThat(c.evidence()).anyMatch((e) -> e.text().startsWith("The remedies act on namespace leaky"));
	}

	@Test
	void withoutADominantNamespaceTheLastResortTakesTheWholePrefixAndThePlaceholderStays() {
		CauseDiagnosis c = check(facts(status(EtcdAlarm.Type.NOSPACE), keyspace(reports(40, 60), PODS)));
		Remediation last = c.remedies().get(0);
		assertThat(last.text())
			.contains("etcdctl del --prefix '/registry/reports.kyverno.io/ephemeralreports'"
				.replace("ephemeralreports'", "ephemeralreports/'"))
			.contains("# No namespace: the prefix holds every ephemeralreports.reports.kyverno.io");
		assertThat(c.remedies().toString()).contains("your-namespace");
		assertThat(c.evidence()).noneMatch((e) -> e.text().startsWith("The remedies act on namespace"));
	}

	@Test
	void aChosenNamespaceWinsOverTheScans() {
		CauseDiagnosis c = ObjectLeakCheck.check("lab", SourceResult.failed("x"), SourceResult.failed("x"),
				SourceResult.failed("x"), new ClientManifests(), "team-a",
				facts(status(EtcdAlarm.Type.NOSPACE), keyspace(reports(90, 10))));
		assertThat(c.remedies().toString()).contains("/namespaces/team-a/ephemeralreports")
			.doesNotContain("/namespaces/leaky/");
	}

	@Test
	void noAlarmAndSmallPrefixesAreEvidenceButNoVerdictAndNoLastResort() {
		CauseDiagnosis c = check(facts(status(), keyspace(reports(90, 10), PODS)));
		assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(c.evidence()).anyMatch((e) -> e.text().startsWith("etcd, read directly, raises no alarm"));
		assertThat(c.remedies()).noneMatch((r) -> r.text() != null && r.text().contains("etcdctl del"));
	}

	@Test
	void aPrefixOverTenThousandKeysIsLikelyLikeAnObjectCount() {
		PrefixUsage big = new PrefixUsage(REPORTS, "reports.kyverno.io", "ephemeralreports",
				ObjectCount.RISKY_COUNT + 1, 5_000_000,
				List.of(new NamespaceUsage("leaky", ObjectCount.RISKY_COUNT + 1, 5_000_000)));
		assertThat(check(facts(status(), keyspace(big))).verdict()).isEqualTo(Verdict.LIKELY);
		PrefixUsage at = new PrefixUsage(REPORTS, "reports.kyverno.io", "ephemeralreports", ObjectCount.RISKY_COUNT,
				5_000_000, List.of(new NamespaceUsage("leaky", ObjectCount.RISKY_COUNT, 5_000_000)));
		assertThat(check(facts(status(), keyspace(at))).verdict()).isEqualTo(Verdict.UNKNOWN);
	}

	@Test
	void aHostilePrefixGetsAdviceNeverACommand() {
		String hostile = "x.io/a';reboot;'";
		PrefixUsage bad = new PrefixUsage(hostile, "x.io", "a';reboot;'", 5, 9_000_000,
				List.of(new NamespaceUsage("ns", 5, 9_000_000)));
		CauseDiagnosis c = check(facts(status(EtcdAlarm.Type.NOSPACE), keyspace(bad)));
		Remediation last = c.remedies().get(0);
		assertThat(last.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(last.summary()).contains("unfit for a shell");
		assertThat(c.remedies()).noneMatch((r) -> r.text() != null && r.text().contains("reboot"));
	}

	@Test
	void etcdReadLongAfterTheWindowIsLeftOutAndSaidSo() {
		EtcdDirectFacts old = new EtcdDirectFacts(SourceResult.ok(status(EtcdAlarm.Type.NOSPACE)),
				SourceResult.ok(keyspace(reports(90, 10))), AT.minus(Duration.ofDays(2)));
		CauseDiagnosis c = check(old);
		assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(c.evidence()).anyMatch((e) -> e.text().contains("after this window's end"));
		assertThat(c.evidence()).noneMatch((e) -> e.text().contains("NOSPACE"));
	}

	@Test
	void aFailingEtcdIsEvidenceAndChangesNothingElse() {
		CauseDiagnosis c = check(new EtcdDirectFacts(SourceResult.failed("UNAVAILABLE: connection refused"),
				SourceResult.failed("the keyspace scan failed: timeout"), AT));
		assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(c.evidence())
			.anyMatch((e) -> e.text().equals("etcd, read directly, did not answer: UNAVAILABLE: connection refused"))
			.anyMatch((e) -> e.text().equals("Space by key prefix unknown: the keyspace scan failed: timeout"));
	}

}
