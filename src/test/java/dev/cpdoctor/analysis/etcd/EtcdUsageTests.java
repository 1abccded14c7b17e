package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdUsage.Band;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.within;

class EtcdUsageTests {

	private static final Instant AT = Instant.parse("2026-03-02T10:00:00Z");

	private static final long GIB = 1024L * 1024 * 1024;

	private static final String METRIC = "apiserver_storage_size_bytes";

	private static Band band(long size, long quota) {
		return EtcdUsage.of(METRIC, size, quota, AT).band();
	}

	@Test
	void bandsStartAtSixtyEightyAndNinetyFivePercent() {
		long quota = 10_000;
		assertThat(band(0, quota)).isEqualTo(Band.OK);
		assertThat(band(5_999, quota)).isEqualTo(Band.OK);
		assertThat(band(6_000, quota)).isEqualTo(Band.ELEVATED);
		assertThat(band(7_999, quota)).isEqualTo(Band.ELEVATED);
		assertThat(band(8_000, quota)).isEqualTo(Band.HIGH);
		assertThat(band(9_499, quota)).isEqualTo(Band.HIGH);
		assertThat(band(9_500, quota)).isEqualTo(Band.CRITICAL);
		assertThat(band(10_000, quota)).isEqualTo(Band.CRITICAL);
		assertThat(band(25_000, quota)).isEqualTo(Band.CRITICAL);
	}

	@Test
	void bandsAtRealQuotaSizes() {
		long quota = 8 * GIB;
		long sixty = (long) Math.ceil(quota * 0.60);
		long eighty = (long) Math.ceil(quota * 0.80);
		long ninetyFive = (long) Math.ceil(quota * 0.95);
		assertThat(band(sixty - 1, quota)).isEqualTo(Band.OK);
		assertThat(band(sixty, quota)).isEqualTo(Band.ELEVATED);
		assertThat(band(eighty - 1, quota)).isEqualTo(Band.ELEVATED);
		assertThat(band(eighty, quota)).isEqualTo(Band.HIGH);
		assertThat(band(ninetyFive - 1, quota)).isEqualTo(Band.HIGH);
		assertThat(band(ninetyFive, quota)).isEqualTo(Band.CRITICAL);
	}

	@Test
	void usedFractionIsSizeOverQuota() {
		EtcdUsage usage = EtcdUsage.of(METRIC, 3 * GIB, 8 * GIB, AT);

		assertThat(usage.usedFraction()).isEqualTo(0.375);
		assertThat(usage.dbSizeBytes()).isEqualTo(3 * GIB);
		assertThat(usage.quotaBytes()).isEqualTo(8 * GIB);
		assertThat(usage.sizeMetric()).isEqualTo(METRIC);
		assertThat(usage.sampledAt()).isEqualTo(AT);
	}

	@Test
	void usedFractionMayExceedOne() {
		EtcdUsage usage = EtcdUsage.of(METRIC, 10 * GIB, 8 * GIB, AT);

		assertThat(usage.usedFraction()).isEqualTo(1.25);
		assertThat(usage.band()).isEqualTo(Band.CRITICAL);
	}

	@Test
	void rejectsQuotaThatIsNotPositive() {
		for (long quota : new long[] { 0, -1, Long.MIN_VALUE }) {
			assertThatIllegalArgumentException().isThrownBy(() -> EtcdUsage.of(METRIC, GIB, quota, AT))
				.withMessageContaining("quota");
		}
	}

	@Test
	void rejectsNegativeSize() {
		assertThatIllegalArgumentException().isThrownBy(() -> EtcdUsage.of(METRIC, -1, 8 * GIB, AT))
			.withMessageContaining("negative");
	}

	@Test
	void minusOneObjectCountIsUnknownNotZero() {
		ObjectCount unknown = new ObjectCount("", "pods", -1L);

		assertThat(unknown.count()).isNull();
		assertThat(unknown.isRisky()).isFalse();
		assertThat(new ObjectCount("", "pods", null).count()).isNull();
		assertThat(new ObjectCount("", "pods", 0L).count()).isZero();
	}

	@Test
	void objectCountIsRiskyAboveTenThousandOnly() {
		assertThat(new ObjectCount("", "events", 9_999L).isRisky()).isFalse();
		assertThat(new ObjectCount("", "events", ObjectCount.RISKY_COUNT).isRisky()).isFalse();
		assertThat(new ObjectCount("", "events", ObjectCount.RISKY_COUNT + 1).isRisky()).isTrue();
		assertThat(new ObjectCount("reports.kyverno.io", "ephemeralreports", 287_000L).isRisky()).isTrue();
		assertThat(ObjectCount.RISKY_COUNT).isEqualTo(10_000);
	}

	@Test
	void objectCountNamesItsResource() {
		assertThat(new ObjectCount(null, "pods", 3L).group()).isEmpty();
		assertThat(new ObjectCount(null, "pods", 3L).qualifiedName()).isEqualTo("pods");
		assertThat(new ObjectCount("reports.kyverno.io", "ephemeralreports", 3L).qualifiedName())
			.isEqualTo("ephemeralreports.reports.kyverno.io");
		assertThatNullPointerException().isThrownBy(() -> new ObjectCount("", null, 3L));
	}

	@Test
	void sampleTreatsNegativeDbSizeAsUnknown() {
		EtcdSample sample = new EtcdSample(AT, METRIC, -1L, List.of(new ObjectCount("", "pods", 5L)));

		assertThat(sample.dbSizeBytes()).isNull();
		assertThat(sample.objects()).hasSize(1);
	}

	@Test
	void knownOffenderForKyvernoEphemeralReports() {
		assertThat(KnownOffender.lookup("reports.kyverno.io", "ephemeralreports")).hasValueSatisfying((offender) -> {
			assertThat(offender.group()).isEqualTo("reports.kyverno.io");
			assertThat(offender.resource()).isEqualTo("ephemeralreports");
			assertThat(offender.why()).contains("Kyverno");
			assertThat(offender.fix()).contains("1.12.4");
		});
	}

	@Test
	void knownOffenderForCompletedJobs() {
		assertThat(KnownOffender.lookup("batch", "jobs")).hasValueSatisfying((offender) -> {
			assertThat(offender.resource()).isEqualTo("jobs");
			assertThat(offender.fix()).contains("ttlSecondsAfterFinished");
		});
	}

	@Test
	void noKnownOffenderForPodsOrAWrongGroup() {
		assertThat(KnownOffender.lookup("", "pods")).isEmpty();
		assertThat(KnownOffender.lookup("", "jobs")).isEmpty();
		assertThat(KnownOffender.lookup("kyverno.io", "ephemeralreports")).isEmpty();
	}

}
