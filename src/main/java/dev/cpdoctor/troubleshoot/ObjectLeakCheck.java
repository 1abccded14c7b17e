package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.KnownOffender;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.FinishedJobs;
import dev.cpdoctor.troubleshoot.remedy.LeakRemedies;
import dev.cpdoctor.troubleshoot.remedy.LeakedResource;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.remedy.ObjectCountQuota;
import dev.cpdoctor.troubleshoot.remedy.Remediation;

/**
 * Cause 2, a client leaks etcd objects. The rule, on the newest etcd sample at the
 * window's end, the DB size against the cluster's quota and the growth of the four weeks
 * before:
 * <ul>
 * <li>LIKELY when a resource holds more than {@link ObjectCount#RISKY_COUNT} (10,000)
 * objects, or the DB is at or over the quota ({@link #FULL}), or at {@link #HIGH} (80 %)
 * or more of it and growing (a fitted slope of at least a byte a day);</li>
 * <li>POSSIBLE when the DB is at 80 % or more without growth, at {@link #ELEVATED} (60 %)
 * or more and growing, or growing fast enough to reach the quota within
 * {@link #SOON_DAYS} (30) days;</li>
 * <li>UNLIKELY when the object counts were read and none of the above holds;</li>
 * <li>UNKNOWN when no object counts could be read and nothing above holds (the sources'
 * errors are the evidence).</li>
 * </ul>
 * Remedies, when LIKELY or POSSIBLE and a resource is over 10,000: for the biggest, a
 * paged delete and an object-count quota (for the namespace the user chose, else a marked
 * placeholder), finished-Jobs clean-up when Jobs are among the risky resources, and the
 * direct-etcd last resort when the DB is over its quota.
 */
public final class ObjectLeakCheck implements CauseCheck {

	/** The cause this class checks, as the symptom table lists it. */
	public static final Cause CAUSE = new Cause(2, "A client leaks etcd objects",
			"Object counts per resource: risky above 10,000 of one type; the DB size against the quota (etcd page)",
			List.of(new Remediation("Cap object counts per namespace with a ResourceQuota", null),
					new Remediation("Delete finished Jobs", "kubectl delete jobs --field-selector status.successful=1"),
					new Remediation("Let Jobs clean up after themselves with ttlSecondsAfterFinished", null),
					new Remediation("Delete large collections in pages of 1000 (only while etcd is under quota)",
							"kubectl delete --raw \"/apis/<group>/<version>/namespaces/<ns>/<kind>?limit=1000\""),
					new Remediation("Use labels for bulk delete and owner references for cascading delete", null)));

	static final double FULL = 1.0;

	static final double HIGH = 0.80;

	static final double ELEVATED = 0.60;

	static final double SOON_DAYS = 30;

	/**
	 * What stored history says at the window's end: the newest sample (object counts),
	 * the DB size against the quota, the growth of the weeks before.
	 */
	public record EtcdReadings(SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth) {
	}

	public static final Fact<EtcdReadings> ETCD_HISTORY = Fact.asked("etcd's stored history",
			(sources, cluster, window) -> {
				SourceResult<EtcdSample> latest = sources.etcd().latest(cluster, window);
				return SourceResult.ok(new EtcdReadings(latest, sources.etcd().usage(cluster, latest, window),
						sources.etcd().growth(cluster, window)));
			});

	/**
	 * What etcd says when read directly (members and alarms, space by key prefix, asked
	 * side by side); empty for a cluster whose etcd is not read directly.
	 */
	public static final Fact<Optional<EtcdDirectFacts>> ETCD_DIRECT = Fact.gathered("etcd, read directly",
			(sources, cluster, window, executor) -> {
				if (sources.direct() == null || !sources.direct().configured(cluster)) {
					return CompletableFuture.completedFuture(SourceResult.ok(Optional.empty()));
				}
				return executor.ask(() -> sources.direct().status(cluster))
					.thenCombine(executor.ask(() -> sources.direct().keyspace(cluster)),
							(status, keyspace) -> SourceResult
								.ok(Optional.of(new EtcdDirectFacts(status, keyspace, window.to()))));
			});

	@Override
	public Cause cause() {
		return CAUSE;
	}

	@Override
	public Set<Fact<?>> needs(Cluster cluster) {
		return Set.of(ETCD_HISTORY, ETCD_DIRECT);
	}

	@Override
	public CauseDiagnosis diagnose(Examination exam) {
		SourceResult<EtcdReadings> readings = exam.get(ETCD_HISTORY);
		EtcdDirectFacts direct = Optional.ofNullable(exam.get(ETCD_DIRECT).value()).flatMap((d) -> d).orElse(null);
		String cluster = exam.cluster().name();
		if (readings instanceof SourceResult.Ok<EtcdReadings> ok) {
			return check(cluster, ok.value().sample(), ok.value().usage(), ok.value().growth(), exam.manifests(),
					exam.namespace(), direct);
		}
		return check(cluster, SourceResult.failed(readings.error()), SourceResult.failed(readings.error()),
				SourceResult.failed(readings.error()), exam.manifests(), exam.namespace(), direct);
	}

