package dev.cpdoctor.analysis.etcd;

import java.util.List;
import java.util.Objects;

/**
 * What one etcd member says of itself (the Maintenance Status call, as
 * {@code etcdctl endpoint status}).
 *
 * @param endpoint the configured client URL it was asked at
 * @param memberId the member's id (hex in etcdctl's table output)
 * @param version the etcd server version, e.g. 3.5.16
 * @param dbSizeBytes the backend file's size: what counts against --quota-backend-bytes
 * @param dbSizeInUseBytes the part of it holding live data; the rest is free pages only
 * defrag returns
 * @param leader whether this member is the raft leader
 * @param raftIndex the raft index
 * @param raftTerm the raft term
 * @param revision the store's current revision (the response header's)
 * @param learner whether the member is a non-voting learner
 * @param errors errors the member reports (e.g. a raised alarm's text)
 */
public record EtcdMemberStatus(String endpoint, long memberId, String version, long dbSizeBytes, long dbSizeInUseBytes,
		boolean leader, long raftIndex, long raftTerm, long revision, boolean learner, List<String> errors) {

	public EtcdMemberStatus {
		Objects.requireNonNull(endpoint, "endpoint");
		errors = List.copyOf(errors);
	}

	/** The bytes a defrag would give back: total minus in use, never negative. */
	public long freeBytes() {
		return Math.max(0, this.dbSizeBytes - this.dbSizeInUseBytes);
	}

	/** The member id as etcdctl prints it. */
	public String memberIdHex() {
		return Long.toHexString(this.memberId);
	}

}
