package dev.cpdoctor.analysis.etcd;

/**
 * An alarm raised in the etcd cluster ({@code etcdctl alarm list}).
 *
 * @param memberId the member that raised it
 * @param type NOSPACE: the quota is exceeded and writes are refused; CORRUPT: a member's
 * data differs from the others' (corruption check)
 */
public record EtcdAlarm(long memberId, Type type) {

	public enum Type {

		NOSPACE, CORRUPT, OTHER

	}

	public String memberIdHex() {
		return Long.toHexString(this.memberId);
	}

}
