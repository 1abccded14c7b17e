package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.ApiserverProbe;
import dev.cpdoctor.analysis.network.ApiserverProbe.Outcome;
import dev.cpdoctor.analysis.network.ApiserverProbes;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.network.ConnectivityCheck;
import dev.cpdoctor.analysis.network.ConnectivityCommands;
import dev.cpdoctor.analysis.network.ProbeCheck;
import dev.cpdoctor.analysis.network.ScrapeCadence;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.SourceResult;

/**
 * The demo cluster's network evidence. The demo has no apiserver: these are generated, fixed values
 * of a healthy network, since the demo's incident is a leak, a LIST flood and a webhook (causes 2-4),
 * not cause 1. Probes pass at the scenario's anchor; scrapes got through every minute up to it.
 */
public final class DemoNetworkEvidence implements NetworkEvidenceSource {

	/** The demo's pretend scrape interval. */
	static final Duration INTERVAL = Duration.ofMinutes(1);

	private static final List<String> READYZ_CHECKS = List.of("ping", "log", "etcd", "etcd-readiness", "informer-sync",
			"poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers",
			"poststarthook/priority-and-fairness-config-consumer", "poststarthook/rbac/bootstrap-roles", "shutdown");

	private static final List<String> LIVEZ_CHECKS = List.of("ping", "log", "etcd",
			"poststarthook/start-apiserver-admission-initializer", "poststarthook/generic-apiserver-start-informers",
			"poststarthook/rbac/bootstrap-roles");

	private final DemoScenario scenario;

	public DemoNetworkEvidence(DemoScenario scenario) {
		this.scenario = scenario;
	}

	@Override
	public ApiserverProbes probes(Cluster cluster) {
		Instant at = this.scenario.anchor();
		return new ApiserverProbes(passed("/readyz", READYZ_CHECKS, at, Duration.ofMillis(38)),
				passed("/livez", LIVEZ_CHECKS, at, Duration.ofMillis(21)));
	}

	private static ApiserverProbe passed(String path, List<String> names, Instant at, Duration took) {
		List<ProbeCheck> checks = new ArrayList<>();
		names.forEach((name) -> checks.add(new ProbeCheck(name, true, "ok")));
		return new ApiserverProbe(path, Outcome.PASSED, at, took, 200, checks, null);
	}

	/** One scrape a minute, on the minute, from the window's start up to the anchor (none after it). */
	@Override
	public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
		Instant anchor = this.scenario.anchor();
		long step = INTERVAL.toMillis();
		long firstMillis = Math.floorDiv(window.from().toEpochMilli() + step - 1, step) * step;
		Instant end = window.to().isAfter(anchor) ? anchor.plusMillis(1) : window.to();
		long lastMillis = Math.floorDiv(end.toEpochMilli() - 1, step) * step;
		ScrapeCadence cadence;
		if (lastMillis < firstMillis) {
			cadence = ScrapeCadence.of(window, List.of());
		}
		else {
			int samples = (int) ((lastMillis - firstMillis) / step + 1);
			Instant first = Instant.ofEpochMilli(firstMillis);
			Instant last = Instant.ofEpochMilli(lastMillis);
			cadence = (samples < 2) ? ScrapeCadence.of(window, List.of(first))
					: new ScrapeCadence(window, samples, first, last, INTERVAL, INTERVAL, INTERVAL, first);
		}
		return SourceResult.ok(new CallHistory(cadence, INTERVAL, anchor, anchor, null, null, 0));
	}

	@Override
	public ConnectivityCheck connectivityCheck(Cluster cluster) {
		ConnectivityCheck readyz = ConnectivityCommands.readyz();
		List<String> notes = new ArrayList<>(readyz.notes());
		notes.add("Demo data: there is no apiserver behind the demo cluster; for an AKS cluster with"
				+ " cpdoctor.clusters[].azure.resource-id the kubectl-aks node check is offered here.");
		return new ConnectivityCheck(readyz.title(), readyz.commands(), readyz.success(), notes);
	}

}
