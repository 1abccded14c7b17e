package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;
import dev.cpdoctor.analysis.etcd.KeyspaceTally;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.etcd.RegistryKey;
import dev.cpdoctor.analysis.etcd.RegistryLayout;
import dev.cpdoctor.source.demo.DemoEtcdHistory.DemoResource;

import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_NAMESPACE;
import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_RESOURCE;

/**
 * What the demo's etcd itself says at the anchor, read directly: its keyspace and its
 * three members, both derived from the newest sample of the history.
 */
final class DemoEtcdAtAnchor {

	/**
	 * Namespaces of the demo cluster's namespaced objects, with their shares (the leak
	 * aside).
	 */
	private static final List<String> NAMESPACES = List.of("shop", "payments", "ci-runners", "monitoring",
			"kube-system");

	private static final double[] NAMESPACE_SHARES = { 0.35, 0.25, 0.2, 0.12, 0.08 };

	/** Cluster-scoped resources of the table. */
	private static final Set<String> CLUSTER_SCOPED = Set.of("namespaces", "nodes");

	/**
	 * The etcd revision at the anchor, and how many revisions the apiserver's compaction
	 * lags behind.
	 */
	private static final long REVISION_AT_ANCHOR = 48_211_907;

	private static final long COMPACTION_LAG = 96_000;

	private DemoEtcdAtAnchor() {
	}

	/**
	 * What a direct scan finds: the newest sample's objects as /registry keys, each
	 * resource's objects spread over the namespaces by fixed shares, every leaked report
	 * in {@link DemoScenario#LEAKING_NAMESPACE}; counted by the same tally a real scan
	 * feeds.
	 */
	static KeyspaceUsage keyspace(EtcdSample latest, Instant anchor) {
		KeyspaceTally tally = new KeyspaceTally();
		for (ObjectCount object : latest.objects()) {
			DemoResource resource = DemoEtcdHistory.resource(object);
			String prefix = RegistryLayout.resourcePrefix(object.group(), object.resource()).orElseThrow();
			long count = object.count();
			if (CLUSTER_SCOPED.contains(object.resource())) {
				add(tally, prefix, null, count, resource.avgBytes());
				continue;
			}
			long spread = count;
			if (object.resource().equals(LEAKING_RESOURCE)) {
				spread = Math.min(count, resource.baseCount());
				add(tally, prefix, LEAKING_NAMESPACE, count - spread, resource.avgBytes());
			}
			long left = spread;
			for (int i = 0; i < NAMESPACES.size(); i++) {
				long n = (i == NAMESPACES.size() - 1) ? left : Math.round(spread * NAMESPACE_SHARES[i]);
				n = Math.min(n, left);
				add(tally, prefix, NAMESPACES.get(i), n, resource.avgBytes());
				left -= n;
			}
		}
		add(tally, "masterleases", null, 3, 120);
		add(tally, "ranges", null, 2, 900);
		return tally.result(REVISION_AT_ANCHOR, (tally.keys() + 499) / 500, 500, anchor, Duration.ofSeconds(41));
	}

	private static void add(KeyspaceTally tally, String prefix, String namespace, long keys, int bytes) {
		RegistryKey where = RegistryLayout.parse(RegistryLayout.DEFAULT_ETCD_PREFIX + "/" + prefix + "/"
				+ ((namespace != null) ? namespace + "/" : "") + "demo-object");
		for (long i = 0; i < keys; i++) {
			tally.add(where, bytes);
		}
	}

	/**
	 * The three members: the file as big as the newest sample says (the followers a
	 * little smaller), about four fifths of it live, compaction keeping up, no alarm.
	 */
	static EtcdClusterStatus status(EtcdSample latest, Instant anchor) {
		long db = latest.dbSizeBytes();
		long quota = 8L * 1024 * 1024 * 1024;
		List<EtcdMemberStatus> members = new ArrayList<>();
		List<EtcdServerMetrics> metrics = new ArrayList<>();
		String[] names = { "10.0.1.11", "10.0.1.12", "10.0.1.13" };
		long[] ids = { 0x8e9e05c52164694dL, 0x91bc3c398fb3c146L, 0xfd422379fda50e48L };
		double[] shrink = { 1.0, 0.985, 0.97 };
		for (int i = 0; i < names.length; i++) {
			String endpoint = "https://" + names[i] + ":2379";
			long size = Math.round(db * shrink[i]);
			long inUse = Math.round(size * 0.79);
			long revision = REVISION_AT_ANCHOR - i;
			members.add(new EtcdMemberStatus(endpoint, ids[i], "3.5.16", size, inUse, i == 1, 61_402_118L - i, 14,
					revision, false, List.of()));
			metrics.add(
					new EtcdServerMetrics(endpoint, quota, size, inUse, revision, REVISION_AT_ANCHOR - COMPACTION_LAG));
		}
		return new EtcdClusterStatus(members, List.of(), List.of(), null, metrics, List.of(), anchor);
	}

}
