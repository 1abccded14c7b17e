package dev.cpdoctor.source.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.history.DemoAnchorStore;
import dev.cpdoctor.history.EtcdHistory;

/**
 * The demo cluster's data, ready to serve: the scenario frozen at its stored anchor, its
 * etcd history in the database (written once, on the first start with that seed) and its
 * audit day rolled up in memory (rebuilt in the background at every start; it is
 * deterministic).
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
	 * Loads the scenario of {@code seed}, anchoring it at the current hour and storing
	 * its etcd history on the first start with that seed and generator version, all in
	 * one transaction, and starts rolling up its audit day in the background.
	 */
	public static DemoData load(long seed, String clusterName, DemoAnchorStore anchors, EtcdHistory history,
			TransactionTemplate transactions, Clock clock) {
		Instant anchor = anchors.find(seed, DemoScenario.VERSION).orElseGet(() -> {
			try {
				return transactions.execute((status) -> seed(seed, clusterName, anchors, history, clock));
			}
			catch (DataIntegrityViolationException ex) {
				// Another instance on the same database seeded it first: use theirs.
				return anchors.find(seed, DemoScenario.VERSION).orElseThrow(() -> ex);
			}
		});
		DemoScenario scenario = new DemoScenario(seed, anchor);
		CompletableFuture<AuditRollup> rollup = CompletableFuture.supplyAsync(() -> {
			long started = System.nanoTime();
			AuditRollup built = new AuditRollup();
			scenario.auditEvents(built::add);
			built.seal();
			log.info("Demo audit day rolled up in {} ms", Duration.ofNanos(System.nanoTime() - started).toMillis());
			return built;
		});
		return new DemoData(scenario, rollup);
	}

	private static Instant seed(long seed, String clusterName, DemoAnchorStore anchors, EtcdHistory history,
			Clock clock) {
		Instant now = clock.instant();
		Instant anchor = now.truncatedTo(ChronoUnit.HOURS);
		long started = System.nanoTime();
		history.deleteAll(clusterName);
		history.save(clusterName, new DemoScenario(seed, anchor).etcdHistory());
		anchors.replace(seed, DemoScenario.VERSION, anchor, now);
		log.info("Demo scenario seed {} version {} anchored at {}: etcd history written in {} ms", seed,
				DemoScenario.VERSION, anchor, Duration.ofNanos(System.nanoTime() - started).toMillis());
		return anchor;
	}

	public DemoScenario scenario() {
		return this.scenario;
	}

	/**
	 * A read-only view of the rollup being built: callers can wait for it, not complete
	 * it.
	 */
	public CompletableFuture<AuditRollup> auditRollup() {
		return this.auditRollup.copy();
	}

}
