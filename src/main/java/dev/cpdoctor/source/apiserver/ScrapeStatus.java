package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.time.Instant;

import dev.cpdoctor.source.ScrapeResult;

/**
 * What the scraper last saw of one cluster, for health and pages.
 *
 * @param lastAttempt when the last scrape ended, null before the first
 * @param lastSuccess when the last scrape succeeded, null if none has
 * @param lastError the last failure, null after a success
 * @param consecutiveFailures failures since the last success
 * @param gitVersion the apiserver's version at the last success
 * @param nextIn the wait before the next scrape
 */
public record ScrapeStatus(Instant lastAttempt, Instant lastSuccess, String lastError, int consecutiveFailures,
		String gitVersion, Duration nextIn) {

	public static ScrapeStatus notYet(Duration nextIn) {
		return new ScrapeStatus(null, null, null, 0, null, nextIn);
	}

	ScrapeStatus after(ScrapeResult result, Duration next) {
		if (result.ok()) {
			return new ScrapeStatus(result.at(), result.at(), null, 0, result.gitVersion(), next);
		}
		return new ScrapeStatus(result.at(), this.lastSuccess, result.error(), this.consecutiveFailures + 1,
				this.gitVersion, next);
	}

}
