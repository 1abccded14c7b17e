package dev.cpdoctor.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongPredicate;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.RollupKey;

/**
 * What the Audit pages ask of the stored rollups of webhook and log-file clusters:
 * requests and latency per user agent (questions 1 and 2), one user agent's verbs and
 * resources (question 3), which minutes hold data, and the input counts of the
 * data-quality panel. Cells are read a page of minute parts at a time, never a window
 * whole.
 */
public final class AuditRollupQueries {

	/** Parts read per query: a busy minute's part is a few hundred KB. */
	private static final int PARTS_PER_PAGE = 32;

	private final JdbcTemplate jdbc;

	public AuditRollupQueries(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Requests and latency per user agent, in bins of {@code bin} from the window's
	 * start: answers questions 1 and 2 (each bin's figures sit at its first minute).
	 */
	public AuditRollup userAgentBins(String cluster, TimeWindow window, Duration bin) {
		long binMillis = Math.max(60_000, bin.toMillis());
		long from = window.from().toEpochMilli();
		// Cells stream through, summed per series and bin; names are looked up once at
		// the end.
		record SeriesBin(long series, long bin) {
		}
		Map<SeriesBin, MinuteCell> sums = new HashMap<>();
		forEachPart(cluster, window, (series) -> false,
				(minute, series, requests, latencyCount, latencySumMs, sketch) -> sums
					.computeIfAbsent(new SeriesBin(series, Math.floorDiv(minute - from, binMillis)),
							(k) -> new MinuteCell())
					.merge(requests, latencyCount, latencySumMs, null));
		Map<Long, AuditSeriesKey> names = seriesNames(cluster, sums.keySet().stream().map(SeriesBin::series).toList());
		AuditRollup rollup = new AuditRollup();
		sums.forEach(
				(key, cell) -> rollup.addCell(
						new RollupKey(Instant.ofEpochMilli(from + key.bin() * binMillis),
								names.get(key.series()).userAgent(), "", "", 0),
						cell.requests(), cell.latencyCount(), cell.latencySumMs(), null));
		return rollup;
	}

	/**
	 * One user agent's cells by verb and resource, merged over the window: answers
	 * question 3.
	 */
	public AuditRollup verbsAndResources(String cluster, TimeWindow window, String userAgent) {
		Map<Long, AuditSeriesKey> series = new HashMap<>();
		this.jdbc.query("select id, verb, resource, code_class from audit_series where cluster = ? and user_agent = ?",
				(RowCallbackHandler) (rs) -> series.put(rs.getLong(1),
						new AuditSeriesKey(userAgent, rs.getString(2), rs.getString(3), rs.getInt(4))),
				cluster, AuditEventParser.cut(userAgent, 1024));
		Map<Long, MinuteCell> sums = new HashMap<>();
		if (!series.isEmpty()) {
			forEachPart(cluster, window, series::containsKey,
					(minute, id, requests, latencyCount, latencySumMs, sketch) -> {
						if (series.containsKey(id)) {
							sums.computeIfAbsent(id, (k) -> new MinuteCell())
								.merge(requests, latencyCount, latencySumMs, sketch);
						}
					});
		}
		AuditRollup rollup = new AuditRollup();
		sums.forEach((id, cell) -> {
			AuditSeriesKey key = series.get(id);
			rollup.addCell(new RollupKey(window.from(), userAgent, key.verb(), key.resource(), key.codeClass()),
					cell.requests(), cell.latencyCount(), cell.latencySumMs(), cell.sketchBytes());
		});
		return rollup;
	}

	/**
	 * The minutes that hold data for a cluster, null when none. Walks the minute index
	 * from each end to the cluster's first row rather than aggregating all its rows:
	 * pages ask this often.
	 */
	public TimeWindow coverage(String cluster) {
		String edge = "select at_minute from audit_cells where cluster = ? order by at_minute %s limit 1";
		List<OffsetDateTime> first = this.jdbc.queryForList(edge.formatted("asc"), OffsetDateTime.class, cluster);
		if (first.isEmpty()) {
			return null;
		}
		List<OffsetDateTime> last = this.jdbc.queryForList(edge.formatted("desc"), OffsetDateTime.class, cluster);
		Instant to = last.get(0).toInstant().plus(1, ChronoUnit.MINUTES);
		Instant from = first.get(0).toInstant();
		// A window is at most 400 days; a longer retention shows its newest 400.
		Instant earliest = to.minus(Duration.ofDays(400));
		return new TimeWindow(from.isBefore(earliest) ? earliest : from, to);
	}

	/**
	 * Events in per origin and outcome over the hours that overlap the window, each with
	 * the sample of its earliest hour that has one. A row per hour and outcome: a day is
	 * at most 24 rows an outcome.
	 */
	public List<AuditInputCount> inputs(String cluster, TimeWindow window) {
		record Outcome(String origin, String outcome) {
		}
		Map<Outcome, long[]> events = new LinkedHashMap<>();
		Map<Outcome, String> samples = new HashMap<>();
		this.jdbc.query("select origin, outcome, events, sample from audit_input where cluster = ? and at_hour >= ?"
				+ " and at_hour < ? order by origin, outcome, at_hour", (RowCallbackHandler) (rs) -> {
					Outcome key = new Outcome(rs.getString(1), rs.getString(2));
					events.computeIfAbsent(key, (k) -> new long[1])[0] += rs.getLong(3);
					String sample = rs.getString(4);
					if (sample != null) {
						samples.putIfAbsent(key, sample);
					}
				}, cluster, EtcdHistory.timestamp(window.from().truncatedTo(ChronoUnit.HOURS)),
				EtcdHistory.timestamp(window.to()));
		List<AuditInputCount> counts = new ArrayList<>(events.size());
		events.forEach(
				(key, sum) -> counts.add(new AuditInputCount(key.origin(), key.outcome(), sum[0], samples.get(key))));
		return counts;
	}

	private interface CellVisitor {

		void cell(long minuteMillis, long series, long requests, long latencyCount, double latencySumMs, byte[] sketch);

	}

	/**
	 * Every stored cell of the window, read a page of parts at a time in key order (a
	 * result set is held whole by the driver, so a week of minutes must never be one
	 * query); sketches are copied out only for the series {@code sketchesOf} asks for.
	 */
	private void forEachPart(String cluster, TimeWindow window, LongPredicate sketchesOf, CellVisitor visitor) {
		OffsetDateTime[] afterMinute = { EtcdHistory.timestamp(window.from()) };
		int[] afterPart = { -1 };
		OffsetDateTime to = EtcdHistory.timestamp(window.to());
		while (true) {
			int[] rows = { 0 };
			// A range from the last minute read (an index range in H2 and PostgreSQL
			// alike), minus the parts of that minute already read.
			this.jdbc.query("select at_minute, part, cells from audit_cells where cluster = ? and at_minute < ?"
					+ " and at_minute >= ? and not (at_minute = ? and part <= ?) order by at_minute, part"
					+ " fetch first " + PARTS_PER_PAGE + " rows only", (RowCallbackHandler) (rs) -> {
						OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
						long minute = at.toInstant().toEpochMilli();
						CellBlob.decode(rs.getBytes(3), sketchesOf, (series, requests, latencyCount, latencySumMs,
								sketch) -> visitor.cell(minute, series, requests, latencyCount, latencySumMs, sketch));
						afterMinute[0] = at;
						afterPart[0] = rs.getInt(2);
						rows[0]++;
					}, cluster, to, afterMinute[0], afterMinute[0], afterPart[0]);
			if (rows[0] < PARTS_PER_PAGE) {
				return;
			}
		}
	}

	/**
	 * What the series are, read in one pass over the cluster's series keeping only those
	 * asked for.
	 */
	private Map<Long, AuditSeriesKey> seriesNames(String cluster, Collection<Long> ids) {
		Set<Long> wanted = new HashSet<>(ids);
		Map<Long, AuditSeriesKey> names = new HashMap<>();
		if (wanted.isEmpty()) {
			return names;
		}
		Map<String, String> userAgents = new HashMap<>();
		this.jdbc.query("select id, user_agent, verb, resource, code_class from audit_series where cluster = ?",
				(RowCallbackHandler) (rs) -> {
					long id = rs.getLong(1);
					if (wanted.contains(id)) {
						String userAgent = userAgents.computeIfAbsent(rs.getString(2), (ua) -> ua);
						names.put(id, new AuditSeriesKey(userAgent, rs.getString(3), rs.getString(4), rs.getInt(5)));
					}
				}, cluster);
		if (names.size() < wanted.size()) {
			throw new IllegalStateException("Stored audit cells of " + cluster + " name "
					+ (wanted.size() - names.size()) + " series that do not exist");
		}
		return names;
	}

}
