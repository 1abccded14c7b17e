package dev.cpdoctor.analysis.etcd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Advice on defrag and compaction from one {@link EtcdClusterStatus}. Pure logic, no I/O.
 */
public final class EtcdMaintenance {

	private EtcdMaintenance() {
	}

	public static EtcdMaintenanceAdvice advise(EtcdClusterStatus status, MaintenanceThresholds thresholds) {
		boolean nospace = status.hasAlarm(EtcdAlarm.Type.NOSPACE);
		List<MemberFragmentation> members = status.members()
			.stream()
			.map((m) -> MemberFragmentation.of(m, thresholds))
			.toList();
		// Under NOSPACE every member is defragmented: the quota is checked on each, and
		// compaction alone frees pages inside the file without shrinking it.
		List<MemberFragmentation> order = new ArrayList<>(
				members.stream().filter((m) -> nospace || m.fragmented()).toList());
		order.sort(Comparator.comparing(MemberFragmentation::leader)); // stable:
																		// configured
																		// order, leader
																		// last
		CompactionAdvice compaction = compaction(status, thresholds);
		return new EtcdMaintenanceAdvice(members, order, compaction, nospace, steps(nospace, order, compaction));
	}

	static CompactionAdvice compaction(EtcdClusterStatus status, MaintenanceThresholds thresholds) {
		Long current = status.currentRevision().orElse(null);
		Long compacted = status.compactRevision().orElse(null);
		if (current == null) {
			return new CompactionAdvice(CompactionAdvice.Verdict.UNKNOWN, null, compacted, null,
					"No member answered, so the current revision is unknown.");
		}
		if (compacted == null) {
			return new CompactionAdvice(CompactionAdvice.Verdict.UNKNOWN, current, null, null,
					"The compact revision is not part of etcd's status answer; it comes from the members' /metrics"
							+ " (" + EtcdServerMetrics.COMPACT_REVISION + "), which could not be read.");
		}
		long pending = current - Math.max(compacted, 0);
		if (pending > thresholds.compactionMaxPendingRevisions()) {
			return new CompactionAdvice(CompactionAdvice.Verdict.NEEDED, current, compacted, pending,
					pending + " revisions since the last compaction (more than "
							+ thresholds.compactionMaxPendingRevisions()
							+ "): compaction is not keeping up - check kube-apiserver's --etcd-compaction-interval"
							+ " and etcd's --auto-compaction-retention.");
		}
		return new CompactionAdvice(CompactionAdvice.Verdict.NOT_NEEDED, current, compacted, pending, pending
				+ " revisions since the last compaction (at most " + thresholds.compactionMaxPendingRevisions() + ").");
	}

	private static List<String> steps(boolean nospace, List<MemberFragmentation> order, CompactionAdvice compaction) {
		List<String> steps = new ArrayList<>();
		if (nospace || compaction.verdict() == CompactionAdvice.Verdict.NEEDED) {
			String rev = (compaction.currentRevision() != null) ? String.valueOf(compaction.currentRevision())
					: "<current revision>";
			steps.add("etcdctl compact " + rev + "   # drops the history before it (once, on any member)");
		}
		for (MemberFragmentation member : order) {
			steps.add("etcdctl --endpoints=" + member.endpoint() + " defrag   # "
					+ (member.leader() ? "the leader, last; " : "") + "one member at a time: it blocks while it runs");
		}
		if (nospace) {
			steps.add(
					"etcdctl alarm disarm   # only after the DB is back under the quota, else NOSPACE is raised again");
		}
		return steps;
	}

}
