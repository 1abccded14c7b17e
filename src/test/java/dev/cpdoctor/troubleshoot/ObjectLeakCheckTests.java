package dev.cpdoctor.troubleshoot;

import java.time.Instant;
import java.util.List;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.remedy.InvalidRemedyParameter;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

import static org.assertj.core.api.Assertions.assertThat;

class ObjectLeakCheckTests {

	static final Instant AT = Instant.parse("2026-11-20T12:00:00Z");

	/**
	 * 10 GB: a percentage of it is a whole number of bytes, so the boundaries are exact.
	 */
	static final long QUOTA = 10_000_000_000L;

	static SourceResult<EtcdSample> sample(ObjectCount... counts) {
		return SourceResult.ok(new EtcdSample(AT, "apiserver_storage_size_bytes", 1L << 30, List.of(counts)));
	}

	static SourceResult<EtcdUsage> usage(double fraction) {
		long bytes = Math.round(fraction * 100) * (QUOTA / 100);
		return SourceResult.ok(EtcdUsage.of("apiserver_storage_size_bytes", bytes, QUOTA, AT));
	}

	static SourceResult<EtcdGrowth> growth(Double bytesPerDay, Double daysToQuota) {
		return SourceResult.ok(new EtcdGrowth(List.of(), bytesPerDay, null, daysToQuota));
	}

	static final SourceResult<EtcdGrowth> FLAT = growth(0.0, null);

	static CauseDiagnosis check(SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth) {
		return ObjectLeakCheck.check("demo", sample, usage, growth, new ClientManifests());
	}

