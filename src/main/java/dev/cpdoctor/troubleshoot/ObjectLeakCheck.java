package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.etcd.KnownOffender;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.EtcdLastResort;
import dev.cpdoctor.troubleshoot.remedy.FinishedJobs;
import dev.cpdoctor.troubleshoot.remedy.InvalidRemedyParameter;
import dev.cpdoctor.troubleshoot.remedy.LeakedResource;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.remedy.ObjectCountQuota;
import dev.cpdoctor.troubleshoot.remedy.PagedDelete;
import dev.cpdoctor.troubleshoot.remedy.Printable;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ServedResources;

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
public final class ObjectLeakCheck {

	static final double FULL = 1.0;

	static final double HIGH = 0.80;

	static final double ELEVATED = 0.60;

	static final double SOON_DAYS = 30;

	/**
	 * The namespace the generated commands carry until the user replaces it: object
	 * counts are cluster-wide, so which namespaces hold the objects is for the
	 * count-by-namespace command to tell.
	 */
	static final String NAMESPACE_PLACEHOLDER = "your-namespace";

	private ObjectLeakCheck() {
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
				remedies.addAll(forResource(cluster, target, overQuota && lastResort == null, manifests, forRemedies));
			}
			if (risky.stream().anyMatch((o) -> o.group().equals("batch") && o.resource().equals("jobs"))) {
				remedies.add(FinishedJobs.delete(chosen));
				remedies.add(FinishedJobs.ttlHint());
			}
		}
		remedies.addAll(SymptomTable.OBJECT_LEAK.remediations()
			.stream()
			.filter((r) -> r.kind() == Remediation.Kind.ADVICE)
			.toList());
		return CauseDiagnosis.of(SymptomTable.OBJECT_LEAK, verdict, evidence, remedies);
	}

	/**
	 * Find where they are, delete them in pages, cap them; the last resort when etcd is
	 * full.
	 */
	static List<Remediation> forResource(String cluster, ObjectCount target, boolean overQuota, Manifests manifests) {
		return forResource(cluster, target, overQuota, manifests, null);
	}

	/**
	 * @param namespace the chosen namespace; null for the placeholder
	 */
	static List<Remediation> forResource(String cluster, ObjectCount target, boolean overQuota, Manifests manifests,
			String namespace) {
		String ns = (namespace != null) ? namespace : NAMESPACE_PLACEHOLDER;
		List<Remediation> remedies = new ArrayList<>();
		Optional<KnownOffender> offender = KnownOffender.lookup(target.group(), target.resource());
		offender.ifPresent((k) -> remedies.add(new Remediation(k.fix() + " (" + k.why() + ")", null)));
		ServedResources.Served served = ServedResources.SERVED.get(target.qualifiedName());
		LeakedResource resource;
		try {
			resource = (served != null) ? new LeakedResource(target.group(), served.version(), target.resource(),
					served.namespaced() ? ns : null, null) : null;
		}
		catch (InvalidRemedyParameter ex) {
			return remedies;
		}
		if (resource == null) {
			remedies.add(new Remediation("Delete unused " + Printable.line(target.qualifiedName())
					+ " in pages of 1000: find its version with kubectl api-resources, then kubectl delete --raw"
					+ " \"/apis/<group>/<version>/namespaces/<ns>/<resource>?limit=1000\", repeated", null));
			return remedies;
		}
		// Placeholder, not all namespaces: the apiserver deletes a collection one
		// namespace at a time,
		// and a loop over every namespace would also empty kube-system of configmaps,
		// secrets or pods.
		String placeholder = (namespace != null) ? null : "No namespace chosen: " + NAMESPACE_PLACEHOLDER
				+ " is a placeholder (it matches no namespace, so pasted as is this deletes nothing). Choose a"
				+ " namespace the count by namespace lists (namespace= in the page's URL or the API), or replace it.";
		if (served.namespaced()) {
			remedies.add(Remediation.command("Count the " + resource.qualifiedName() + " by namespace",
					"kubectl get " + resource.qualifiedName()
							+ " -A --no-headers -o custom-columns=NS:.metadata.namespace"
							+ " | sort | uniq -c | sort -rn | head -20\n",
					List.of("kubectl reads them in chunks of 500 (--chunk-size): slow for very many, but paginated.")));
		}
		if (overQuota) {
			Remediation last = EtcdLastResort.of(resource);
			remedies.add((served.namespaced() && placeholder != null) ? withWarning(last, placeholder) : last);
		}
		Remediation paged = PagedDelete.of(resource);
		remedies.add((served.namespaced() && placeholder != null) ? withWarning(paged, placeholder) : paged);
		if (served.namespaced()) {
			ObjectCountQuota quota = ObjectCountQuota.of(cluster, ns, target.group(), target.resource(), null,
					"cluster-wide count " + target.count() + " (apiserver object counts)");
			String limit = "The limit is " + ObjectCountQuota.number(quota.hard())
					+ ": lower it to what the namespace needs.";
			remedies.add(withWarning(quota.remediation(manifests),
					(placeholder != null) ? placeholder + " " + limit : limit));
		}
		return remedies;
	}

	private static Remediation withWarning(Remediation r, String warning) {
		return new Remediation(r.summary(), r.kind(), r.text(), concat(r.warnings(), warning));
	}

	private static List<String> concat(List<String> list, String more) {
		List<String> all = new ArrayList<>(list);
		all.add(more);
		return all;
	}

	private static String gib(long bytes) {
		return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
	}

	static String reason(SourceResult<?> result) {
		return (result instanceof SourceResult.Failed<?> failed) ? failed.reason() : "no value";
	}

}
