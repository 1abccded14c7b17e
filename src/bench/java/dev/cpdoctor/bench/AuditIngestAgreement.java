package dev.cpdoctor.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cpdoctor.analysis.audit.LatencyPoint;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.bench.AuditIngestDuckDb.BinKey;
import dev.cpdoctor.bench.AuditIngestDuckDb.DuckResult;
import dev.cpdoctor.bench.AuditIngestJq.JqResult;
import dev.cpdoctor.bench.AuditIngestOurs.OursResult;

import static dev.cpdoctor.bench.AuditIngestBenchmark.TOP;

/**
 * Whether ours, DuckDB and jq give the same answers: the top 10 (user agent and count) of
 * all three, the averages of ours and DuckDB (1e-6 relative), P99 of ours within 1 % of
 * the exact value DuckDB finds at rank floor(0.99 (n-1)), requests per verb and resource
 * exact. Prints each comparison and every mismatch loudly.
 */
final class AuditIngestAgreement {

	private AuditIngestAgreement() {
	}

	/** Prints the agreement section; returns the number of mismatches. */
	static int compare(OursResult ours, DuckResult duck, JqResult jq) {
		System.out.printf("%nAgreement%n");
		int mismatches = 0;
		List<UserAgentRequests> oursTop = (ours != null) ? sorted(ours.top()) : null;
		if (oursTop != null && duck.failure() == null) {
			mismatches += compareTop("DuckDB", oursTop, sorted(duck.top()));
		}
		if (oursTop != null && jq.failure() == null) {
			mismatches += compareTop("jq", oursTop, sorted(jq.top()));
		}
		if (ours == null || duck.failure() != null) {
			System.out.printf("  (ours or DuckDB failed: latency and P99 not compared)%n");
			return mismatches + 1;
		}
		mismatches += compareLatency(ours, duck);
		// Question 3: same top agent, same groups, same counts, P99 within 1 %.
		if (!ours.topUserAgent().equals(duck.topUserAgent())) {
			System.out.printf("  !!! MISMATCH top user agent: ours %s, DuckDB %s%n", ours.topUserAgent(),
					duck.topUserAgent());
			mismatches++;
		}
		return mismatches + compareP99(ours, duck);
	}

