package dev.cpdoctor.analysis.etcd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Space by key prefix: one scan of the keyspace, pinned to one revision.
 *
 * @param revision the revision every page was read at
 * @param keys all keys scanned
 * @param valueBytes the sum of all values' sizes
 * @param prefixes per resource prefix, largest value bytes first
 * @param pages how many range requests the scan took
 * @param pageSize the most keys one page asked for
 * @param scannedAt when the scan finished
 * @param took how long it ran, pauses of the rate limit included
 */
public record KeyspaceUsage(long revision, long keys, long valueBytes, List<PrefixUsage> prefixes, long pages,
		int pageSize, Instant scannedAt, Duration took) {

	public KeyspaceUsage {
		prefixes = List.copyOf(prefixes);
	}

	public Optional<PrefixUsage> prefix(String resourcePrefix) {
		return this.prefixes.stream().filter((p) -> p.resourcePrefix().equals(resourcePrefix)).findFirst();
	}

}
