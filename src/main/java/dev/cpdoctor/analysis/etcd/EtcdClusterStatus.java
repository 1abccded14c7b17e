package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One look at a self-managed etcd cluster, read directly: every member that answered,
 * every one that did not, the alarms, and what each member's /metrics said where it could
 * be reached.
 *
 * @param members the members that answered, in the order of the configured endpoints
 * @param unreachable endpoints whose status call failed, with why
 * @param alarms the raised alarms (empty: none); null when the alarm list itself could
 * not be read
 * @param alarmsFailure why the alarm list could not be read, null when it was
 * @param metrics each member's /metrics that could be read
 * @param metricsFailures /metrics endpoints that could not be read, with why
 * @param readAt when
 */
public record EtcdClusterStatus(List<EtcdMemberStatus> members, List<EtcdEndpointFailure> unreachable,
		List<EtcdAlarm> alarms, String alarmsFailure, List<EtcdServerMetrics> metrics,
		List<EtcdEndpointFailure> metricsFailures, Instant readAt) {

	public EtcdClusterStatus {
		members = List.copyOf(members);
		unreachable = List.copyOf(unreachable);
		alarms = (alarms != null) ? List.copyOf(alarms) : null;
		metrics = List.copyOf(metrics);
		metricsFailures = List.copyOf(metricsFailures);
	}

	public boolean hasAlarm(EtcdAlarm.Type type) {
		return this.alarms != null && this.alarms.stream().anyMatch((a) -> a.type() == type);
	}

	public Optional<EtcdMemberStatus> leader() {
		return this.members.stream().filter(EtcdMemberStatus::leader).findFirst();
	}

	/**
	 * The quota from any member's metrics (they all run with the same flag, or should).
	 */
	public Optional<Long> quotaBackendBytes() {
		return this.metrics.stream()
			.map(EtcdServerMetrics::quotaBackendBytes)
			.filter(Objects::nonNull)
			.max(Comparator.naturalOrder());
	}

	/** The highest compact revision a member's metrics report (-1: never compacted). */
	public Optional<Long> compactRevision() {
		return this.metrics.stream()
			.map(EtcdServerMetrics::compactRevision)
			.filter(Objects::nonNull)
			.max(Comparator.naturalOrder());
	}

	/** The highest current revision any member reports. */
	public Optional<Long> currentRevision() {
		return this.members.stream().map(EtcdMemberStatus::revision).max(Comparator.naturalOrder());
	}

}
