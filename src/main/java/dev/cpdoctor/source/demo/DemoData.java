package dev.cpdoctor.source.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.history.DemoAnchorStore;
import dev.cpdoctor.history.EtcdHistory;

/**
 * The demo cluster's data, ready to serve: the scenario frozen at its stored anchor, its etcd
 * history in the database (written once, on the first start with that seed) and its audit day
 * rolled up in memory (rebuilt in the background at every start; it is deterministic).
 */
public final class DemoData {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	private final DemoScenario scenario;

	private final CompletableFuture<AuditRollup> auditRollup;

	private DemoData(DemoScenario scenario, CompletableFuture<AuditRollup> auditRollup) {
		this.scenario = scenario;
		this.auditRollup = auditRollup;
	}

	/**
	 * Loads the scenario of {@code seed}, anchoring and storing it at the current hour on the first
	 * start, and starts rolling up its audit day.
	 */
	public static DemoData load(long seed, String clusterName, DemoAnchorStore anchors, EtcdHistory history, Clock clock) {
		Instant anchor = anchors.find(seed).orElseGet(() -> {
			Instant now = clock.instant();
			Instant newAnchor = now.truncatedTo(ChronoUnit.HOURS);
			DemoScenario fresh = new DemoScenario(seed, newAnchor);
			long started = System.nanoTime();
			history.save(clusterName, fresh.etcdHistory());
			anchors.save(seed, newAnchor, now);
			log.info("Demo scenario seed {} anchored at {}: etcd history written in {} ms", seed, newAnchor,
					Duration.ofNanos(System.nanoTime() - started).toMillis());
			return newAnchor;
		});
		DemoScenario scenario = new DemoScenario(seed, anchor);
		CompletableFuture<AuditRollup> rollup = CompletableFuture.supplyAsync(() -> {
			long started = System.nanoTime();
			AuditRollup built = new AuditRollup();
			scenario.auditEvents(built::add);
			log.info("Demo audit day rolled up in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
			return built;
		});
		return new DemoData(scenario, rollup);
	}

	public DemoScenario scenario() {
		return this.scenario;
	}

	public CompletableFuture<AuditRollup> auditRollup() {
		return this.auditRollup;
	}

}
