package dev.cpdoctor.source.apiserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.history.EtcdHistory;
import dev.cpdoctor.source.ApiserverMetricsSource;
import dev.cpdoctor.source.ScrapeResult;
import dev.cpdoctor.support.DaemonScheduler;

/**
 * The sampler trigger of the apiserver source, and the only thing that scrapes: one
 * /metrics scrape per cluster per interval, however many people look (pages read history,
 * never the apiserver). After a failure the wait doubles up to the maximum backoff, and
 * an apiserver's Retry-After is honoured. Each scrape that says anything about etcd is
 * stored as a sample.
 */
public final class ApiserverSampler implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(ApiserverSampler.class);

	private final ClusterCatalog catalog;

	private final ApiserverMetricsSource scraper;

	private final EtcdHistory history;

	private final ApiserverProperties properties;

	private final Map<String, ScrapeStatus> statuses = new ConcurrentHashMap<>();

	private ScheduledExecutorService executor;

	public ApiserverSampler(ClusterCatalog catalog, ApiserverMetricsSource scraper, EtcdHistory history,
			ApiserverProperties properties) {
		this.catalog = catalog;
		this.scraper = scraper;
		this.history = history;
		this.properties = properties;
	}

	/**
	 * The clusters this scheduler scrapes: configured ones with a kubeconfig context or
	 * in-cluster access; the merely discovered kubeconfig context only when asked to.
	 */
	public List<Cluster> scrapedClusters() {
		return this.catalog.all()
			.stream()
			.filter((c) -> c.access().mode() != KubeAccess.Mode.NONE)
			.filter((c) -> this.properties.scrapeDiscoveredContext() || !ClusterCatalog.isDiscovered(c))
			.toList();
	}

	public Optional<ScrapeStatus> status(Cluster cluster) {
		return Optional.ofNullable(this.statuses.get(cluster.name()));
	}

	/**
	 * Scrapes one cluster now, stores what it says, records the status; returns the wait
	 * before the next.
	 */
	public Duration scrapeOnce(Cluster cluster) {
		ScrapeResult result = this.scraper.scrape(cluster);
		if (result.ok() && (result.snapshot().sizeMetric() != null || !result.snapshot().objects().isEmpty())) {
			try {
				this.history.saveScrape(cluster.name(), result.at(), result.snapshot());
			}
			catch (RuntimeException ex) {
				log.warn("Could not store the etcd sample of {}: {}", cluster.name(), ex.getMessage());
			}
		}
		ScrapeStatus previous = this.statuses.getOrDefault(cluster.name(), ScrapeStatus.notYet(Duration.ZERO));
		int failures = result.ok() ? 0 : previous.consecutiveFailures() + 1;
		Duration next = nextDelay(this.properties.scrapeInterval(), this.properties.maxBackoff(), failures,
				result.retryAfter());
		this.statuses.put(cluster.name(), previous.after(result, next));
		if (!result.ok()) {
			log.warn("Scrape of {} failed ({} in a row, next in {}): {}", cluster.name(), failures, next,
					result.error());
		}
		return next;
	}

	/**
	 * interval x 2^failures, capped at maxBackoff; never sooner than the apiserver's
	 * Retry-After, which is itself capped at maxBackoff (a Retry-After of a year would
	 * end monitoring).
	 */
	static Duration nextDelay(Duration interval, Duration maxBackoff, int consecutiveFailures, Duration retryAfter) {
		Duration next = interval;
		for (int i = 0; i < consecutiveFailures && next.compareTo(maxBackoff) < 0; i++) {
			next = next.multipliedBy(2);
		}
		if (next.compareTo(maxBackoff) > 0 && maxBackoff.compareTo(interval) >= 0) {
			next = maxBackoff;
		}
		if (retryAfter != null && retryAfter.compareTo(next) > 0) {
			Duration cap = (maxBackoff.compareTo(interval) >= 0) ? maxBackoff : interval;
			next = (retryAfter.compareTo(cap) > 0) ? cap : retryAfter;
		}
		return next;
	}

	@Override
	public synchronized void start() {
		List<Cluster> clusters = scrapedClusters();
		if (!this.properties.enabled() || clusters.isEmpty()) {
			return;
		}
		this.executor = DaemonScheduler.singleThread("apiserver-scrape");
		for (Cluster cluster : clusters) {
			// A little jitter so that many clusters are not scraped in the same second.
			Duration first = this.properties.initialDelay()
				.plusMillis(ThreadLocalRandom.current()
					.nextLong(Math.max(1, this.properties.initialDelay().toMillis() / 5 + 1)));
			this.statuses.put(cluster.name(), ScrapeStatus.notYet(first));
			schedule(cluster, first);
		}
		log.info("Scraping /metrics of {} every {}", clusters.stream().map(Cluster::name).toList(),
				this.properties.scrapeInterval());
	}

	private void schedule(Cluster cluster, Duration delay) {
		ScheduledExecutorService current = this.executor;
		if (current == null || current.isShutdown()) {
			return;
		}
		current.schedule(() -> {
			Duration next;
			try {
				next = scrapeOnce(cluster);
			}
			catch (RuntimeException ex) {
				log.error("Scrape of {} threw", cluster.name(), ex);
				next = this.properties.maxBackoff();
			}
			synchronized (this) {
				if (isRunning()) {
					schedule(cluster, next);
				}
			}
		}, delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Lets a scrape that is storing its sample finish (bounded), then stops. */
	@Override
	public synchronized void stop() {
		if (this.executor != null) {
			ScheduledExecutorService stopping = this.executor;
			this.executor = null;
			DaemonScheduler.stopGracefully(stopping, this.properties.timeout().plusSeconds(2));
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.executor != null && !this.executor.isShutdown();
	}

}
