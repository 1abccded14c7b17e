package dev.cpdoctor.analysis.network;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The dashboard's own calls to one cluster's apiserver: the cadence of its stored /metrics scrapes
 * in a window, and what the scraper saw of its latest attempts. The latter is kept in memory only:
 * it covers the time since the dashboard started, whatever the window. Failures per reason and call
 * durations are not recorded, so they are not here.
 *
 * @param stored the stored scrapes in the window
 * @param scrapeInterval the configured interval between scrapes, to compare the cadence with
 * @param lastAttempt when the last scrape ended, null before the first (or not scraped at all)
 * @param lastSuccess when the last scrape succeeded, null if none has since start-up
 * @param lastError the last scrape's error, null when it succeeded
 * @param lastErrorAt when that failed scrape ended, null when the last scrape succeeded
 * @param consecutiveFailures failed scrapes since the last success
 */
public record CallHistory(ScrapeCadence stored, Duration scrapeInterval, Instant lastAttempt, Instant lastSuccess,
		String lastError, Instant lastErrorAt, int consecutiveFailures) {

	public CallHistory {
		Objects.requireNonNull(stored, "stored");
		Objects.requireNonNull(scrapeInterval, "scrapeInterval");
	}

}
