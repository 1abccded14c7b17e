package dev.cpdoctor.analysis.etcd;

/**
 * One member's file against its live data.
 *
 * @param endpoint the member's client URL
 * @param memberIdHex the member id as etcdctl prints it
 * @param leader whether it is the raft leader (defragmented last)
 * @param totalBytes the backend file's size (counts against the quota)
 * @param inUseBytes the live part
 * @param freeBytes what a defrag gives back
 * @param inUseFraction in use / total (1 for an empty file)
 * @param fragmented whether the thresholds advise a defrag
 */
public record MemberFragmentation(String endpoint, String memberIdHex, boolean leader, long totalBytes, long inUseBytes,
		long freeBytes, double inUseFraction, boolean fragmented) {

	static MemberFragmentation of(EtcdMemberStatus member, MaintenanceThresholds thresholds) {
		long total = member.dbSizeBytes();
		long free = member.freeBytes();
		double inUse = (total > 0) ? (double) member.dbSizeInUseBytes() / total : 1.0;
		boolean fragmented = inUse < thresholds.defragInUseBelow() && free >= thresholds.defragMinFreeBytes();
		return new MemberFragmentation(member.endpoint(), member.memberIdHex(), member.leader(), total,
				member.dbSizeInUseBytes(), free, inUse, fragmented);
	}

}
