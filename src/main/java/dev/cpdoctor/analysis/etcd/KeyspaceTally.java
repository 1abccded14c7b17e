package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts keys and value bytes per resource prefix and namespace while a scan goes by. It
 * keeps counters only, one pair per prefix and namespace seen: never a key, never a
 * value, so memory is bounded by the number of resources times namespaces, not by the
 * keyspace. Not thread-safe: one scan feeds one tally.
 */
public final class KeyspaceTally {

	private static final class Counter {

		long keys;

		long bytes;

	}

	private final Map<String, RegistryKey> prefixes = new HashMap<>();

	private final Map<String, Map<String, Counter>> byPrefix = new HashMap<>();

	private long keys;

	private long bytes;

	/** One key and the size of its value. */
	public void add(byte[] key, long valueBytes) {
		add(RegistryLayout.parse(key), valueBytes);
	}

	public void add(RegistryKey where, long valueBytes) {
		this.prefixes.putIfAbsent(where.resourcePrefix(), where);
		Counter counter = this.byPrefix.computeIfAbsent(where.resourcePrefix(), (p) -> new HashMap<>())
			.computeIfAbsent(where.namespace(), (n) -> new Counter());
		counter.keys++;
		counter.bytes += valueBytes;
		this.keys++;
		this.bytes += valueBytes;
	}

	public long keys() {
		return this.keys;
	}

	/**
	 * How many counters the tally holds: prefixes times their namespaces, whatever the
	 * keys.
	 */
	public int buckets() {
		return this.byPrefix.values().stream().mapToInt(Map::size).sum();
	}

	/**
	 * Largest value bytes first, then more keys, then by name, so equal scans give equal
	 * lists.
	 */
	public KeyspaceUsage result(long revision, long pages, int pageSize, Instant scannedAt, Duration took) {
		List<PrefixUsage> result = new ArrayList<>();
		this.byPrefix.forEach((prefix, namespaces) -> {
			List<NamespaceUsage> list = new ArrayList<>();
			long keys = 0;
			long bytes = 0;
			for (Map.Entry<String, Counter> e : namespaces.entrySet()) {
				list.add(new NamespaceUsage(e.getKey(), e.getValue().keys, e.getValue().bytes));
				keys += e.getValue().keys;
				bytes += e.getValue().bytes;
			}
			list.sort(Comparator.comparingLong(NamespaceUsage::valueBytes)
				.thenComparingLong(NamespaceUsage::keys)
				.reversed()
				.thenComparing(NamespaceUsage::namespace, Comparator.nullsFirst(Comparator.naturalOrder())));
			RegistryKey key = this.prefixes.get(prefix);
			result.add(new PrefixUsage(prefix, key.group(), key.resource(), keys, bytes, list));
		});
		result.sort(Comparator.comparingLong(PrefixUsage::valueBytes)
			.thenComparingLong(PrefixUsage::keys)
			.reversed()
			.thenComparing(PrefixUsage::resourcePrefix));
		return new KeyspaceUsage(revision, this.keys, this.bytes, result, pages, pageSize, scannedAt, took);
	}

}
