package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EtcdMaintenanceTests {

	private static final long MIB = MaintenanceThresholds.MIB;

	private static final MaintenanceThresholds DEFAULTS = MaintenanceThresholds.defaults();

	private static EtcdMemberStatus member(String endpoint, long total, long inUse, boolean leader, long revision) {
		return new EtcdMemberStatus(endpoint, endpoint.hashCode(), "3.5.16", total, inUse, leader, 10, 2, revision,
				false, List.of());
	}

	private static EtcdClusterStatus status(List<EtcdMemberStatus> members, List<EtcdAlarm> alarms,
			Long compactRevision) {
		List<EtcdServerMetrics> metrics = (compactRevision == null) ? List.of()
				: List.of(new EtcdServerMetrics("m", 2048 * MIB, null, null, null, compactRevision));
		return new EtcdClusterStatus(members, List.of(), alarms, null, metrics, List.of(), Instant.EPOCH);
	}

	private static EtcdMaintenanceAdvice advise(EtcdMemberStatus member) {
		return EtcdMaintenance.advise(status(List.of(member), List.of(), 0L), DEFAULTS);
	}

	@Test
	void defragNeedsBothLessThanHalfInUseAndAtLeast100MiBFree() {
		// 1000 MiB file: in use 499 MiB (49.9 %, 501 MiB free) -> advised
		assertThat(advise(member("a", 1000 * MIB, 499 * MIB, false, 1)).defragAdvised()).isTrue();
		// exactly half in use: not below the threshold
		assertThat(advise(member("a", 1000 * MIB, 500 * MIB, false, 1)).defragAdvised()).isFalse();
		// 199 MiB file, 49.7 % in use: exactly 100 MiB free -> advised; one byte less
		// free -> not
		assertThat(advise(member("a", 199 * MIB, 99 * MIB, false, 1)).defragAdvised()).isTrue();
		assertThat(advise(member("a", 199 * MIB, 99 * MIB + 1, false, 1)).defragAdvised()).isFalse();
		// small files: mostly free but only 90 MiB to win
		assertThat(advise(member("a", 100 * MIB, 10 * MIB, false, 1)).defragAdvised()).isFalse();
		// an empty file is not fragmented
		assertThat(advise(member("a", 0, 0, false, 1)).members().get(0).inUseFraction()).isEqualTo(1.0);
	}

	@Test
	void defragOrderIsOneAtATimeWithTheLeaderLast() {
		EtcdClusterStatus status = status(List.of(member("https://a:2379", 1000 * MIB, 100 * MIB, true, 5),
				member("https://b:2379", 1000 * MIB, 100 * MIB, false, 5),
				member("https://c:2379", 1000 * MIB, 900 * MIB, false, 5)), List.of(), 0L);
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(status, DEFAULTS);
		assertThat(advice.defragOrder()).extracting(MemberFragmentation::endpoint)
			.containsExactly("https://b:2379", "https://a:2379");
		assertThat(advice.steps()).hasSize(2);
		assertThat(advice.steps().get(1)).startsWith("etcdctl --endpoints=https://a:2379 defrag")
			.contains("the leader");
	}

	@Test
	void nospaceDefragmentsEveryMemberAfterCompactionAndDisarmsLast() {
		EtcdClusterStatus status = status(
				List.of(member("https://a:2379", 2048 * MIB, 2040 * MIB, true, 900),
						member("https://b:2379", 2048 * MIB, 2040 * MIB, false, 900)),
				List.of(new EtcdAlarm(7, EtcdAlarm.Type.NOSPACE)), 800L);
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(status, DEFAULTS);
		assertThat(advice.nospace()).isTrue();
		assertThat(advice.defragOrder()).extracting(MemberFragmentation::endpoint)
			.containsExactly("https://b:2379", "https://a:2379");
		assertThat(advice.steps()).hasSize(4);
		assertThat(advice.steps().get(0)).startsWith("etcdctl compact 900");
		assertThat(advice.steps().get(3)).startsWith("etcdctl alarm disarm");
	}

	@Test
	void compactionIsAdvisedAboveAMillionPendingRevisions() {
		MaintenanceThresholds t = DEFAULTS;
		CompactionAdvice at = EtcdMaintenance
			.compaction(status(List.of(member("a", 1, 1, true, 1_000_500)), List.of(), 500L), t);
		assertThat(at.verdict()).isEqualTo(CompactionAdvice.Verdict.NOT_NEEDED);
		assertThat(at.pendingRevisions()).isEqualTo(1_000_000);
		CompactionAdvice above = EtcdMaintenance
			.compaction(status(List.of(member("a", 1, 1, true, 1_000_501)), List.of(), 500L), t);
		assertThat(above.verdict()).isEqualTo(CompactionAdvice.Verdict.NEEDED);
		assertThat(above.pendingRevisions()).isEqualTo(1_000_001);
	}

	@Test
	void neverCompactedCountsFromRevisionZero() {
		CompactionAdvice never = EtcdMaintenance
			.compaction(status(List.of(member("a", 1, 1, true, 1_000_001)), List.of(), -1L), DEFAULTS);
		assertThat(never.verdict()).isEqualTo(CompactionAdvice.Verdict.NEEDED);
		assertThat(never.pendingRevisions()).isEqualTo(1_000_001);
		assertThat(EtcdMaintenance
			.compaction(status(List.of(member("a", 1, 1, true, 1_000_000)), List.of(), -1L), DEFAULTS)
			.verdict()).isEqualTo(CompactionAdvice.Verdict.NOT_NEEDED);
	}

	@Test
	void withoutMetricsTheCompactRevisionIsUnknownAndSaysWhy() {
		CompactionAdvice advice = EtcdMaintenance
			.compaction(status(List.of(member("a", 1, 1, true, 5)), List.of(), null), DEFAULTS);
		assertThat(advice.verdict()).isEqualTo(CompactionAdvice.Verdict.UNKNOWN);
		assertThat(advice.explanation()).contains(EtcdServerMetrics.COMPACT_REVISION);
		assertThat(EtcdMaintenance.compaction(status(List.of(), List.of(), 3L), DEFAULTS).verdict())
			.isEqualTo(CompactionAdvice.Verdict.UNKNOWN);
	}

	@Test
	void noAdviceForAHealthyCluster() {
		EtcdMaintenanceAdvice advice = advise(member("a", 1000 * MIB, 900 * MIB, true, 10));
		assertThat(advice.defragAdvised()).isFalse();
		assertThat(advice.nospace()).isFalse();
		assertThat(advice.steps()).isEmpty();
	}

}
