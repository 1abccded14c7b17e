package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.NamespaceUsage;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.analysis.etcd.RegistryKey;
import dev.cpdoctor.analysis.etcd.RegistryLayout;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.EtcdLastResort;
import dev.cpdoctor.troubleshoot.remedy.InvalidRemedyParameter;
import dev.cpdoctor.troubleshoot.remedy.LeakedResource;
import dev.cpdoctor.troubleshoot.remedy.ObjectCountQuota;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * Cause 2's reading of a directly read etcd ({@link EtcdDirectFacts}): the alarms, the
 * file sizes against the quota, the prefixes that hold the space and the namespace that
 * dominates one.
 */
final class DirectEtcdRule {

	/** How many of the largest prefixes are evidence. */
	static final int TOP_PREFIXES = 3;

	/**
	 * A namespace holding at least this share of a prefix's bytes is the one the remedies
	 * act on.
	 */
	static final double DOMINANT = 0.5;

	/** The namespace that holds most of a prefix, and where that was learnt. */
	record Dominant(String namespace, PrefixUsage prefix, NamespaceUsage usage, long revision) {

		double fraction() {
			return (this.prefix.valueBytes() > 0) ? (double) this.usage.valueBytes() / this.prefix.valueBytes() : 0;
		}

		String describe() {
			return String.format(Locale.ROOT, "The remedies act on namespace %s: no namespace was chosen, and the etcd"
					+ " scan at revision %d found %.0f %% of %s's bytes there (%s keys); choose another with namespace=",
					this.namespace, this.revision, fraction() * 100, this.prefix.keyPrefix(),
					ObjectCountQuota.number(this.usage.keys()));
		}

	}

	/** A read of etcd this long after a window's end is still that window's. */
	static final Duration CURRENT = Duration.ofHours(1);

	/** The alarms: said before anything else. */
	private final List<Evidence> first = new ArrayList<>();

	/** The rest: after the apiserver's evidence. */
	private final List<Evidence> later = new ArrayList<>();

	private final EtcdClusterStatus status;

	private final KeyspaceUsage keyspace;

	private boolean nospace;

	private Double usedFraction;

	private DirectEtcdRule(EtcdClusterStatus status, KeyspaceUsage keyspace) {
		this.status = status;
		this.keyspace = keyspace;
	}

	static DirectEtcdRule of(String cluster, EtcdDirectFacts facts) {
		EtcdClusterStatus status = (facts.status() instanceof SourceResult.Ok<EtcdClusterStatus> ok) ? ok.value()
				: null;
		KeyspaceUsage keyspace = (facts.keyspace() instanceof SourceResult.Ok<KeyspaceUsage> ok) ? ok.value() : null;
		String page = "/etcd?cluster=" + cluster;
		Instant readAt = (status != null) ? status.readAt() : (keyspace != null) ? keyspace.scannedAt() : null;
		if (facts.windowEnd() != null && readAt != null && facts.windowEnd().isBefore(readAt.minus(CURRENT))) {
			DirectEtcdRule past = new DirectEtcdRule(null, null);
			past.later.add(new Evidence("etcd was read directly at " + readAt + ", after this window's end: its alarms"
					+ " and prefixes are not this window's and are left out", "etcd", null, page));
			return past;
		}
		DirectEtcdRule rule = new DirectEtcdRule(status, keyspace);
		rule.status(facts.status(), page);
		rule.prefixes(facts.keyspace(), "/api/v1/clusters/" + cluster + "/etcd/prefixes", page);
		return rule;
	}

	/**
	 * The alarms first (the loud one first of all), then the largest member file against
	 * the quota.
	 */
	private void status(SourceResult<EtcdClusterStatus> read, String page) {
		EtcdClusterStatus status = this.status;
		if (status == null) {
			this.later.add(new Evidence("etcd, read directly, did not answer: " + ObjectLeakCheck.reason(read), "etcd",
					null, page));
			return;
		}
		this.nospace = status.hasAlarm(EtcdAlarm.Type.NOSPACE);
		long largest = status.members().stream().mapToLong(EtcdMemberStatus::dbSizeBytes).max().orElse(-1);
		Long quota = status.quotaBackendBytes().orElse(null);
		if (largest >= 0 && quota != null && quota > 0) {
			this.usedFraction = (double) largest / quota;
		}
		String size = (this.usedFraction != null)
				? String.format(Locale.ROOT, "; the largest member file is %s, %.1f %% of its %s quota", bytes(largest),
						this.usedFraction * 100, bytes(quota))
				: "";
		if (status.alarms() == null) {
			this.later.add(new Evidence("etcd's alarm list could not be read: " + status.alarmsFailure() + size, "etcd",
					this.usedFraction, page));
		}
		else if (status.alarms().isEmpty()) {
			this.later
				.add(new Evidence("etcd, read directly, raises no alarm" + size, "etcd", this.usedFraction, page));
		}
		for (EtcdAlarm alarm : (status.alarms() != null) ? status.alarms() : List.<EtcdAlarm>of()) {
			this.first.add(new Evidence(switch (alarm.type()) {
				case NOSPACE -> "etcd raised the NOSPACE alarm (member " + alarm.memberIdHex() + "): over its quota it"
						+ " refuses writes - the cluster is read-only, and deletes through the apiserver fail too, until"
						+ " keys are deleted in etcd, then compacted, defragmented and the alarm disarmed" + size;
				case CORRUPT -> "etcd raised the CORRUPT alarm (member " + alarm.memberIdHex() + "): its data differs"
						+ " from the other members' - read etcd's logs before anything else";
				case OTHER -> "etcd raised an alarm (member " + alarm.memberIdHex() + ")";
			}, "etcd", (alarm.type() == EtcdAlarm.Type.NOSPACE) ? this.usedFraction : null, page));
		}
		// the loud one first
		this.first.sort(Comparator.comparing((Evidence e) -> !e.text().contains("NOSPACE")));
	}

