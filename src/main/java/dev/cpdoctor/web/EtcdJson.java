package dev.cpdoctor.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.RegistryKey;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.EtcdHistoryFacts;

/** The etcd JSON API's answers (docs/api.md), and how they are made from the records. */
final class EtcdJson {

	private EtcdJson() {
	}

	record ObjectJson(String group, String resource, Long count) {
	}

	record MemberJson(String member, Long dbSizeBytes) {
	}

	/**
	 * The etcd JSON. The apiserver's sample: sizeMetric to objects (null and empty when
	 * there is no sample yet, for a cluster whose etcd is read directly). Read directly
	 * (clusters with cpdoctor.clusters[].etcd only; absent for the others): alarms,
	 * members, unreachable, and etcdError when etcd could not be read at all, alarmsError
	 * when only its alarm list could not.
	 */
	record UsageJson(String cluster, String sizeMetric, Long dbSizeBytes, long quotaBytes, Double usedFraction,
			String sampledAt, List<ObjectJson> objects,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<AlarmJson> alarms,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<EtcdMemberJson> members,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<UnreachableJson> unreachable,
			@JsonInclude(JsonInclude.Include.NON_NULL) String alarmsError,
			@JsonInclude(JsonInclude.Include.NON_NULL) String etcdError) {

		/** A cluster whose etcd is read directly, without an apiserver sample yet. */
		static UsageJson noSample(Cluster cluster) {
			return new UsageJson(cluster.name(), null, null, cluster.etcdQuota().toBytes(), null, null, List.of(), null,
					null, null, null, null);
		}

		static UsageJson of(Cluster cluster, EtcdSample sample) {
			long quota = cluster.etcdQuota().toBytes();
			Double fraction = (sample.dbSizeBytes() != null) ? (double) sample.dbSizeBytes() / quota : null;
			return new UsageJson(cluster.name(), sample.sizeMetric(), sample.dbSizeBytes(), quota, fraction,
					sample.at().toString(),
					sample.objects().stream().map((o) -> new ObjectJson(o.group(), o.resource(), o.count())).toList(),
					null, null, null, null, null);
		}

		UsageJson withDirect(SourceResult<EtcdClusterStatus> status) {
			if (!status.ok()) {
				return new UsageJson(this.cluster, this.sizeMetric, this.dbSizeBytes, this.quotaBytes,
						this.usedFraction, this.sampledAt, this.objects, null, null, null, null, status.error());
			}
			EtcdClusterStatus s = status.value();
			return new UsageJson(this.cluster, this.sizeMetric, this.dbSizeBytes, this.quotaBytes, this.usedFraction,
					this.sampledAt, this.objects,
					(s.alarms() != null)
							? s.alarms().stream().map((a) -> new AlarmJson(a.type().name(), a.memberIdHex())).toList()
							: null,
					s.members().stream().map(EtcdMemberJson::of).toList(),
					s.unreachable().stream().map((u) -> new UnreachableJson(u.endpoint(), u.reason())).toList(),
					s.alarmsFailure(), null);
		}

	}

	/**
	 * A raised etcd alarm: NOSPACE, CORRUPT or OTHER, and the member (hex id) that raised
	 * it.
	 */
	record AlarmJson(String type, String memberId) {
	}

	/** One etcd member as it answered the status call. */
	record EtcdMemberJson(String endpoint, String memberId, String version, long dbSizeBytes, long dbSizeInUseBytes,
			boolean isLeader, long raftIndex, long revision) {

		static EtcdMemberJson of(EtcdMemberStatus m) {
			return new EtcdMemberJson(m.endpoint(), m.memberIdHex(), m.version(), m.dbSizeBytes(), m.dbSizeInUseBytes(),
					m.leader(), m.raftIndex(), m.revision());
		}

	}

	record UnreachableJson(String endpoint, String reason) {
	}

	/**
	 * One key prefix of a keyspace scan; namespaces only when asked for
	 * (?namespaces=true).
	 */
	record PrefixJson(String prefix, String group, String resource, long keys, long bytes,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<NamespaceJson> namespaces) {

		/** The scan's prefixes, largest bytes first. */
		static List<PrefixJson> of(KeyspaceUsage usage, boolean namespaces) {
			return usage.prefixes()
				.stream()
				.map((p) -> new PrefixJson(
						RegistryKey.OUTSIDE_PREFIX.equals(p.resourcePrefix()) ? p.resourcePrefix() : p.keyPrefix(),
						p.group(), p.resource(), p.keys(), p.valueBytes(),
						namespaces ? p.namespaces()
							.stream()
							.map((n) -> new NamespaceJson(n.namespace(), n.keys(), n.valueBytes()))
							.toList() : null))
				.toList();
		}

	}

	/** namespace null: the prefix's cluster-scoped keys. */
	record NamespaceJson(String namespace, long keys, long bytes) {
	}

	record UploadJson(String cluster, String sizeMetric, Long dbSizeBytes, long quotaBytes, Double usedFraction,
			String sampledAt, List<ObjectJson> objects, List<MemberJson> members, String kubernetesVersion,
			ParseJson parse) {

		static UploadJson of(UsageJson usage, ApiserverSnapshot snapshot) {
			return new UploadJson(usage.cluster(), usage.sizeMetric(), usage.dbSizeBytes(), usage.quotaBytes(),
					usage.usedFraction(), usage.sampledAt(), usage.objects(),
					snapshot.members().stream().map((m) -> new MemberJson(m.member(), m.dbSizeBytes())).toList(),
					snapshot.gitVersion(), new ParseJson(snapshot.report().lines(), snapshot.report().samples(),
							snapshot.report().kept(), snapshot.report().malformed()));
		}

	}

	record ParseJson(long lines, long samples, long kept, Map<String, Long> malformed) {
	}

	record PointJson(String at, long dbSizeBytes) {
	}

	record ResourceJson(String group, String resource, Long countFrom, Long countTo) {
	}

	record GrowthJson(String cluster, String from, String to, List<PointJson> points, Double bytesPerDay,
			Double daysToQuota, List<ResourceJson> resources) {

		static GrowthJson of(Cluster cluster, TimeWindow window, EtcdHistoryFacts.WindowGrowth growth) {
			return new GrowthJson(cluster.name(), window.from().toString(), window.to().toString(),
					growth.growth()
						.points()
						.stream()
						.map((p) -> new PointJson(p.at().toString(), p.dbSizeBytes()))
						.toList(),
					growth.growth().bytesPerDay(), growth.growth().daysToQuota(),
					growth.resources()
						.stream()
						.map((r) -> new ResourceJson(r.group(), r.resource(), r.countFrom(), r.countTo()))
						.toList());
		}

	}

}
