package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;
import dev.cpdoctor.analysis.etcd.KeyspaceTally;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.RegistryKey;
import dev.cpdoctor.analysis.etcd.RegistryLayout;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;

/**
 * The demo cluster's incident, generated from a seed: the same seed and anchor give the
 * same data, byte for byte. Three stories run up to the anchor instant:
 * <ol>
 * <li>four weeks of etcd history in which Kyverno's ephemeralreports leak and the DB
 * climbs towards the 8 GiB quota;</li>
 * <li>one day of audit traffic in which the inventory controller's service account floods
 * LIST pods over the last {@link #FLOOD_RAMP} and its latency climbs (dragging everyone
 * else's up);</li>
 * <li>a mutating webhook with failurePolicy Fail whose service has no ready
 * endpoints.</li>
 * </ol>
 * The output is plain domain records, fed to the same analysis code as the real sources.
 */
public final class DemoScenario {

	/**
	 * Raise when the generated data changes: stored demo history of an older version is
	 * replaced.
	 */
	public static final int VERSION = 1;

	public static final Duration ETCD_HISTORY = Duration.ofDays(28);

	public static final Duration AUDIT_DAY = Duration.ofDays(1);

	public static final Duration FLOOD_RAMP = Duration.ofHours(8);

	/**
	 * The Kubernetes release the demo cluster runs: its kubelets, controller manager and
	 * scheduler report it.
	 */
	public static final String KUBERNETES_VERSION = "v1.30.4";

	public static final String FLOODING_USER_AGENT = "inventory-controller/v2.3.0 (linux/amd64) acme.io/inventory";

	public static final String SCANNER_USER_AGENT = "<img src=x onerror=alert(1)>";

	public static final String LEAKING_GROUP = "reports.kyverno.io";

	public static final String LEAKING_RESOURCE = "ephemeralreports";

	private final long seed;

	private final Instant anchor;

	public DemoScenario(long seed, Instant anchor) {
		this.seed = seed;
		this.anchor = anchor.truncatedTo(ChronoUnit.MINUTES);
	}

	public Instant anchor() {
		return this.anchor;
	}

	/** The window the demo opens on: the twelve hours up to the anchor. */
	public TimeWindow incidentWindow() {
		return TimeWindow.ending(this.anchor, Duration.ofHours(12));
	}

	public TimeWindow auditDay() {
		return TimeWindow.ending(this.anchor, AUDIT_DAY);
	}

	// ---------------------------------------------------------------- etcd

	/**
	 * A resource of the demo cluster: typical count, average stored size, daily churn.
	 */
	private record DemoResource(String group, String resource, long baseCount, int avgBytes, double dailyGrowth,
			double noise) {
	}

