package dev.cpdoctor.source.demo;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;

import static dev.cpdoctor.source.demo.DemoScenario.ETCD_HISTORY;
import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_GROUP;
import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_RESOURCE;

/**
 * The demo's four weeks of etcd history, as the apiserver's /metrics would have sampled
 * it: the cluster's resources with their daily churn and noise, Kyverno's ephemeral
 * reports leaking from the third day, and the DB size following the live objects.
 */
final class DemoEtcdHistory {

	/**
	 * A resource of the demo cluster: typical count, average stored size, daily churn.
	 */
	record DemoResource(String group, String resource, long baseCount, int avgBytes, double dailyGrowth, double noise) {
	}

	static final List<DemoResource> RESOURCES = List.of(new DemoResource("", "pods", 1_850, 9_000, 0.0, 0.03),
			new DemoResource("", "events", 7_400, 1_100, 0.0, 0.20),
			new DemoResource("", "configmaps", 940, 6_000, 0.001, 0.01),
			new DemoResource("", "secrets", 1_420, 4_500, 0.001, 0.01),
			new DemoResource("", "services", 460, 1_200, 0.0, 0.01),
			new DemoResource("", "serviceaccounts", 510, 700, 0.0, 0.01),
			new DemoResource("", "namespaces", 62, 600, 0.0, 0.0), new DemoResource("", "nodes", 24, 14_000, 0.0, 0.0),
			new DemoResource("apps", "deployments", 710, 5_500, 0.0, 0.01),
			new DemoResource("apps", "replicasets", 3_300, 4_800, 0.004, 0.01),
			new DemoResource("apps", "controllerrevisions", 450, 3_000, 0.002, 0.01),
			new DemoResource("batch", "jobs", 2_100, 3_800, 0.0, 0.08),
			new DemoResource("coordination.k8s.io", "leases", 130, 450, 0.0, 0.0),
			new DemoResource("discovery.k8s.io", "endpointslices", 930, 1_600, 0.0, 0.02),
			new DemoResource("wgpolicyk8s.io", "policyreports", 1_240, 21_000, 0.001, 0.01),
			new DemoResource(LEAKING_GROUP, LEAKING_RESOURCE, 150, 17_000, 0.0, 0.0));

	/** Fixed overhead of the DB (other keys, the freelist) on top of the live objects. */
	private static final long BASE_DB_BYTES = 380L * 1024 * 1024;

	/** The leak starts three days into the history and adds this many reports a day. */
	private static final long LEAKED_REPORTS_PER_DAY = 11_500;

	private DemoEtcdHistory() {
	}

	/** The demo resource of an object count's group and resource. */
	static DemoResource resource(ObjectCount object) {
		return RESOURCES.stream()
			.filter((r) -> r.group().equals(object.group()) && r.resource().equals(object.resource()))
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Hourly samples over {@link DemoScenario#ETCD_HISTORY}, oldest first, the last at
	 * the anchor.
	 */
	static List<EtcdSample> generate(long seed, Instant anchor) {
		Random random = new Random(seed ^ 0x6574636468697374L);
		int hours = (int) ETCD_HISTORY.toHours();
		Instant start = anchor.truncatedTo(ChronoUnit.HOURS).minus(ETCD_HISTORY);
		List<EtcdSample> samples = new ArrayList<>(hours + 1);
		for (int h = 0; h <= hours; h++) {
			Instant at = (h == hours) ? anchor : start.plus(h, ChronoUnit.HOURS);
			double days = h / 24.0;
			List<ObjectCount> objects = new ArrayList<>(RESOURCES.size());
			double liveBytes = 0;
			for (DemoResource r : RESOURCES) {
				double count = r.baseCount() * (1 + r.dailyGrowth() * days) * (1 + r.noise() * random.nextGaussian());
				if (r.resource().equals(LEAKING_RESOURCE) && days > 3) {
					count += LEAKED_REPORTS_PER_DAY * (days - 3) * (1 + 0.02 * random.nextGaussian());
				}
				long rounded = Math.max(0, Math.round(count));
				objects.add(new ObjectCount(r.group(), r.resource(), rounded));
				liveBytes += rounded * (double) r.avgBytes();
			}
			// etcd keeps old revisions until compaction and never gives space back
			// without a defrag: model 30 % of history and freed pages on top of the live
			// data.
			long dbSize = BASE_DB_BYTES + Math.round(liveBytes * 1.3);
			samples.add(new EtcdSample(at, "apiserver_storage_size_bytes", dbSize, objects));
		}
		return samples;
	}

}
