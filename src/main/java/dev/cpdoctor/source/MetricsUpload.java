package dev.cpdoctor.source;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.Cluster;

/**
 * Offline dumps of an apiserver's /metrics ({@code kubectl get --raw /metrics}), for
 * clusters the dashboard cannot reach: support bundles, air-gapped sites.
 */
public interface MetricsUpload {

	/**
	 * Stores the dump as a sample of the named cluster, registering an offline cluster of
	 * that name when none is configured. The body is parsed as it streams in, up to the
	 * largest upload taken; one that is not Prometheus text, or says nothing of etcd, is
	 * refused and nothing is stored.
	 * @param at when the dump was taken; null for now
	 * @throws IOException when the body cannot be read
	 */
	Upload upload(String cluster, Instant at, InputStream body) throws IOException;

	/** What became of an upload. */
	sealed interface Upload {

		/** Stored as the cluster's sample at {@code at}. */
		record Stored(Cluster cluster, Instant at, ApiserverSnapshot snapshot) implements Upload {
		}

		/** Not stored, and why. */
		record Refused(Refusal refusal, String message) implements Upload {
		}

	}

	/** Why an upload was not stored. */
	enum Refusal {

		/** The name, the time or the body is not what an upload needs. */
		INVALID,

		/** The name belongs to the built-in demo. */
		DEMO,

		/** Larger than the largest upload taken. */
		TOO_LARGE

	}

}
