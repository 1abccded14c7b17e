package dev.cpdoctor.analysis.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Real-shaped audit traffic for tests: requests with known latencies written as
 * audit.k8s.io/v1 Events (RequestReceived and ResponseComplete per request,
 * ResponseStarted for watches), and the exact answers computed from the requests
 * themselves, never from the code under test.
 */
public final class AuditTraffic {

	/** One request as the test knows it. */
	public record Request(String auditId, String userAgent, String verb, String resource, String apiGroup, int code,
			Instant received, double latencyMs) {

		public boolean longRunning() {
			return "watch".equals(this.verb);
		}

		public String qualifiedResource() {
			return this.apiGroup.isEmpty() ? this.resource : this.resource + "." + this.apiGroup;
		}

		public Instant completed() {
			return this.received.plus(Math.round(this.latencyMs * 1000), ChronoUnit.MICROS);
		}

	}

	private final List<Request> requests = new ArrayList<>();

	/**
	 * {@code count} requests from {@code agents} user agents over {@code minutes} minutes
	 * from {@code start}.
	 */
	public static AuditTraffic random(long seed, int count, int agents, Instant start, int minutes) {
		Random random = new Random(seed);
		AuditTraffic traffic = new AuditTraffic();
		String[] verbs = { "get", "list", "list", "watch", "create", "update", "patch", "delete" };
		String[][] resources = { { "pods", "" }, { "configmaps", "" }, { "deployments", "apps" },
				{ "leases", "coordination.k8s.io" }, { "widgets", "example.com" } };
		int[] codes = { 200, 200, 200, 200, 201, 404, 409, 429, 500 };
		for (int i = 0; i < count; i++) {
			// a skew: agent 0 calls most, the tail little
			int agent = (int) Math.min(agents - 1, Math.floor(Math.abs(random.nextGaussian()) * agents / 3));
			String ua = "client-" + agent + "/v1." + agent + " (linux/amd64) kubernetes/abc" + agent;
			String verb = verbs[random.nextInt(verbs.length)];
			String[] resource = resources[random.nextInt(resources.length)];
			Instant received = start.plusMillis((long) (random.nextDouble() * minutes * 60_000L));
			double latency = "watch".equals(verb) ? 30_000 + random.nextInt(300_000)
					: Math.exp(random.nextGaussian() * 1.2 + 3 + agent % 4) / 1.0;
			latency = Math.round(latency * 1000) / 1000.0; // microseconds, as the
															// apiserver writes
			traffic.requests.add(
					new Request(String.format("%08x-0000-4000-8000-%012d", seed, i), ua, verb, resource[0], resource[1],
							codes[random.nextInt(codes.length)], received.truncatedTo(ChronoUnit.MICROS), latency));
		}
		return traffic;
	}

	public List<Request> requests() {
		return this.requests;
	}

	/** Event JSON of one stage of a request, as the apiserver's log backend writes it. */
	public static String event(Request r, String stage) {
		Instant stageAt = switch (stage) {
			case "ResponseComplete" -> r.completed();
			case "ResponseStarted" -> r.received().plusMillis(2);
			default -> r.received();
		};
		String status = "RequestReceived".equals(stage) ? "" : ",\"responseStatus\":{\"metadata\":{},\"code\":"
				+ ("ResponseStarted".equals(stage) ? 200 : r.code()) + "}";
		return "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"level\":\"Metadata\",\"auditID\":\""
				+ r.auditId() + "\",\"stage\":\"" + stage + "\",\"requestURI\":\"/apis/x?limit=500\",\"verb\":\""
				+ r.verb()
				+ "\",\"user\":{\"username\":\"system:serviceaccount:ns:sa\",\"groups\":[\"system:serviceaccounts\"]},"
				+ "\"sourceIPs\":[\"10.0.0.7\"],\"userAgent\":\"" + r.userAgent() + "\",\"objectRef\":{\"resource\":\""
				+ r.resource() + "\",\"namespace\":\"ns\",\"apiGroup\":\"" + r.apiGroup() + "\",\"apiVersion\":\"v1\"}"
				+ status + ",\"requestReceivedTimestamp\":\"" + r.received() + "\",\"stageTimestamp\":\"" + stageAt
				+ "\",\"annotations\":{\"authorization.k8s.io/decision\":\"allow\"}}";
	}

	/**
	 * All stages of all requests as JSON lines in stage-time order (so stages of a
	 * request interleave with others).
	 */
	public String jsonLines(boolean withRequestReceived) {
		record Line(Instant at, String json) {
		}
		List<Line> lines = new ArrayList<>();
		for (Request r : this.requests) {
			if (withRequestReceived) {
				lines.add(new Line(r.received(), event(r, "RequestReceived")));
			}
			if (r.longRunning()) {
				lines.add(new Line(r.received().plusMillis(2), event(r, "ResponseStarted")));
			}
			lines.add(new Line(r.completed(), event(r, "ResponseComplete")));
		}
		lines.sort((a, b) -> a.at().compareTo(b.at()));
		StringBuilder out = new StringBuilder();
		lines.forEach((line) -> out.append(line.json()).append('\n'));
		return out.toString();
	}

	public byte[] jsonLinesBytes(boolean withRequestReceived) {
		return jsonLines(withRequestReceived).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * An audit.k8s.io/v1 EventList of the given event lines, as the webhook backend posts
	 * it.
	 */
	public static String eventList(List<String> events) {
		return "{\"kind\":\"EventList\",\"apiVersion\":\"audit.k8s.io/v1\",\"metadata\":{},\"items\":["
				+ String.join(",", events) + "]}";
	}

	// The exact answers.

	public Map<String, Long> requestsPerUserAgent() {
		Map<String, Long> counts = new TreeMap<>();
		this.requests.forEach((r) -> counts.merge(r.userAgent(), 1L, Long::sum));
		return counts;
	}

	/** Average latency per user agent over non-watch requests. */
	public Map<String, Double> averageLatency() {
		Map<String, double[]> sums = new HashMap<>();
		for (Request r : this.requests) {
			if (!r.longRunning()) {
				double[] s = sums.computeIfAbsent(r.userAgent(), (k) -> new double[2]);
				s[0] += r.latencyMs();
				s[1]++;
			}
		}
		Map<String, Double> averages = new TreeMap<>();
		sums.forEach((ua, s) -> averages.put(ua, s[0] / s[1]));
		return averages;
	}

	/**
	 * Exact P99 (nearest-rank on the lower side, as DDSketch ranks) per verb and
	 * qualified resource of one agent.
	 */
	public Map<String, Double> p99(String userAgent) {
		Map<String, List<Double>> values = new HashMap<>();
		for (Request r : this.requests) {
			if (r.userAgent().equals(userAgent) && !r.longRunning()) {
				values.computeIfAbsent(r.verb() + " " + r.qualifiedResource(), (k) -> new ArrayList<>())
					.add(r.latencyMs());
			}
		}
		Map<String, Double> p99 = new TreeMap<>();
		values.forEach((key, list) -> {
			double[] sorted = list.stream().mapToDouble(Double::doubleValue).toArray();
			Arrays.sort(sorted);
			p99.put(key, sorted[(int) Math.floor(0.99 * (sorted.length - 1))]);
		});
		return p99;
	}

}