	/** The largest key prefixes: keys, bytes, share of all values, top namespace. */
	private void prefixes(SourceResult<KeyspaceUsage> read, String prefixes, String page) {
		KeyspaceUsage keyspace = this.keyspace;
		if (keyspace == null) {
			this.later
				.add(new Evidence("Space by key prefix unknown: " + ObjectLeakCheck.reason(read), "etcd", null, page));
			return;
		}
		keyspace.prefixes().stream().limit(TOP_PREFIXES).forEach((p) -> {
			double share = (keyspace.valueBytes() > 0) ? (double) p.valueBytes() / keyspace.valueBytes() : 0;
			String top = p.namespaces()
				.stream()
				.findFirst()
				.filter((n) -> n.namespace() != null)
				.map((n) -> String.format(Locale.ROOT, "; most in namespace %s (%.0f %%)", n.namespace(),
						(p.valueBytes() > 0) ? 100.0 * n.valueBytes() / p.valueBytes() : 0))
				.orElse("");
			this.later.add(new Evidence(
					String.format(Locale.ROOT,
							"In etcd (scan at revision %d): %s holds %s keys, %s (%.0f %% of all values)%s%s",
							keyspace.revision(), label(p), ObjectCountQuota.number(p.keys()), bytes(p.valueBytes()),
							share * 100, top,
							(p.keys() > ObjectCount.RISKY_COUNT)
									? ", over " + ObjectCountQuota.number(ObjectCount.RISKY_COUNT) : ""),
					"etcd", (double) p.valueBytes(), prefixes));
		});
	}

	private static String label(PrefixUsage p) {
		return RegistryKey.OUTSIDE_PREFIX.equals(p.resourcePrefix()) ? p.resourcePrefix() : p.keyPrefix();
	}

	/** The alarms, said before the apiserver's evidence. */
	List<Evidence> first() {
		return this.first;
	}

	/** The rest, after it. */
	List<Evidence> later() {
		return this.later;
	}

	boolean nospace() {
		return this.nospace;
	}

	/**
	 * The largest member file against the quota from the members' /metrics; null when
	 * unknown.
	 */
	Double usedFraction() {
		return this.usedFraction;
	}

	/** The largest prefix by bytes, when it is an apiserver resource over 10,000 keys. */
	PrefixUsage riskyPrefix() {
		return largest().filter((p) -> p.keys() > ObjectCount.RISKY_COUNT).orElse(null);
	}

	private Optional<PrefixUsage> largest() {
		return (this.keyspace == null) ? Optional.empty()
				: this.keyspace.prefixes()
					.stream()
					.filter((p) -> !RegistryKey.OUTSIDE_PREFIX.equals(p.resourcePrefix()))
					.findFirst();
	}

	/**
	 * The largest prefix as the object count the remedies are built for (when the
	 * apiserver gave none).
	 */
	Optional<ObjectCount> asObjectCount() {
		return largest().map((p) -> new ObjectCount(p.group(), p.resource(), p.keys()));
	}

	/** The namespace holding most of the target's prefix, when one does. */
	Optional<Dominant> dominantNamespace(ObjectCount target) {
		if (this.keyspace == null) {
			return Optional.empty();
		}
		return RegistryLayout.resourcePrefix(target.group(), target.resource())
			.flatMap(this.keyspace::prefix)
			.flatMap((p) -> dominant(p).map((n) -> new Dominant(n.namespace(), p, n, this.keyspace.revision())));
	}

	private static Optional<NamespaceUsage> dominant(PrefixUsage prefix) {
		return prefix.namespaces()
			.stream()
			.findFirst()
			.filter((n) -> n.namespace() != null && prefix.valueBytes() > 0
					&& n.valueBytes() >= DOMINANT * prefix.valueBytes())
			.filter((n) -> {
				try {
					return LeakedResource.namespace(n.namespace()) != null;
				}
				catch (InvalidRemedyParameter ex) {
					return false;
				}
			});
	}

	/**
	 * The last resort for the largest prefix - narrowed to its dominant namespace when
	 * one holds most of it - with the members to defragment, the leader last; advice when
	 * the prefix holds characters unfit for a shell.
	 */
	Optional<Remediation> lastResort() {
		return largest().map((p) -> {
			NamespaceUsage ns = dominant(p).orElse(null);
			String prefix = (ns != null) ? p.keyPrefix() + ns.namespace() + "/" : p.keyPrefix();
			String what = p.group().isEmpty() ? p.resource() : p.resource() + "." + p.group();
			List<String> members = (this.status == null) ? List.of()
					: this.status.members()
						.stream()
						.sorted(Comparator.comparing(EtcdMemberStatus::leader))
						.map(EtcdMemberStatus::endpoint)
						.toList();
			try {
				return EtcdLastResort.forKeyPrefix(prefix, what,
						(ns != null) ? "in namespace " + ns.namespace() : "in every namespace", ns == null, members);
			}
			catch (InvalidRemedyParameter ex) {
				return new Remediation("Last resort: the prefix holding the space (" + prefix + ") has characters unfit"
						+ " for a shell command: delete its keys with etcdctl del --prefix after a snapshot, by hand",
						null);
			}
		});
	}

	static String bytes(long bytes) {
		if (bytes >= (1L << 30)) {
			return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
		}
		if (bytes >= (1L << 20)) {
			return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
		}
		return String.format(Locale.ROOT, "%,d bytes", bytes);
	}

}