	private static final List<DemoResource> RESOURCES = List.of(new DemoResource("", "pods", 1_850, 9_000, 0.0, 0.03),
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

	/**
	 * Hourly samples over {@link #ETCD_HISTORY}, oldest first, the last at the anchor.
	 */
	public List<EtcdSample> etcdHistory() {
		Random random = new Random(this.seed ^ 0x6574636468697374L);
		int hours = (int) ETCD_HISTORY.toHours();
		Instant start = this.anchor.truncatedTo(ChronoUnit.HOURS).minus(ETCD_HISTORY);
		List<EtcdSample> samples = new ArrayList<>(hours + 1);
		for (int h = 0; h <= hours; h++) {
			Instant at = (h == hours) ? this.anchor : start.plus(h, ChronoUnit.HOURS);
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
			// without a defrag:
			// model 30 % of history and freed pages on top of the live data.
			long dbSize = BASE_DB_BYTES + Math.round(liveBytes * 1.3);
			samples.add(new EtcdSample(at, "apiserver_storage_size_bytes", dbSize, objects));
		}
		return samples;
	}

	/**
	 * The namespace Kyverno's leaked ephemeral reports pile up in (the demo's CI
	 * runners).
	 */
	public static final String LEAKING_NAMESPACE = "ci-runners";

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

	/**
	 * What a direct scan of the demo's etcd at the anchor finds: the newest sample's
	 * objects as /registry keys, each resource's objects spread over the namespaces by
	 * fixed shares, every leaked report in {@link #LEAKING_NAMESPACE}; counted by the
	 * same tally a real scan feeds.
	 */
	public KeyspaceUsage keyspace() {
		List<EtcdSample> history = etcdHistory();
		EtcdSample latest = history.get(history.size() - 1);
		KeyspaceTally tally = new KeyspaceTally();
		for (ObjectCount object : latest.objects()) {
			DemoResource resource = RESOURCES.stream()
				.filter((r) -> r.group().equals(object.group()) && r.resource().equals(object.resource()))
				.findFirst()
				.orElseThrow();
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
		return tally.result(REVISION_AT_ANCHOR, (tally.keys() + 499) / 500, 500, this.anchor, Duration.ofSeconds(41));
	}

	private static void add(KeyspaceTally tally, String prefix, String namespace, long keys, int bytes) {
		RegistryKey where = RegistryLayout.parse(RegistryLayout.DEFAULT_ETCD_PREFIX + "/" + prefix + "/"
				+ ((namespace != null) ? namespace + "/" : "") + "demo-object");
		for (long i = 0; i < keys; i++) {
			tally.add(where, bytes);
		}
	}

	/**
	 * The demo's three etcd members at the anchor: the file as big as the apiserver's
	 * newest sample says (the followers a little smaller), about four fifths of it live,
	 * compaction keeping up, no alarm: the DB climbs towards the 8 GiB quota but has not
	 * reached it.
	 */
	public EtcdClusterStatus etcdStatus() {
		List<EtcdSample> history = etcdHistory();
		long db = history.get(history.size() - 1).dbSizeBytes();
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
		return new EtcdClusterStatus(members, List.of(), List.of(), null, metrics, List.of(), this.anchor);
	}

	// ---------------------------------------------------------------- audit

	/** A client of the apiserver and what it asks for. */
	private record Client(String userAgent, double perMinute, List<Call> calls) {
	}

	/**
	 * One kind of call: share of the client's calls, the base latency in ms, a status
	 * code.
	 */
	private record Call(double share, String verb, String group, String resource, String subresource, double baseMs,
			int code) {
	}

	private static Call call(double share, String verb, String group, String resource, double baseMs) {
		return new Call(share, verb, group, resource, "", baseMs, verbCode(verb));
	}

	private static int verbCode(String verb) {
		return "create".equals(verb) ? 201 : 200;
	}

	private static final List<Client> CLIENTS = List
		.of(new Client("kubelet/v1.30.4 (linux/amd64) kubernetes/6e5fc2a", 46,
				List.of(call(0.35, "get", "coordination.k8s.io", "leases", 4),
						call(0.30, "update", "coordination.k8s.io", "leases", 9), call(0.20, "patch", "", "nodes", 14),
						call(0.10, "get", "", "pods", 5), new Call(0.05, "watch", "", "pods", "", 300_000, 200))),
				new Client("kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/6e5fc2a/leader-election", 22,
						List.of(call(
								0.5, "get", "coordination.k8s.io", "leases", 4),
								call(0.5, "update", "coordination.k8s.io", "leases", 8))),
				new Client(
						"kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/6e5fc2a/system:serviceaccount:kube-system:replicaset-controller",
						9,
						List.of(call(0.6, "update", "apps", "replicasets", 12), call(0.3, "create", "", "pods", 25),
								call(0.1, "delete", "", "pods", 18))),
				new Client("kube-scheduler/v1.30.4 (linux/amd64) kubernetes/6e5fc2a/scheduler", 8,
						List.of(new Call(0.7, "create", "", "pods", "binding", 15, 201),
								call(0.3, "get", "coordination.k8s.io", "leases", 4))),
				new Client("kyverno/v1.12.1 (linux/amd64) kyverno/2c9d4b1", 14,
						List.of(call(0.75, "create", LEAKING_GROUP, LEAKING_RESOURCE, 22),
								call(0.15, "list", "kyverno.io", "clusterpolicies", 30),
								call(0.10, "update", "wgpolicyk8s.io", "policyreports", 28))),
				new Client("argocd-application-controller/v2.11.3 (linux/amd64) argoproj/argo-cd", 10,
						List.of(call(0.5, "get", "apps", "deployments", 7),
								call(0.3, "patch", "argoproj.io", "applications", 16),
								call(0.2, "list", "", "configmaps", 45))),
				new Client(FLOODING_USER_AGENT, 2,
						List.of(call(0.9, "list", "", "pods", 260), call(0.1, "get", "", "nodes", 6))),
				new Client("coredns/1.11.1 (linux/amd64) kubernetes/v1.30.4", 1.2,
						List.of(new Call(0.5, "watch", "discovery.k8s.io", "endpointslices", "", 420_000, 200),
								new Call(0.5, "watch", "", "services", "", 420_000, 200))),
				new Client("metrics-server/v0.7.1 (linux/amd64) kubernetes/3f24e1c", 4,
						List.of(call(0.6, "get", "", "nodes", 6), call(0.4, "list", "", "pods", 180))),
				new Client("kubectl/v1.30.2 (darwin/arm64) kubernetes/3968350", 2.5,
						List.of(call(0.5, "get", "", "pods", 9), call(0.3, "list", "", "events", 60),
								new Call(0.2, "get", "", "pods", "log", 4_000, 200))),
				new Client("cluster-autoscaler/v1.30.1", 3,
						List.of(call(0.6, "list", "", "nodes", 35), call(0.4, "get", "", "configmaps", 5))),
				new Client(SCANNER_USER_AGENT, 3.5, List.of(new Call(0.7, "get", "", "", "", 2, 401),
						new Call(0.3, "list", "", "secrets", "", 2, 401))));

	/**
	 * The audit day, minute by minute, as the apiserver's log backend would write it:
	 * each request as a RequestReceived event and a ResponseComplete event (watches also
	 * ResponseStarted).
	 */
	public void auditEvents(Consumer<AuditEvent> sink) {
		Random random = new Random(this.seed ^ 0x6175646974646179L);
		TimeWindow day = auditDay();
		Instant floodStart = this.anchor.minus(FLOOD_RAMP);
		for (Instant minute = day.from(); minute.isBefore(day.to()); minute = minute.plus(1, ChronoUnit.MINUTES)) {
			double flood = minute.isBefore(floodStart) ? 0.0
					: (double) Duration.between(floodStart, minute).toMinutes() / FLOOD_RAMP.toMinutes();
			double dayCycle = 0.75 + 0.25 * Math.sin(2 * Math.PI * minute.getEpochSecond() / 86_400.0);
			for (Client client : CLIENTS) {
				boolean flooding = client.userAgent().equals(FLOODING_USER_AGENT);
				double rate = flooding ? client.perMinute() + 118 * flood * flood : client.perMinute() * dayCycle;
				int requests = poisson(random, rate);
				for (int i = 0; i < requests; i++) {
					Call call = pick(random, client.calls());
					double load = flooding ? 1 + 28 * flood * flood : 1 + 2.2 * flood * flood;
					boolean longRunning = "watch".equals(call.verb()) || "log".equals(call.subresource());
					double ms = longRunning ? call.baseMs() * (0.5 + random.nextDouble())
							: call.baseMs() * load * Math.exp(0.35 * random.nextGaussian());
					Instant received = minute.plusMillis(random.nextInt(60_000));
					emit(sink, random, client.userAgent(), call, received, ms);
				}
			}
		}
	}

	private static void emit(Consumer<AuditEvent> sink, Random random, String userAgent, Call call, Instant received,
			double ms) {
		String auditId = new UUID(random.nextLong(), random.nextLong()).toString();
		Instant completed = received.plusNanos(Math.round(ms * 1_000_000));
		sink.accept(new AuditEvent(auditId, Stage.REQUEST_RECEIVED, call.verb(), userAgent, call.resource(),
				call.group(), call.subresource(), 0, received, received));
		if ("watch".equals(call.verb())) {
			sink.accept(new AuditEvent(auditId, Stage.RESPONSE_STARTED, call.verb(), userAgent, call.resource(),
					call.group(), call.subresource(), 200, received, received.plusMillis(3)));
		}
		sink.accept(new AuditEvent(auditId, Stage.RESPONSE_COMPLETE, call.verb(), userAgent, call.resource(),
				call.group(), call.subresource(), call.code(), received, completed));
	}

	private static Call pick(Random random, List<Call> calls) {
		double r = random.nextDouble();
		for (Call call : calls) {
			r -= call.share();
			if (r < 0) {
				return call;
			}
		}
		return calls.get(calls.size() - 1);
	}

	/** Knuth's method: fine for the small per-minute rates used here. */
	private static int poisson(Random random, double mean) {
		double limit = Math.exp(-mean);
		double product = random.nextDouble();
		int n = 0;
		while (product > limit) {
			product *= random.nextDouble();
			n++;
		}
		return n;
	}

	// ---------------------------------------------------------------- webhooks

	public List<AdmissionWebhook> webhooks() {
		return List.of(
				new AdmissionWebhook("kyverno-resource-mutating-webhook-cfg", AdmissionWebhook.Kind.MUTATING,
						"mutate.kyverno.svc-fail", "Fail", "kyverno/kyverno-svc", 0, false, 10),
				new AdmissionWebhook("cert-manager-webhook", AdmissionWebhook.Kind.VALIDATING,
						"webhook.cert-manager.io", "Fail", "cert-manager/cert-manager-webhook", 2, true, 10),
				new AdmissionWebhook("gatekeeper-validating-webhook-configuration", AdmissionWebhook.Kind.VALIDATING,
						"validation.gatekeeper.sh", "Ignore", "gatekeeper-system/gatekeeper-webhook-service", 3, true,
						3));
	}

	/**
	 * The deadlock as the apiserver reports it: Kyverno's admission controller cannot get
	 * its pods created because its own fail-closed webhook, with no ready endpoints,
	 * rejects them.
	 */
	public List<WebhookCallFailure> webhookFailures() {
		return List.of(new WebhookCallFailure("kyverno", "ReplicaSet/kyverno-admission-controller-6d8f9c7b5d",
				"FailedCreate",
				"Error creating: Internal error occurred: failed calling webhook \"mutate.kyverno.svc-fail\":"
						+ " failed to call webhook: Post \"https://kyverno-svc.kyverno.svc:443/mutate/fail?timeout=10s\":"
						+ " write tcp 10.244.0.1:48816->10.0.142.17:443: write: broken pipe",
				37, this.anchor.minus(Duration.ofMinutes(2))));
	}

}