	private static int compareTop(String tool, List<UserAgentRequests> ours, List<UserAgentRequests> theirs) {
		if (ours.equals(theirs)) {
			System.out.printf("  ok    1. top %d user agents: ours and %s identical (names and counts)%n", TOP, tool);
			return 0;
		}
		System.out.printf("  !!! MISMATCH 1. top %d user agents, ours vs %s:%n", TOP, tool);
		for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
			System.out.printf("      %-60s | %s%n", (i < ours.size()) ? ours.get(i) : "-",
					(i < theirs.size()) ? theirs.get(i) : "-");
		}
		return 1;
	}

	/** Question 2: every bin of every series, averages exact up to summation order. */
	private static int compareLatency(OursResult ours, DuckResult duck) {
		int points = 0;
		int latencyMismatches = 0;
		for (UserAgentLatency series : ours.latency()) {
			String key = series.others() ? null : series.userAgent();
			for (LatencyPoint point : series.points()) {
				Double theirs = duck.latency().get(new BinKey(key, point.at().toEpochMilli() * 1000));
				Double mine = point.avgMs();
				points++;
				boolean same = (mine == null) ? theirs == null
						: theirs != null && Math.abs(mine - theirs) <= 1e-6 * Math.max(1.0, Math.abs(theirs));
				if (!same) {
					latencyMismatches++;
					if (latencyMismatches <= 10) {
						System.out.printf("  !!! MISMATCH latency %s at %s: ours %s ms, DuckDB %s ms%n",
								series.others() ? "(other)" : series.userAgent(), point.at(), mine, theirs);
					}
				}
			}
		}
		long duckPoints = duck.latency().keySet().stream().filter((k) -> k.binMicros() >= 0).count();
		System.out.printf(
				"  %s  2. average latency: %d bins compared, %d differ (> 1e-6 relative); DuckDB has %d "
						+ "non-empty bins%n",
				latencyMismatches == 0 ? "ok  " : "!!! ", points, latencyMismatches, duckPoints);
		return latencyMismatches;
	}

	/** Question 3's groups: the same groups, the same counts, P99 within 1 %. */
	private static int compareP99(OursResult ours, DuckResult duck) {
		int p99Mismatches = 0;
		// the worst relative distance to the exact value, and to quantile_cont
		double[] worst = new double[2];
		Map<String, VerbResourceLatency> theirs = new HashMap<>();
		duck.p99().forEach((r) -> theirs.put(r.verb() + " " + r.resource(), r));
		for (VerbResourceLatency mine : ours.p99()) {
			VerbResourceLatency other = theirs.remove(mine.verb() + " " + mine.resource());
			String problem = p99Problem(mine, other, duck, worst);
			if (problem != null) {
				p99Mismatches++;
				System.out.printf("  !!! MISMATCH p99 %s %s: %s%n", mine.verb(), mine.resource(), problem);
			}
		}
		for (VerbResourceLatency extra : theirs.values()) {
			p99Mismatches++;
			System.out.printf("  !!! MISMATCH p99 %s %s: only DuckDB has it%n", extra.verb(), extra.resource());
		}
		System.out.printf(
				"  %s  3. P99 by verb and resource: %d groups, %d differ; worst P99 %.3f %% off the exact "
						+ "value at rank floor(0.99 (n-1)) (target within 1 %%), %.3f %% off quantile_cont%n",
				p99Mismatches == 0 ? "ok  " : "!!! ", ours.p99().size(), p99Mismatches, 100 * worst[0], 100 * worst[1]);
		return p99Mismatches;
	}

	/**
	 * What is wrong with one group of ours against DuckDB's ({@code other}, null when it
	 * has none), or null; widens {@code worst} with this group's distances.
	 */
	private static String p99Problem(VerbResourceLatency mine, VerbResourceLatency other, DuckResult duck,
			double[] worst) {
		if (other == null) {
			return "DuckDB has no such group";
		}
		if (other.requests() != mine.requests()) {
			return "requests ours " + mine.requests() + ", DuckDB " + other.requests();
		}
		if ((mine.p99Ms() == null) != (other.p99Ms() == null)) {
			return "p99 ours " + mine.p99Ms() + ", DuckDB " + other.p99Ms();
		}
		if (mine.p99Ms() == null) {
			return null;
		}
		double exact = duck.p99Rank().getOrDefault(mine.verb() + " " + mine.resource(), Double.NaN);
		double relative = Math.abs(mine.p99Ms() - exact) / exact;
		worst[0] = Math.max(worst[0], Double.isNaN(relative) ? Double.POSITIVE_INFINITY : relative);
		double cont = Math.abs(mine.p99Ms() - other.p99Ms()) / other.p99Ms();
		worst[1] = Math.max(worst[1], cont);
		if (!(relative <= 0.01)) {
			return String.format("p99 ours %.3f ms, exact (rank) %.3f ms: %.2f %% off; quantile_cont %.3f ms",
					mine.p99Ms(), exact, 100 * relative, other.p99Ms());
		}
		if (cont > 0.01) {
			System.out.printf(
					"  note  p99 %s %s: ours %.3f ms is %.2f %% off quantile_cont %.3f ms but %.2f %% off "
							+ "the exact value at rank floor(0.99 (n-1)) %.3f ms: the interpolation, not the sketch%n",
					mine.verb(), mine.resource(), mine.p99Ms(), 100 * cont, other.p99Ms(), 100 * relative, exact);
		}
		return null;
	}

	/** Count descending, then name: tools order ties differently. */
	private static List<UserAgentRequests> sorted(List<UserAgentRequests> top) {
		return top.stream()
			.sorted(Comparator.comparingLong(UserAgentRequests::requests)
				.reversed()
				.thenComparing(UserAgentRequests::userAgent))
			.toList();
	}

}
