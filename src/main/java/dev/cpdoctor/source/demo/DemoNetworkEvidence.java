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
import dev.cpdoctor.analysis.network.OwnCall;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.source.NetworkEvidenceSource;
import dev.cpdoctor.source.SourceResult;

/**
 * The demo cluster's network evidence. The demo has no apiserver: these are generated,
 * fixed values of a healthy network, since the demo's incident is a leak, a LIST flood
 * and a webhook (causes 2-4), not cause 1. Probes pass at the scenario's anchor; the
 * dashboard's own calls got through up to it.
 */
public final class DemoNetworkEvidence implements NetworkEvidenceSource {

	/**
	 * The demo's pretend scrape interval; its own calls are generated a minute at a time.
	 */
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

	/**
	 * The demo's own calls, generated per window and fed to the same analysis as recorded
	 * ones: the dashboard "ran" for {@link #RECORDED} up to the anchor. Every minute a
	 * /metrics scrape (slower as the LIST flood of the incident ramps up), every 5
	 * minutes both probes, every 15 minutes the webhook LISTs and the Warning events,
	 * every hour the flowcontrol discovery. The network carried every call; the flooded
	 * apiserver shed two event LISTs with HTTP 429 near the anchor.
	 */
	@Override
	public SourceResult<CallHistory> callHistory(Cluster cluster, TimeWindow window) {
		return SourceResult.ok(CallHistory.of(window, calls(cluster.name(), window), false));
	}

	/** How long before the anchor the demo's own calls go back. */
	static final Duration RECORDED = Duration.ofDays(7);

	List<OwnCall> calls(String cluster, TimeWindow window) {
		Instant anchor = this.scenario.anchor();
		Instant start = anchor.minus(RECORDED);
		Instant from = window.from().isAfter(start) ? window.from() : start;
		Instant to = window.to().isBefore(anchor) ? window.to() : anchor;
		List<OwnCall> calls = new ArrayList<>();
		long step = INTERVAL.toMillis();
		long first = Math.floorDiv(from.toEpochMilli() + step - 1, step);
		long last = Math.floorDiv(to.toEpochMilli() - 1, step);
		Instant floodStart = anchor.minus(DemoScenario.FLOOD_RAMP);
		for (long minute = first; minute <= last; minute++) {
			Instant at = Instant.ofEpochMilli(minute * step);
			long noise = mix(minute);
			double flood = at.isBefore(floodStart) ? 0
					: (double) Duration.between(floodStart, at).toSeconds() / DemoScenario.FLOOD_RAMP.toSeconds();
			calls
				.add(OwnCall.answered(cluster, at, "metrics", millis(420 + noise % 180 + (long) (flood * 2_600)), 200));
			if (minute % 5 == 0) {
				calls
					.add(OwnCall.answered(cluster, at.plusSeconds(20), "readyz", millis(25 + (noise >>> 8) % 30), 200));
				calls
					.add(OwnCall.answered(cluster, at.plusSeconds(20), "livez", millis(12 + (noise >>> 16) % 20), 200));
			}
			if (minute % 15 == 0) {
				calls.add(OwnCall.answered(cluster, at.plusSeconds(30), "list validatingwebhookconfigurations",
						millis(40 + (noise >>> 24) % 60), 200));
				calls.add(OwnCall.answered(cluster, at.plusSeconds(30), "list mutatingwebhookconfigurations",
						millis(38 + (noise >>> 32) % 60), 200));
				long sinceEnd = Duration.between(at, anchor).toMinutes();
				boolean shed = (sinceEnd >= 30 && sinceEnd < 45) || (sinceEnd >= 75 && sinceEnd < 90);
				calls.add(OwnCall.answered(cluster, at.plusSeconds(31), "list events",
						millis(shed ? 3 : 180 + (noise >>> 40) % 240 + (long) (flood * 1_500)), shed ? 429 : 200));
			}
			if (minute % 60 == 0) {
				calls.add(OwnCall.answered(cluster, at.plusSeconds(40), "discovery flowcontrol.apiserver.k8s.io",
						millis(15 + (noise >>> 48) % 15), 200));
			}
		}
		return calls;
	}

	private static Duration millis(long millis) {
		return Duration.ofMillis(millis);
	}

	/**
	 * A fixed, well-spread number per minute (SplitMix64's finaliser): the same minute,
	 * the same noise.
	 */
	private static long mix(long minute) {
		long z = minute * 0x9E3779B97F4A7C15L;
		z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
		z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
		return (z ^ (z >>> 31)) & Long.MAX_VALUE;
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
