package dev.cpdoctor.analysis.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;

/**
 * What one apiserver /metrics body says about etcd and the load on the apiserver.
 * Families are detected by presence, never by version (DOMAIN.md, "Metrics"): on a
 * version boundary several may be served, and the newest wins.
 *
 * @param gitVersion kubernetes_build_info's git_version (gitVersion before 1.19), null
 * when absent
 * @param sizeMetric the family the DB size came from, null when none is served
 * @param members the DB size per etcd endpoint or storage cluster; null bytes when -1
 * (unknown)
 * @param objectsMetric the family the object counts came from, null when none is served
 * @param objects objects per resource; null count when -1 (unknown)
 * @param sizeEstimates apiserver_resource_size_estimate_bytes per resource (1.34+), null
 * when -1
 * @param apfRejections apiserver_flowcontrol_rejected_requests_total per flow schema,
 * priority level, reason
 * @param requests apiserver_request_total summed per verb, resource and code class
 * @param report the parser's report: lines, kept samples, malformed lines by reason
 */
public record ApiserverSnapshot(String gitVersion, String sizeMetric, List<EtcdMember> members, String objectsMetric,
		List<ObjectCount> objects, List<ResourceSize> sizeEstimates, List<ApfRejections> apfRejections,
		List<RequestCount> requests, ParseReport report) {

	public static final String BUILD_INFO = "kubernetes_build_info";

	/** DB size families, newest first. */
	public static final List<String> SIZE_FAMILIES = List.of("apiserver_storage_size_bytes",
			"apiserver_storage_db_total_size_in_bytes", "etcd_db_total_size_in_bytes");

	/** Object count families, newest first. */
	public static final List<String> OBJECT_FAMILIES = List.of("apiserver_resource_objects",
			"apiserver_storage_objects", "etcd_object_counts");

	public static final String SIZE_ESTIMATE = "apiserver_resource_size_estimate_bytes";

	public static final String APF_REJECTED = "apiserver_flowcontrol_rejected_requests_total";

	public static final String REQUESTS = "apiserver_request_total";

	/** Every family the product keeps from an apiserver scrape. */
	public static final List<String> FAMILIES = families();

	private static final PrometheusTextParser PARSER = new PrometheusTextParser(FAMILIES);

	/** Parses an apiserver /metrics body, streaming; the caller closes the stream. */
	public static ApiserverSnapshot parse(InputStream body) throws IOException {
		Collector collector = new Collector();
		ParseReport report = PARSER.parse(body, collector);
		return collector.build(report);
	}

	public record ResourceSize(String group, String resource, Long bytes) {
	}

	public record ApfRejections(String flowSchema, String priorityLevel, String reason, double total) {
	}

	public record RequestCount(String verb, String resource, int codeClass, double total) {
	}

	public ApiserverSnapshot {
		members = List.copyOf(members);
		objects = List.copyOf(objects);
		sizeEstimates = List.copyOf(sizeEstimates);
		apfRejections = List.copyOf(apfRejections);
		requests = List.copyOf(requests);
		Objects.requireNonNull(report, "report");
	}

	/** Whether the body said anything about etcd: a DB size family or object counts. */
	public boolean hasEtcdData() {
		return this.sizeMetric != null || !this.objects.isEmpty();
	}

	/** The DB size to measure against the quota: the largest known member. */
	public Long dbSizeBytes() {
		return this.members.stream()
			.map(EtcdMember::dbSizeBytes)
			.filter(Objects::nonNull)
			.max(Long::compare)
			.orElse(null);
	}

	public EtcdSample toEtcdSample(Instant at) {
		return new EtcdSample(at, this.sizeMetric, dbSizeBytes(), this.objects);
	}

	private static List<String> families() {
		List<String> all = new ArrayList<>();
		all.add(BUILD_INFO);
		all.addAll(SIZE_FAMILIES);
		all.addAll(OBJECT_FAMILIES);
		all.add(SIZE_ESTIMATE);
		all.add(APF_REJECTED);
		all.add(REQUESTS);
		return List.copyOf(all);
	}

	/** Collects the kept samples of one parse and builds the snapshot. */
	public static final class Collector implements PrometheusTextParser.SampleSink {

		private final Map<String, List<MetricSample>> byFamily = new LinkedHashMap<>();

		@Override
		public void accept(MetricSample sample) {
			// OpenMetrics' _created series hold timestamps, not counts.
			if (sample.name().endsWith("_created")) {
				return;
			}
			this.byFamily.computeIfAbsent(sample.family(), (f) -> new ArrayList<>()).add(sample);
		}

		public ApiserverSnapshot build(ParseReport report) {
			// Duplicate series (a bundle concatenating several apiservers' /metrics, or
			// extra labels) merge by one rule everywhere: the largest known value wins.
			String sizeMetric = firstKnown(SIZE_FAMILIES);
			Map<String, EtcdMember> members = new TreeMap<>();
			if (sizeMetric != null) {
				for (MetricSample s : this.byFamily.get(sizeMetric)) {
					String member = firstNonNull(s.label("storage_cluster_id"), s.label("cluster"), s.label("endpoint"),
							"");
					members.merge(member, new EtcdMember(member, knownCount(s.value())),
							(a, b) -> isLarger(b.dbSizeBytes(), a.dbSizeBytes()) ? b : a);
				}
			}
			String objectsMetric = firstKnown(OBJECT_FAMILIES);
			List<ObjectCount> objects = new ArrayList<>();
			if (objectsMetric != null) {
				Map<String, ObjectCount> unique = new LinkedHashMap<>();
				for (MetricSample s : this.byFamily.get(objectsMetric)) {
					ObjectCount count = objectCount(s);
					if (count != null) {
						unique.merge(count.qualifiedName(), count, (a, b) -> isLarger(b.count(), a.count()) ? b : a);
					}
				}
				objects.addAll(unique.values());
				objects.sort(Comparator.comparing(ObjectCount::count, Comparator.nullsLast(Comparator.reverseOrder()))
					.thenComparing(ObjectCount::qualifiedName));
			}
			List<ResourceSize> estimates = new ArrayList<>();
			for (MetricSample s : samples(SIZE_ESTIMATE)) {
				String resource = s.label("resource");
				if (resource != null) {
					estimates.add(new ResourceSize(nullToEmpty(s.label("group")), resource, knownCount(s.value())));
				}
			}
			Map<List<String>, ApfRejections> apf = new LinkedHashMap<>();
			for (MetricSample s : samples(APF_REJECTED)) {
				if (!Double.isFinite(s.value()) || s.value() < 0) {
					continue;
				}
				ApfRejections r = new ApfRejections(nullToEmpty(s.label("flow_schema")),
						nullToEmpty(s.label("priority_level")), nullToEmpty(s.label("reason")), s.value());
				apf.merge(List.of(r.flowSchema(), r.priorityLevel(), r.reason()), r,
						(a, b) -> (b.total() > a.total()) ? b : a);
			}
			Map<String, ResourceSize> uniqueEstimates = new LinkedHashMap<>();
			estimates.forEach((e) -> uniqueEstimates.merge(e.group() + "/" + e.resource(), e,
					(a, b) -> isLarger(b.bytes(), a.bytes()) ? b : a));
			return new ApiserverSnapshot(gitVersion(), sizeMetric, new ArrayList<>(members.values()), objectsMetric,
					objects, new ArrayList<>(uniqueEstimates.values()), new ArrayList<>(apf.values()), requestCounts(),
					report);
		}

		private List<RequestCount> requestCounts() {
			record Key(String verb, String resource, int codeClass) {
			}
			Map<Key, Double> totals = new LinkedHashMap<>();
			for (MetricSample s : samples(REQUESTS)) {
				if (!Double.isFinite(s.value()) || s.value() < 0) {
					continue;
				}
				String group = nullToEmpty(s.label("group"));
				String resource = nullToEmpty(s.label("resource"));
				String qualified = group.isEmpty() || resource.isEmpty() ? resource : resource + "." + group;
				String subresource = nullToEmpty(s.label("subresource"));
				if (!subresource.isEmpty()) {
					qualified = qualified + "/" + subresource;
				}
				totals.merge(new Key(nullToEmpty(s.label("verb")), qualified, codeClass(s.label("code"))), s.value(),
						Double::sum);
			}
			List<RequestCount> counts = new ArrayList<>();
			totals.forEach((k, total) -> counts.add(new RequestCount(k.verb(), k.resource(), k.codeClass(), total)));
			return counts;
		}

		private String gitVersion() {
			for (MetricSample s : samples(BUILD_INFO)) {
				String version = firstNonNull(s.label("git_version"), s.label("gitVersion"), null);
				if (version != null) {
					return version;
				}
			}
			return null;
		}

		/**
		 * The newest served family that knows a value; on a version boundary a newer
		 * family may report only -1 while an older one still has the number. Else the
		 * newest served at all.
		 */
		private String firstKnown(List<String> families) {
			return families.stream()
				.filter((f) -> samples(f).stream().anyMatch((s) -> knownCount(s.value()) != null))
				.findFirst()
				.or(() -> families.stream().filter(this.byFamily::containsKey).findFirst())
				.orElse(null);
		}

		/**
		 * Whether candidate beats current: a known value beats unknown, a larger one a
		 * smaller.
		 */
		private static boolean isLarger(Long candidate, Long current) {
			return candidate != null && (current == null || candidate > current);
		}

		private List<MetricSample> samples(String family) {
			return this.byFamily.getOrDefault(family, List.of());
		}

		/**
		 * apiserver_resource_objects has a group label; older families write
		 * resource="deployments.apps".
		 */
		private static ObjectCount objectCount(MetricSample s) {
			String resource = s.label("resource");
			if (resource == null || resource.isEmpty()) {
				return null;
			}
			String group = s.label("group");
			if (group == null) {
				int dot = resource.indexOf('.');
				group = (dot < 0) ? "" : resource.substring(dot + 1);
				resource = (dot < 0) ? resource : resource.substring(0, dot);
			}
			return new ObjectCount(group, resource, knownCount(s.value()));
		}

		/**
		 * -1 (the apiserver could not fetch it), NaN and other negatives are unknown,
		 * never 0.
		 */
		private static Long knownCount(double value) {
			return (Double.isFinite(value) && value >= 0) ? Math.round(value) : null;
		}

		private static int codeClass(String code) {
			if (code == null || code.isEmpty() || !Character.isDigit(code.charAt(0))) {
				return 0;
			}
			return code.charAt(0) - '0';
		}

		private static String nullToEmpty(String text) {
			return (text != null) ? text : "";
		}

		private static String firstNonNull(String a, String b, String c, String fallback) {
			return (a != null) ? a : (b != null) ? b : (c != null) ? c : fallback;
		}

		private static String firstNonNull(String a, String b, String fallback) {
			return (a != null) ? a : (b != null) ? b : fallback;
		}

	}

}
