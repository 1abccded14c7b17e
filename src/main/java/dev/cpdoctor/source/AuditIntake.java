package dev.cpdoctor.source;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Audit events delivered to the dashboard: the batches an apiserver's audit webhook POSTs
 * (--audit-webhook-config-file points at it), and what came in, per cluster, for the
 * data-quality panel.
 */
public interface AuditIntake {

	/**
	 * Takes one webhook batch: an audit.k8s.io/v1 EventList or JSON lines of Events. Its
	 * body is read only once the cluster's bearer token is checked and the batch has a
	 * place in the cluster's queue; it is stored whole, once, or refused.
	 * @param bearerToken the request's bearer token; null for none
	 * @param declaredLength the request's Content-Length; -1 when unknown
	 * @throws IOException when the body cannot be read
	 */
	Delivery deliver(String cluster, String bearerToken, long declaredLength, InputStream body) throws IOException;

	/**
	 * The data-quality panel of a cluster that receives audit events by webhook or log
	 * file; empty for the others.
	 */
	Optional<SourceResult<AuditDataQuality>> quality(String cluster);

	/** What became of a batch. */
	sealed interface Delivery {

		/**
		 * Stored (or recognised as a resend of a batch stored before): events kept and
		 * events refused per reason.
		 */
		record Stored(long events, Map<String, Long> problems) implements Delivery {

			public Stored {
				problems = Collections.unmodifiableMap(new LinkedHashMap<>(problems));
			}

		}

		/** Not stored: the apiserver keeps the batch and sends it again later. */
		record Refused(Refusal refusal, String message) implements Delivery {
		}

	}

	/** Why a batch was not stored. */
	enum Refusal {

		/** No audit webhook of this name takes this bearer token. */
		UNAUTHORIZED,

		/** Larger than the largest batch taken. */
		TOO_LARGE,

		/**
		 * Too many batches already wait for the one being stored: try again in a second.
		 */
		BUSY,

		/** The store failed: send it again later. */
		UNAVAILABLE

	}

}