	/**
	 * @param cluster the cluster's name, for the generated manifests
	 * @param sample the newest etcd sample at the window's end (object counts)
	 * @param usage the DB size against the quota
	 * @param growth the DB's growth over the weeks before the window's end
	 * @param manifests writes an object-count quota as YAML (the Kubernetes client's
	 * part, source.apiserver)
	 */
	public static CauseDiagnosis check(String cluster, SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth, Manifests manifests) {
		return check(cluster, sample, usage, growth, manifests, null);
	}

	/**
	 * The same, with the remedies for one namespace.
	 * @param namespace the namespace the user chose for the remedies (validated by
	 * {@link LeakedResource#namespace}); null for none: the namespaced commands then
	 * carry the placeholder {@value #NAMESPACE_PLACEHOLDER}, and finished Jobs are
	 * deleted in all namespaces
	 */
	public static CauseDiagnosis check(String cluster, SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth, Manifests manifests, String namespace) {
		return check(cluster, sample, usage, growth, manifests, namespace, null);
	}

	/**
	 * The same, with what etcd said when read directly (a self-managed cluster with
	 * cpdoctor.clusters[].etcd). On top of the rules above: the NOSPACE alarm makes the
	 * cause LIKELY and is said first; a key prefix over {@link ObjectCount#RISKY_COUNT}
	 * keys counts as a risky resource; the largest prefixes are evidence; the remedies
	 * act on the namespace that dominates the leaking prefix when the user chose none
	 * (and say so); under NOSPACE or over the quota the last resort deletes the exact
	 * prefix - and namespace - that holds the space.
	 * @param direct what etcd said; null for a cluster without direct etcd access (the
	 * rules above alone)
	 */
	public static CauseDiagnosis check(String cluster, SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth, Manifests manifests, String namespace, EtcdDirectFacts direct) {
		String chosen = LeakedResource.namespace(namespace);
		DirectEtcdRule etcd = (direct != null) ? DirectEtcdRule.of(cluster, direct) : null;
		Findings findings = new Findings();
		if (etcd != null) {
			findings.evidence.addAll(etcd.first());
		}
		findings.objectCounts(sample);
		findings.size(usage);
		findings.growth(growth);
		if (etcd != null) {
			findings.evidence.addAll(etcd.later());
			if (findings.used == null) {
				findings.used = etcd.usedFraction();
			}
		}
		Verdict verdict = findings.verdict(etcd, sample instanceof SourceResult.Ok);
		List<Remediation> remedies = new ArrayList<>();
		if (verdict == Verdict.LIKELY || verdict == Verdict.POSSIBLE) {
			remedies.addAll(findings.remedies(cluster, etcd, chosen, manifests));
		}
		remedies.addAll(CAUSE.remediations().stream().filter((r) -> r.kind() == Remediation.Kind.ADVICE).toList());
		return CauseDiagnosis.of(CAUSE, verdict, findings.evidence, remedies);
	}

	/** What the facts say, gathered as evidence in the order a reader needs it. */
	private static final class Findings {

		private final List<Evidence> evidence = new ArrayList<>();

		private List<ObjectCount> risky = List.of();

		private ObjectCount biggest;

		private Double used;

		private boolean growing;

		private Double daysToQuota;

		/** The resources over the risky count, biggest first (or the biggest of all). */
		void objectCounts(SourceResult<EtcdSample> sample) {
			if (!(sample instanceof SourceResult.Ok<EtcdSample> ok)) {
				this.evidence.add(Evidence.of("etcd", "Object counts unknown: " + reason(sample)));
				return;
			}
			List<ObjectCount> known = ok.value()
				.objects()
				.stream()
				.filter((o) -> o.count() != null)
				.sorted(Comparator.comparing(ObjectCount::count).reversed())
				.toList();
			this.risky = known.stream().filter(ObjectCount::isRisky).toList();
			this.biggest = known.isEmpty() ? null : known.get(0);
			for (ObjectCount o : this.risky) {
				String offender = KnownOffender.lookup(o.group(), o.resource())
					.map((k) -> "; known offender: " + k.why())
					.orElse("");
				this.evidence.add(new Evidence(
						o.qualifiedName() + ": " + ObjectCountQuota.number(o.count()) + " objects, over "
								+ ObjectCountQuota.number(ObjectCount.RISKY_COUNT) + offender,
						"etcd", (double) o.count(), null));
			}
			if (this.risky.isEmpty()) {
				this.evidence.add(new Evidence(
						(this.biggest != null)
								? "No resource over " + ObjectCountQuota.number(ObjectCount.RISKY_COUNT)
										+ " objects; the biggest is " + this.biggest.qualifiedName() + " with "
										+ ObjectCountQuota.number(this.biggest.count())
								: "The sample holds no object counts",
						"etcd", (this.biggest != null) ? (double) this.biggest.count() : null, null));
			}
		}

