package dev.cpdoctor.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * Audit logs imported into a cluster after the fact (a support bundle, an EKS or AKS
 * export, a log file): read as they stream in, each request counted once however often
 * the same log comes, kept until the user deletes them.
 */
public interface AuditImport {

	/**
	 * Imports the body into the named cluster, registering an offline cluster of that
	 * name when none is configured. The body is read as it streams in, never held whole;
	 * a cluster that takes its audit events from elsewhere (a webhook, a log file, Log
	 * Analytics) or the demo is refused.
	 * @throws IOException when the body cannot be read
	 */
	Outcome importLog(String cluster, InputStream body) throws IOException;

	/** The cluster's imports, newest first; empty for a cluster without. */
	List<Imported> imports(String cluster);

	/**
	 * Deletes every audit row of a cluster with imports (its rollups and imports).
	 * @return false when the cluster has no import (nothing is deleted)
	 */
	boolean delete(String cluster);

	/** What became of an import. */
	sealed interface Outcome {

	}

	/**
	 * An import's report: events taken, refused per reason, repeats of requests counted
	 * before, the time range, and the window to open.
	 *
	 * @param forms the forms the body was read as, e.g. "audit.k8s.io/v1 JSON lines"
	 * @param events events read well
	 * @param requests requests counted by this import (a repeat counts none)
	 * @param duplicates events of requests counted before (the same log imported twice)
	 * @param rejected events refused, per reason
	 * @param received the requests' time range; null when no event was taken
	 */
	record Imported(String cluster, Instant importedAt, String forms, long events, long requests, long duplicates,
			Map<String, Long> rejected, TimeWindow received) implements Outcome {

		public Imported {
			rejected = Collections.unmodifiableMap(new LinkedHashMap<>(rejected));
		}

		public long rejectedEvents() {
			return this.rejected.values().stream().mapToLong(Long::longValue).sum();
		}

	}

	/** Not imported, and why; nothing was stored. */
	record Refused(Refusal refusal, String message) implements Outcome {
	}

	/** Why an import was refused. */
	enum Refusal {

		/** The name is not a valid cluster name, or the body is not an audit log. */
		INVALID,

		/**
		 * The name belongs to the demo or a cluster that takes audit events elsewhere.
		 */
		CONFLICT,

		/** The body expands past the largest import taken (a gzip bomb). */
		TOO_LARGE

	}

}
