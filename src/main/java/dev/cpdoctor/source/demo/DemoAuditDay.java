package dev.cpdoctor.source.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEvent.Stage;

import static dev.cpdoctor.source.demo.DemoScenario.FLOODING_USER_AGENT;
import static dev.cpdoctor.source.demo.DemoScenario.FLOOD_RAMP;
import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_GROUP;
import static dev.cpdoctor.source.demo.DemoScenario.LEAKING_RESOURCE;
import static dev.cpdoctor.source.demo.DemoScenario.SCANNER_USER_AGENT;

/**
 * The demo's day of audit traffic: a dozen clients of the apiserver (kubelets, the
 * controllers, Kyverno, Argo CD, kubectl, a scanner that is refused, a script that sends
 * no user agent) each asking at its own rate through the day, the inventory controller's
 * LIST pods flooding over the last {@link DemoScenario#FLOOD_RAMP} and everyone's latency
 * climbing with it.
 */
final class DemoAuditDay {

	private DemoAuditDay() {
	}

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
	 * A client that sends no user agent (any client could before Kubernetes 1.10, and
	 * some scripts still do): its traffic is drawn from a random sequence of its own, so
	 * every other client's is what it was before it joined.
	 */
	private static final Client WITHOUT_USER_AGENT = new Client("", 3.2,
			List.of(call(0.6, "get", "", "secrets", 5), call(0.4, "list", "", "namespaces", 24)));

	/**
	 * The audit day, minute by minute, as the apiserver's log backend would write it:
	 * each request as a RequestReceived event and a ResponseComplete event (watches also
	 * ResponseStarted).
	 */
	static void events(long seed, Instant anchor, TimeWindow day, Consumer<AuditEvent> sink) {
		Random random = new Random(seed ^ 0x6175646974646179L);
		Random withoutUserAgent = new Random(seed ^ 0x6e6f2d75612d6167L);
		Instant floodStart = anchor.minus(FLOOD_RAMP);
		for (Instant minute = day.from(); minute.isBefore(day.to()); minute = minute.plus(1, ChronoUnit.MINUTES)) {
			double flood = minute.isBefore(floodStart) ? 0.0
					: (double) Duration.between(floodStart, minute).toMinutes() / FLOOD_RAMP.toMinutes();
			double dayCycle = 0.75 + 0.25 * Math.sin(2 * Math.PI * minute.getEpochSecond() / 86_400.0);
			for (Client client : CLIENTS) {
				minute(sink, random, client, minute, flood, dayCycle);
			}
			minute(sink, withoutUserAgent, WITHOUT_USER_AGENT, minute, flood, dayCycle);
		}
	}

	/** One client's requests in one minute. */
	private static void minute(Consumer<AuditEvent> sink, Random random, Client client, Instant minute, double flood,
			double dayCycle) {
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

}
