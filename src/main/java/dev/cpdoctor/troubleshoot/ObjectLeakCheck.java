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
		List<Evidence> evidence = new ArrayList<>();
		DirectEtcdRule etcd = (direct != null) ? DirectEtcdRule.of(cluster, direct) : null;
		if (etcd != null) {
			evidence.addAll(etcd.first());
		}
		List<ObjectCount> risky = List.of();
		ObjectCount biggest = null;
		if (sample instanceof SourceResult.Ok<EtcdSample> ok) {
			List<ObjectCount> known = ok.value()
				.objects()
				.stream()
				.filter((o) -> o.count() != null)
				.sorted(Comparator.comparing(ObjectCount::count).reversed())
				.toList();
			risky = known.stream().filter(ObjectCount::isRisky).toList();
			biggest = known.isEmpty() ? null : known.get(0);
			for (ObjectCount o : risky) {
				String offender = KnownOffender.lookup(o.group(), o.resource())
					.map((k) -> "; known offender: " + k.why())
					.orElse("");
				evidence.add(new Evidence(
						o.qualifiedName() + ": " + ObjectCountQuota.number(o.count()) + " objects, over "
								+ ObjectCountQuota.number(ObjectCount.RISKY_COUNT) + offender,
						"etcd", (double) o.count(), null));
			}
			if (risky.isEmpty()) {
				evidence.add(new Evidence(
						(biggest != null)
								? "No resource over " + ObjectCountQuota.number(ObjectCount.RISKY_COUNT)
										+ " objects; the biggest is " + biggest.qualifiedName() + " with "
										+ ObjectCountQuota.number(biggest.count())
								: "The sample holds no object counts",
						"etcd", (biggest != null) ? (double) biggest.count() : null, null));
			}
		}
		else {
			evidence.add(Evidence.of("etcd", "Object counts unknown: " + reason(sample)));
		}
		Double used = null;
		if (usage instanceof SourceResult.Ok<EtcdUsage> ok) {
			used = ok.value().usedFraction();
			evidence.add(Evidence.of("etcd", String.format(Locale.ROOT, "etcd DB at %.1f %% of its %s quota",
					used * 100, gib(ok.value().quotaBytes())), used));
		}
		else {
			evidence.add(Evidence.of("etcd", "etcd DB size unknown: " + reason(usage)));
		}
		boolean growing = false;
		Double daysToQuota = null;
		if (growth instanceof SourceResult.Ok<EtcdGrowth> ok && ok.value().bytesPerDay() != null) {
			double perDay = ok.value().bytesPerDay();
			growing = perDay >= 1.0;
			daysToQuota = growing ? ok.value().daysToQuota() : null;
			evidence
				.add(Evidence.of("etcd",
						String.format(Locale.ROOT, "The DB grows %.1f MiB a day%s", perDay / (1 << 20),
								(daysToQuota != null) ? String.format(Locale.ROOT,
										"; at this rate it reaches the quota in %.0f days", daysToQuota) : ""),
						perDay));
		}
		else if (growth instanceof SourceResult.Failed<EtcdGrowth> failed) {
			evidence.add(Evidence.of("etcd", "Growth unknown: " + failed.reason()));
		}
		if (etcd != null) {
			evidence.addAll(etcd.later());
		}
		if (etcd != null && used == null && etcd.usedFraction() != null) {
			used = etcd.usedFraction();
		}
		boolean nospace = etcd != null && etcd.nospace();
		boolean riskyPrefix = etcd != null && etcd.riskyPrefix() != null;
		Verdict verdict;
		if (nospace || riskyPrefix || !risky.isEmpty()
				|| (used != null && (used >= FULL || (used >= HIGH && growing)))) {
			verdict = Verdict.LIKELY;
		}
		else if ((used != null && (used >= HIGH || (used >= ELEVATED && growing)))
				|| (daysToQuota != null && daysToQuota <= SOON_DAYS)) {
			verdict = Verdict.POSSIBLE;
		}
		else if (sample instanceof SourceResult.Ok) {
			verdict = Verdict.UNLIKELY;
		}
		else {
			verdict = Verdict.UNKNOWN;
		}
		List<Remediation> remedies = new ArrayList<>();
		if (verdict == Verdict.LIKELY || verdict == Verdict.POSSIBLE) {
			ObjectCount target = !risky.isEmpty() ? risky.get(0) : biggest;
			boolean overQuota = nospace || (used != null && used >= FULL);
			if (etcd != null && (target == null || (risky.isEmpty() && riskyPrefix))) {
				target = etcd.asObjectCount().orElse(target);
			}
			String forRemedies = chosen;
			if (etcd != null && chosen == null && target != null) {
				DirectEtcdRule.Dominant dominant = etcd.dominantNamespace(target).orElse(null);
				if (dominant != null) {
					forRemedies = dominant.namespace();
					evidence.add(new Evidence(dominant.describe(), "etcd", dominant.fraction(), null));
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
			if (risky.stream().anyMatch((o) -> o.group().equals("batch") && o.resource().equals("jobs"))) {
				remedies.add(FinishedJobs.delete(chosen));
				remedies.add(FinishedJobs.ttlHint());
			}
		}
		remedies.addAll(CAUSE.remediations().stream().filter((r) -> r.kind() == Remediation.Kind.ADVICE).toList());
		return CauseDiagnosis.of(CAUSE, verdict, evidence, remedies);
	}

	private static String gib(long bytes) {
		return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
	}

	static String reason(SourceResult<?> result) {
		return (result instanceof SourceResult.Failed<?> failed) ? failed.reason() : "no value";
	}

}
