package dev.cpdoctor.analysis.etcd;

/**
 * When defrag and compaction are worth advising.
 *
 * <p>
 * Defrag: bbolt reuses its free pages for new writes, so free space inside the file is
 * not lost, it only still counts against the quota. Defragmenting rewrites the file and
 * blocks the member - reads and writes - for the duration (seconds per GB), so it is
 * advised only when it gives back a lot: at most half of the file in use
 * ({@link #defragInUseBelow} 0.5) and at least {@link #defragMinFreeBytes} (100 MiB, 5 %
 * of etcd's default 2 GiB quota) free. Below either the pause buys little. Under the
 * NOSPACE alarm defrag is part of the recovery whatever the numbers.
 *
 * <p>
 * Compaction: kube-apiserver compacts every 5 minutes (--etcd-compaction-interval) to the
 * revision it saw one interval before, so normally the revisions not yet compacted are
 * those of the last 5-10 minutes, tens to a few hundred thousand even on a busy cluster.
 * More than {@link #compactionMaxPendingRevisions} (1,000,000) means compaction is not
 * running (the apiserver's disabled and no --auto-compaction-retention), and the history
 * grows the database.
 *
 * @param defragInUseBelow advise defrag of a member whose in-use / total is below this
 * (0..1]
 * @param defragMinFreeBytes ... and whose total minus in-use is at least this
 * @param compactionMaxPendingRevisions advise compaction when current minus compact
 * revision exceeds this
 */
public record MaintenanceThresholds(double defragInUseBelow, long defragMinFreeBytes,
		long compactionMaxPendingRevisions) {

	public static final long MIB = 1024L * 1024L;

	public MaintenanceThresholds {
		if (!(defragInUseBelow > 0 && defragInUseBelow <= 1)) {
			throw new IllegalArgumentException("defragInUseBelow must be in (0, 1], got " + defragInUseBelow);
		}
		if (defragMinFreeBytes < 0 || compactionMaxPendingRevisions < 0) {
			throw new IllegalArgumentException("thresholds must not be negative");
		}
	}

	public static MaintenanceThresholds defaults() {
		return new MaintenanceThresholds(0.5, 100 * MIB, 1_000_000);
	}

}