		void size(SourceResult<EtcdUsage> usage) {
			if (usage instanceof SourceResult.Ok<EtcdUsage> ok) {
				this.used = ok.value().usedFraction();
				this.evidence.add(Evidence.of("etcd", String.format(Locale.ROOT, "etcd DB at %.1f %% of its %s quota",
						this.used * 100, gib(ok.value().quotaBytes())), this.used));
			}
			else {
				this.evidence.add(Evidence.of("etcd", "etcd DB size unknown: " + reason(usage)));
			}
		}

		void growth(SourceResult<EtcdGrowth> growth) {
			if (growth instanceof SourceResult.Ok<EtcdGrowth> ok && ok.value().bytesPerDay() != null) {
				double perDay = ok.value().bytesPerDay();
				this.growing = perDay >= 1.0;
				this.daysToQuota = this.growing ? ok.value().daysToQuota() : null;
				this.evidence.add(Evidence.of("etcd",
						String.format(Locale.ROOT, "The DB grows %.1f MiB a day%s", perDay / (1 << 20),
								(this.daysToQuota != null) ? String.format(Locale.ROOT,
										"; at this rate it reaches the quota in %.0f days", this.daysToQuota) : ""),
						perDay));
			}
			else if (growth instanceof SourceResult.Failed<EtcdGrowth> failed) {
				this.evidence.add(Evidence.of("etcd", "Growth unknown: " + failed.reason()));
			}
		}

		Verdict verdict(DirectEtcdRule etcd, boolean countsRead) {
			boolean nospace = etcd != null && etcd.nospace();
			boolean riskyPrefix = etcd != null && etcd.riskyPrefix() != null;
			if (nospace || riskyPrefix || !this.risky.isEmpty()
					|| (this.used != null && (this.used >= FULL || (this.used >= HIGH && this.growing)))) {
				return Verdict.LIKELY;
			}
			if ((this.used != null && (this.used >= HIGH || (this.used >= ELEVATED && this.growing)))
					|| (this.daysToQuota != null && this.daysToQuota <= SOON_DAYS)) {
				return Verdict.POSSIBLE;
			}
			return countsRead ? Verdict.UNLIKELY : Verdict.UNKNOWN;
		}

		/**
		 * For the biggest risky resource (or the leaking prefix etcd shows): the last
		 * resort when etcd is full, then the resource's remedies, then the finished-Jobs
		 * clean-up when Jobs leak. The remedies act on the chosen namespace, else on the
		 * one that dominates the leaking prefix, else on a marked placeholder.
		 */
		List<Remediation> remedies(String cluster, DirectEtcdRule etcd, String chosen, Manifests manifests) {
			List<Remediation> remedies = new ArrayList<>();
			ObjectCount target = !this.risky.isEmpty() ? this.risky.get(0) : this.biggest;
			boolean nospace = etcd != null && etcd.nospace();
			boolean overQuota = nospace || (this.used != null && this.used >= FULL);
			if (etcd != null && (target == null || (this.risky.isEmpty() && etcd.riskyPrefix() != null))) {
				target = etcd.asObjectCount().orElse(target);
			}
			String forRemedies = chosen;
			if (etcd != null && chosen == null && target != null) {
				DirectEtcdRule.Dominant dominant = etcd.dominantNamespace(target).orElse(null);
				if (dominant != null) {
					forRemedies = dominant.namespace();
					this.evidence.add(new Evidence(dominant.describe(), "etcd", dominant.fraction(), null));
				}
			}
			Remediation lastResort = (etcd != null && overQuota) ? etcd.lastResort().orElse(null) : null;
			if (lastResort != null) {
				remedies.add(lastResort);
			}
			if (target != null) {
				// the direct last resort, for the exact prefix, replaces the one built
				// from the resource
				remedies.addAll(LeakRemedies.forResource(cluster, target, overQuota && lastResort == null, manifests,
						forRemedies));
			}
			if (this.risky.stream().anyMatch((o) -> o.group().equals("batch") && o.resource().equals("jobs"))) {
				remedies.add(FinishedJobs.delete(chosen));
				remedies.add(FinishedJobs.ttlHint());
			}
			return remedies;
		}

	}

	private static String gib(long bytes) {
		return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
	}

	static String reason(SourceResult<?> result) {
		return (result instanceof SourceResult.Failed<?> failed) ? failed.reason() : "no value";
	}

}
