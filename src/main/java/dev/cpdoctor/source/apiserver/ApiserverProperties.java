package dev.cpdoctor.source.apiserver;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Scraping the apiserver's /metrics, prefix {@code cpdoctor.apiserver}.
 *
 * @param enabled scrape clusters that have apiserver access (kubeconfig context or in-cluster)
 * @param scrapeInterval one scrape per cluster per interval, however many people look
 * @param timeout the whole call, body included; a slow apiserver is not waited on longer
 * @param maxBackoff the longest wait after repeated failures (the interval doubles per failure)
 * @param initialDelay the first scrape after start-up (start-up itself never calls a cluster)
 */
@ConfigurationProperties("cpdoctor.apiserver")
public record ApiserverProperties(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration scrapeInterval,
		@DefaultValue("10s") Duration timeout, @DefaultValue("10m") Duration maxBackoff,
		@DefaultValue("5s") Duration initialDelay) {

	public ApiserverProperties {
		if (scrapeInterval.compareTo(Duration.ofSeconds(5)) < 0) {
			throw new IllegalArgumentException("cpdoctor.apiserver.scrape-interval must be at least 5s, got " + scrapeInterval);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("cpdoctor.apiserver.timeout must be positive, got " + timeout);
		}
	}

}