	@Test
	void overTenThousandObjectsOfOneResourceIsLikelyAndExactlyTenThousandIsNot() {
		CauseDiagnosis over = check(sample(new ObjectCount("", "pods", 900L),
				new ObjectCount("reports.kyverno.io", "ephemeralreports", 10_001L)), usage(0.1), FLAT);
		assertThat(over.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(over.id()).isEqualTo(2);
		assertThat(over.evidence().get(0).text()).contains("ephemeralreports.reports.kyverno.io: 10,001 objects")
			.contains("Kyverno");
		assertThat(over.evidence().get(0).value()).isEqualTo(10_001.0);
		CauseDiagnosis at = check(sample(new ObjectCount("reports.kyverno.io", "ephemeralreports", 10_000L)),
				usage(0.1), FLAT);
		assertThat(at.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(at.remedies()).allMatch((r) -> r.kind() == Remediation.Kind.ADVICE);
	}

	@Test
	void eightyPercentWithGrowthIsLikelyWithoutGrowthPossible() {
		SourceResult<EtcdSample> small = sample(new ObjectCount("", "pods", 100L));
		assertThat(check(small, usage(0.80), growth(1.0, 200.0)).verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(check(small, usage(0.79), growth(1.0, 200.0)).verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(check(small, usage(0.80), growth(0.5, null)).verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(check(small, usage(0.80), FLAT).verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(check(small, usage(0.60), growth(1.0, 300.0)).verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(check(small, usage(0.59), growth(1.0, 300.0)).verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(check(small, usage(0.79), FLAT).verdict()).isEqualTo(Verdict.UNLIKELY);
	}

	@Test
	void reachingTheQuotaWithinThirtyDaysIsPossible() {
		SourceResult<EtcdSample> small = sample(new ObjectCount("", "pods", 100L));
		assertThat(check(small, usage(0.3), growth(1e8, 30.0)).verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(check(small, usage(0.3), growth(1e8, 30.5)).verdict()).isEqualTo(Verdict.UNLIKELY);
	}

	@Test
	void overQuotaIsLikelyAndOffersTheLastResort() {
		CauseDiagnosis full = check(sample(new ObjectCount("reports.kyverno.io", "ephemeralreports", 400_000L)),
				usage(1.0), FLAT);
		assertThat(full.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(full.remedies()).anyMatch((r) -> r.summary().startsWith("Last resort"));
		SourceResult<EtcdSample> small = sample(new ObjectCount("", "pods", 100L));
		assertThat(check(small, usage(1.0), FLAT).verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(check(small, usage(0.99), FLAT).verdict()).isEqualTo(Verdict.POSSIBLE);
		CauseDiagnosis under = check(sample(new ObjectCount("reports.kyverno.io", "ephemeralreports", 400_000L)),
				usage(0.99), FLAT);
		assertThat(under.remedies()).noneMatch((r) -> r.summary().startsWith("Last resort"));
	}

	@Test
	void remediesTargetTheBiggestRiskyResource() {
		CauseDiagnosis leak = check(sample(new ObjectCount("", "events", 12_000L),
				new ObjectCount("reports.kyverno.io", "ephemeralreports", 280_000L)), usage(0.7), FLAT);
		List<String> texts = leak.remedies().stream().filter((r) -> r.text() != null).map(Remediation::text).toList();
		assertThat(texts).anyMatch(
				(t) -> t.contains("/apis/reports.kyverno.io/v1/namespaces/your-namespace/ephemeralreports?limit=1000"));
		assertThat(texts).anyMatch((t) -> t.contains("count/ephemeralreports.reports.kyverno.io"));
		assertThat(texts).anyMatch((t) -> t.startsWith("kubectl get ephemeralreports.reports.kyverno.io -A"));
		assertThat(leak.remedies()).noneMatch((r) -> r.text() != null && r.text().contains("status.successful=1"));
	}

	@Test
	void withoutANamespaceTheCommandsCarryAMarkedPlaceholder() {
		CauseDiagnosis leak = check(sample(new ObjectCount("reports.kyverno.io", "ephemeralreports", 280_000L)),
				usage(1.0), FLAT);
		List<Remediation> namespaced = leak.remedies()
			.stream()
			.filter((r) -> r.text() != null && r.text().contains("your-namespace"))
			.toList();
		assertThat(namespaced).hasSize(3); // the paged delete, the last resort, the quota
		assertThat(namespaced).allSatisfy((r) -> assertThat(r.warnings())
			.anyMatch((w) -> w.startsWith("No namespace chosen: your-namespace is a placeholder")));
	}

	@Test
	void aChosenNamespaceReachesEveryNamespacedRemedy() {
		CauseDiagnosis leak = ObjectLeakCheck
			.check("demo",
					sample(new ObjectCount("reports.kyverno.io", "ephemeralreports", 280_000L),
							new ObjectCount("batch", "jobs", 20_000L)),
					usage(1.0), FLAT, new ClientManifests(), "team-a");
		List<String> texts = leak.remedies().stream().filter((r) -> r.text() != null).map(Remediation::text).toList();
		assertThat(texts).noneMatch((t) -> t.contains("your-namespace"));
		assertThat(texts).anyMatch((t) -> t.contains(
				"kubectl delete --raw '/apis/reports.kyverno.io/v1/namespaces/team-a/ephemeralreports?limit=1000'"));
		assertThat(texts).anyMatch(
				(t) -> t.contains("namespace: team-a") && t.contains("count/ephemeralreports.reports.kyverno.io"));
		assertThat(texts).anyMatch((t) -> t.contains("/registry/reports.kyverno.io/ephemeralreports/team-a/"));
		assertThat(texts)
			.anyMatch((t) -> t.contains("kubectl delete jobs -n team-a --field-selector status.successful=1"));
		assertThat(texts).anyMatch((t) -> t.startsWith("kubectl get ephemeralreports.reports.kyverno.io -A"));
		assertThat(leak.remedies())
			.allSatisfy((r) -> assertThat(r.warnings()).noneMatch((w) -> w.contains("placeholder")));
	}

	@Test
	void aClusterScopedResourceIgnoresTheNamespace() {
		CauseDiagnosis leak = ObjectLeakCheck.check("demo",
				sample(new ObjectCount("reports.kyverno.io", "clusterephemeralreports", 280_000L)), usage(0.5), FLAT,
				new ClientManifests(), "team-a");
		assertThat(leak.remedies()).anyMatch((r) -> r.text() != null
				&& r.text().contains("'/apis/reports.kyverno.io/v1/clusterephemeralreports?limit=1000'"));
		assertThat(leak.remedies()).noneMatch((r) -> r.text() != null && r.text().contains("team-a"));
	}

	@Test
	void aHostileNamespaceIsRefusedByName() {
		for (String hostile : List.of("a'b", "$(id)", "a\nb", "x\n", "Team", "-a", "a_b", "<b>", "a\" || true\"",
				"x".repeat(64))) {
			assertThat(Assertions
				.catchThrowableOfType(InvalidRemedyParameter.class,
						() -> ObjectLeakCheck.check("demo", sample(new ObjectCount("", "events", 20_000L)), usage(0.5),
								FLAT, new ClientManifests(), hostile))
				.parameter()).as(hostile).isEqualTo("namespace");
		}
	}

	@Test
	void leakingJobsGetTheFinishedJobsCleanUp() {
		CauseDiagnosis jobs = check(sample(new ObjectCount("batch", "jobs", 25_000L)), usage(0.2), FLAT);
		assertThat(jobs.remedies()).anyMatch((r) -> r.text() != null
				&& r.text().contains("kubectl delete jobs -A" + " --field-selector status.successful=1"));
	}

	@Test
	void anUnknownResourceGetsAdviceNotACommand() {
		CauseDiagnosis custom = check(sample(new ObjectCount("acme.io", "widgets", 50_000L)), usage(0.2), FLAT);
		assertThat(custom.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(custom.remedies()).noneMatch((r) -> r.text() != null && r.text().contains("widgets"));
		assertThat(custom.remedies()).anyMatch((r) -> r.summary().contains("widgets.acme.io") && r.text() == null);
	}

	@Test
	void failedSourcesGiveUnknownWithTheirReasons() {
		CauseDiagnosis unknown = check(SourceResult.failed("No etcd sample of cluster 'x'"),
				SourceResult.failed("no size"), SourceResult.failed("no history"));
		assertThat(unknown.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(unknown.evidence()).extracting(Evidence::text)
			.anyMatch((t) -> t.contains("No etcd sample of cluster 'x'"))
			.anyMatch((t) -> t.contains("no size"))
			.anyMatch((t) -> t.contains("no history"));
		// A full DB is LIKELY even when the counts cannot be read.
		assertThat(check(SourceResult.failed("x"), usage(1.2), FLAT).verdict()).isEqualTo(Verdict.LIKELY);
	}

}
