package dev.cpdoctor.source.apiserver;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Scraping the apiserver's /metrics, prefix {@code cpdoctor.apiserver}.
 *
 * @param enabled scrape clusters that have apiserver access (kubeconfig context or
 * in-cluster)
 * @param scrapeInterval one scrape per cluster per interval, however many people look
 * @param timeout the whole call, body included; a slow apiserver is not waited on longer
 * @param maxBackoff the longest wait after repeated failures (the interval doubles per
 * failure)
 * @param initialDelay the first scrape after start-up (start-up itself never calls a
 * cluster)
 * @param scrapeDiscoveredContext also scrape the kubeconfig's current context when it was
 * only discovered, not configured: off by default, so running the demo on a laptop never
 * calls (or runs the credential plugin of) whatever cluster the kubeconfig happens to
 * point at
 * @param credentialRefresh how often a kubeconfig credential plugin's token is renewed
 * (EKS tokens last 15 min)
 * @param maxUpload the largest /metrics dump accepted by upload
 */
@ConfigurationProperties("cpdoctor.apiserver")
public record ApiserverProperties(@DefaultValue("true") boolean enabled, @DefaultValue("60s") Duration scrapeInterval,
		@DefaultValue("10s") Duration timeout, @DefaultValue("10m") Duration maxBackoff,
		@DefaultValue("5s") Duration initialDelay, @DefaultValue("false") boolean scrapeDiscoveredContext,
		@DefaultValue("5m") Duration credentialRefresh, @DefaultValue("256MB") DataSize maxUpload) {

	public ApiserverProperties {
		if (scrapeInterval.compareTo(Duration.ofSeconds(5)) < 0) {
			throw new IllegalArgumentException(
					"cpdoctor.apiserver.scrape-interval must be at least 5s, got " + scrapeInterval);
		}
		if (timeout.isNegative() || timeout.isZero()) {
			throw new IllegalArgumentException("cpdoctor.apiserver.timeout must be positive, got " + timeout);
		}
	}

}
