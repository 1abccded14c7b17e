package dev.cpdoctor.analysis.etcd;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the object count of one resource changed between two samples.
 *
 * @param countFrom the count in the earlier sample, null when unknown or absent
 * @param countTo the count in the later sample, null when unknown or absent
 */
public record ResourceGrowth(String group, String resource, Long countFrom, Long countTo) {

	/** countTo - countFrom, null when either is unknown. */
	public Long change() {
		return (this.countFrom != null && this.countTo != null) ? this.countTo - this.countFrom : null;
	}

	/**
	 * Every resource of either sample, fastest growing first; resources whose change is
	 * unknown come last, ordered by their latest count.
	 */
	public static List<ResourceGrowth> between(EtcdSample from, EtcdSample to) {
		Map<String, ObjectCount> before = index(from.objects());
		Map<String, ObjectCount> after = index(to.objects());
		Map<String, ResourceGrowth> rows = new LinkedHashMap<>();
		after.forEach((key, now) -> {
			ObjectCount then = before.get(key);
			rows.put(key,
					new ResourceGrowth(now.group(), now.resource(), (then != null) ? then.count() : null, now.count()));
		});
		before.forEach((key, then) -> rows.putIfAbsent(key,
				new ResourceGrowth(then.group(), then.resource(), then.count(), null)));
		List<ResourceGrowth> result = new ArrayList<>(rows.values());
		result.sort(Comparator.comparing(ResourceGrowth::change, Comparator.nullsLast(Comparator.reverseOrder()))
			.thenComparing(ResourceGrowth::countTo, Comparator.nullsLast(Comparator.reverseOrder()))
			.thenComparing(ResourceGrowth::resource)
			.thenComparing(ResourceGrowth::group));
		return result;
	}

	private static Map<String, ObjectCount> index(List<ObjectCount> objects) {
		Map<String, ObjectCount> byName = new LinkedHashMap<>();
		objects.forEach((o) -> byName.put(o.qualifiedName(), o));
		return byName;
	}

}
