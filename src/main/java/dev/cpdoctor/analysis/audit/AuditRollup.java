package dev.cpdoctor.analysis.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import com.datadoghq.sketch.ddsketch.DDSketch;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * Per-minute rollups of audit events keyed by (user agent, verb, resource, response code
 * class), and the three questions of the high-latency checklist answered from them.
 * <p>
 * Counting rules (DOMAIN.md, "Audit logs"): a request counts once, by its auditID,
 * whatever stages the audit policy logs; latency comes from ResponseComplete events only,
 * once per auditID even when a retried webhook batch repeats the event; watch and other
 * long-running requests are left out of latency. P99 comes from a mergeable DDSketch with
 * 1 % relative accuracy.
 * <p>
 * Not thread-safe while filling: one writer fills it and {@link #seal() seals} it, then
 * any number of readers may ask, once it has been safely published (e.g. through a
 * CompletableFuture).
 */
public final class AuditRollup {

	/** DDSketch relative accuracy: quantiles within 1 % of the exact value. */
	public static final double RELATIVE_ACCURACY = 0.01;

	/** The label of the series that sums every user agent outside the top N. */
	public static final String OTHER = "other";

	private final NavigableMap<Instant, Map<CellKey, MinuteCell>> minutes = new TreeMap<>();

	/**
	 * Per auditID: whether its latency was recorded already (a retried batch repeats
	 * events).
	 */
	private Map<String, Boolean> seenRequests = new HashMap<>();

	record CellKey(String userAgent, String verb, String resource, int codeClass) {
	}

	public void add(AuditEvent event) {
		if (this.seenRequests == null) {
			throw new IllegalStateException("This rollup is sealed: it only answers questions now");
		}
		Boolean latencyRecorded = this.seenRequests.get(event.auditId());
		boolean firstSight = latencyRecorded == null;
		boolean latency = event.carriesLatency() && !Boolean.TRUE.equals(latencyRecorded);
		if (!firstSight && !latency) {
			return;
		}
		this.seenRequests.put(event.auditId(), latency || Boolean.TRUE.equals(latencyRecorded));
		Instant minute = event.requestReceived().truncatedTo(ChronoUnit.MINUTES);
		// A request first seen at RequestReceived has no code yet: it is counted in class
		// 0 and its latency lands in the class of its ResponseComplete. The questions sum
		// over classes, so counts and averages stay exact.
		CellKey key = new CellKey(event.userAgent(), event.verb(), event.qualifiedResource(), event.code() / 100);
		MinuteCell cell = this.minutes.computeIfAbsent(minute, (m) -> new HashMap<>())
			.computeIfAbsent(key, (k) -> new MinuteCell());
		if (firstSight) {
			cell.addRequest();
		}
		if (latency) {
			cell.addLatency(event.latencyMs());
		}
	}

	/**
	 * Adds a stored rollup cell (webhook and log-file clusters keep their rollups in the
	 * database). Cells of the same key add up, sketches merge.
	 */
	public void addCell(RollupKey key, long requests, long latencyCount, double latencySumMs, byte[] sketch) {
		CellKey cellKey = new CellKey(key.userAgent(), key.verb(), key.resource(), key.codeClass());
		this.minutes.computeIfAbsent(key.minute(), (m) -> new HashMap<>())
			.computeIfAbsent(cellKey, (k) -> new MinuteCell())
			.merge(requests, latencyCount, latencySumMs, sketch);
	}

	/**
	 * Ends the filling: the per-request bookkeeping (one entry per auditID) is dropped
	 * and further events are refused. Answers are unchanged.
	 */
	public void seal() {
		this.seenRequests = null;
	}

	/** Question 1: the user agents with the most requests received in the window. */
	public List<UserAgentRequests> topUserAgents(TimeWindow window, int limit) {
		Map<String, Long> requests = new HashMap<>();
		forEachCell(window, (minute, key, cell) -> requests.merge(key.userAgent(), cell.requests(), Long::sum));
		return requests.entrySet()
			.stream()
			.filter((e) -> e.getValue() > 0)
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
			.limit(limit)
			.map((e) -> new UserAgentRequests(e.getKey(), e.getValue()))
			.toList();
	}

	/**
	 * Question 2: average latency per user agent in bins, for the top {@code topN} user
	 * agents by request count, the rest summed as {@value #OTHER}.
	 */
	public List<UserAgentLatency> latencySeries(TimeWindow window, Duration bin, int topN) {
		if (bin.isNegative() || bin.isZero() || bin.toMinutes() < 1) {
			throw new IllegalArgumentException("The bin must be at least one minute, got " + bin);
		}
		List<String> top = topUserAgents(window, topN).stream().map(UserAgentRequests::userAgent).toList();
		long binMillis = bin.toMillis();
		int bins = (int) Math.ceil((double) window.length().toMillis() / binMillis);
		Map<String, Accumulator[]> series = new LinkedHashMap<>();
		for (String userAgent : top) {
			series.put(userAgent, newBins(bins));
		}
		// Kept apart from the map: a client may well call itself "other".
		Accumulator[] rest = newBins(bins);
		boolean[] restSeen = { false };
		forEachCell(window, (minute, key, cell) -> {
			Accumulator[] acc = series.get(key.userAgent());
			if (acc == null) {
				acc = rest;
				restSeen[0] = true;
			}
			int index = (int) ((minute.toEpochMilli() - window.from().toEpochMilli()) / binMillis);
			acc[index].add(cell);
		});
		List<UserAgentLatency> result = new ArrayList<>();
		series.forEach(
				(userAgent, acc) -> result.add(new UserAgentLatency(userAgent, false, points(window, binMillis, acc))));
		if (restSeen[0]) {
			result.add(new UserAgentLatency(OTHER, true, points(window, binMillis, rest)));
		}
		return result;
	}

	private static List<LatencyPoint> points(TimeWindow window, long binMillis, Accumulator[] acc) {
		List<LatencyPoint> points = new ArrayList<>(acc.length);
		for (int i = 0; i < acc.length; i++) {
			points.add(new LatencyPoint(window.from().plusMillis(i * binMillis), acc[i].averageMs(), acc[i].requests));
		}
		return points;
	}

	/**
	 * Question 3: P99 latency and request count by verb and resource for one user agent.
	 */
	public List<VerbResourceLatency> p99ByVerbAndResource(TimeWindow window, String userAgent) {
		record Group(String verb, String resource) {
		}
		Map<Group, Long> requests = new HashMap<>();
		Map<Group, DDSketch> sketches = new HashMap<>();
		forEachCell(window, (minute, key, cell) -> {
			if (!key.userAgent().equals(userAgent)) {
				return;
			}
			Group group = new Group(key.verb(), key.resource());
			requests.merge(group, cell.requests(), Long::sum);
			if (cell.sketch() != null) {
				sketches.computeIfAbsent(group, (g) -> SketchCodec.newSketch()).mergeWith(cell.sketch());
			}
		});
		return requests.entrySet().stream().map((e) -> {
			DDSketch sketch = sketches.get(e.getKey());
			Double p99 = (sketch != null && !sketch.isEmpty()) ? sketch.getValueAtQuantile(0.99) : null;
			return new VerbResourceLatency(e.getKey().verb(), e.getKey().resource(), p99, e.getValue());
		})
			.sorted(Comparator.comparing(VerbResourceLatency::p99Ms, Comparator.nullsLast(Comparator.reverseOrder()))
				.thenComparing(VerbResourceLatency::requests, Comparator.reverseOrder())
				.thenComparing(VerbResourceLatency::verb)
				.thenComparing(VerbResourceLatency::resource))
			.toList();
	}

	/**
	 * The minutes that hold any data, null when none: for "this window has no data"
	 * warnings.
	 */
	public TimeWindow coverage() {
		if (this.minutes.isEmpty()) {
			return null;
		}
		return new TimeWindow(this.minutes.firstKey(), this.minutes.lastKey().plus(1, ChronoUnit.MINUTES));
	}

	private interface CellVisitor {

		void visit(Instant minute, CellKey key, MinuteCell cell);

	}

	private void forEachCell(TimeWindow window, CellVisitor visitor) {
		this.minutes.subMap(window.from(), true, window.to(), false)
			.forEach((minute, cells) -> cells.forEach((key, cell) -> visitor.visit(minute, key, cell)));
	}

	private static Accumulator[] newBins(int bins) {
		Accumulator[] acc = new Accumulator[bins];
		for (int i = 0; i < bins; i++) {
			acc[i] = new Accumulator();
		}
		return acc;
	}

	private static final class Accumulator {

		long requests;

		long latencyCount;

		double latencySumMs;

		void add(MinuteCell cell) {
			this.requests += cell.requests();
			this.latencyCount += cell.latencyCount();
			this.latencySumMs += cell.latencySumMs();
		}

		Double averageMs() {
			return (this.latencyCount > 0) ? this.latencySumMs / this.latencyCount : null;
		}

	}

}
