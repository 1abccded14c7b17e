package dev.cpdoctor.source;

import java.time.Duration;
import java.time.Instant;

import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;

/**
 * One scrape of one cluster: the snapshot, or why there is none. Never thrown, always
 * returned.
 *
 * @param at when the scrape ended
 * @param gitVersion the apiserver's version from /version (or kubernetes_build_info),
 * null if unknown
 * @param snapshot what /metrics said, null on failure
 * @param error why it failed, null on success
 * @param httpStatus the failing HTTP status, null when the failure was not an HTTP answer
 * @param retryAfter the apiserver's Retry-After, null when it sent none
 */
public record ScrapeResult(Instant at, String gitVersion, ApiserverSnapshot snapshot, String error, Integer httpStatus,
		Duration retryAfter) {

	public static ScrapeResult ok(Instant at, String gitVersion, ApiserverSnapshot snapshot) {
		return new ScrapeResult(at, gitVersion, snapshot, null, null, null);
	}

	public static ScrapeResult failed(Instant at, String error, Integer httpStatus, Duration retryAfter) {
		return new ScrapeResult(at, null, null, error, httpStatus, retryAfter);
	}

	public boolean ok() {
		return this.error == null;
	}

}
