package dev.cpdoctor.analysis.etcd;

import java.util.List;

/**
 * What to do about an etcd cluster's space, read-only advice: the dashboard never runs
 * any of it.
 *
 * @param members every answering member's fragmentation
 * @param defragOrder the members to defragment, one at a time, followers first and the
 * leader last (defrag blocks a member; the leader's pause would stall the whole cluster's
 * writes, so it goes when the others are done); empty when none needs it
 * @param compaction whether old revisions pile up
 * @param nospace whether the NOSPACE alarm is raised: writes are refused until someone
 * compacts, defragments every member and disarms the alarm
 * @param steps the advice in order, as commands for etcdctl
 */
public record EtcdMaintenanceAdvice(List<MemberFragmentation> members, List<MemberFragmentation> defragOrder,
		CompactionAdvice compaction, boolean nospace, List<String> steps) {

	public EtcdMaintenanceAdvice {
		members = List.copyOf(members);
		defragOrder = List.copyOf(defragOrder);
		steps = List.copyOf(steps);
	}

	public boolean defragAdvised() {
		return !this.defragOrder.isEmpty();
	}

}
