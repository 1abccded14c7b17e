package dev.cpdoctor.history;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RollupKey;
import dev.cpdoctor.support.Sha256;

/**
 * Audit rollups of webhook and log-file clusters in the database (tables audit_*). A batch is
 * stored in one transaction with everything it implies: the cells merged into the stored ones,
 * the requests still waiting for their completion, the input counts, and the tailer's checkpoint,
 * so a batch is either counted whole, once, or not at all.
 * <p>
 * One writer per cluster at a time (the cluster's AuditIngest holds the lock).
 */
public class AuditRollupStore {

	private static final int BATCH = 500;

	/** Where a log-file tailer stopped: the file's identity and the offset after the last whole line. */
	public record Checkpoint(String path, String fileKey, String headHash, int headLength, long offset) {
	}

	/** Events in by origin ("webhook", "file") and outcome ("kept" or a reason). */
	public record InputCount(String origin, String outcome, long events) {
	}

	public static final String KEPT = "kept";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	/** Series ids by cluster and key hash; only ids of committed rows get here. */
	private final Map<String, Long> seriesIds = new ConcurrentHashMap<>();

	private final Map<String, Instant> newestMinutes = new ConcurrentHashMap<>();

	private static final int MAX_CACHED_SERIES = 200_000;

	public AuditRollupStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Stores a processed batch in one transaction.
	 *
	 * @param origin "webhook" or "file", for the data-quality panel
	 * @param report what the input held, counted per reason
	 * @param receivedAt when the batch arrived (the input counts' hour)
	 * @param checkpoint the tailer's position after this batch, null for webhook batches
	 * @param bodyDigest a webhook body's SHA-256, remembered with the batch (see {@link #batchStored});
	 * null for the log file
	 */
	public void store(String cluster, AuditBatch batch, String origin, AuditInputReport report, Instant receivedAt,
			Checkpoint checkpoint, String bodyDigest) {
		Map<String, Long> newSeries = new HashMap<>();
		Instant newestBefore = newestMinute(cluster);
		this.transactions.executeWithoutResult((status) -> {
			storeCells(cluster, batch.cells(), newSeries, newestBefore);
			storePending(cluster, batch);
			storeInput(cluster, origin, report, receivedAt.truncatedTo(ChronoUnit.HOURS));
			if (checkpoint != null) {
				storeCheckpoint(cluster, checkpoint, receivedAt);
			}
			if (bodyDigest != null) {
				this.jdbc.update("insert into audit_batch (cluster, digest, received_at, events) values (?, ?, ?, ?)",
						cluster, bodyDigest, EtcdHistory.timestamp(receivedAt), batch.events());
			}
		});
		if (this.seriesIds.size() > MAX_CACHED_SERIES) {
			this.seriesIds.clear();
		}
		this.seriesIds.putAll(newSeries);
		batch.cells().keySet().stream().map(RollupKey::minute).max(Instant::compareTo).ifPresent((newest) -> this.newestMinutes
			.merge(cluster, newest, (a, b) -> a.isAfter(b) ? a : b));
	}

	/**
	 * The newest minute stored for a cluster (EPOCH when none), read once and then kept: a minute
	 * after it has no stored cells to merge with, so its cells are inserted without a read. One
	 * writer per cluster keeps it true.
	 */
	private Instant newestMinute(String cluster) {
		return this.newestMinutes.computeIfAbsent(cluster, (name) -> {
			OffsetDateTime newest = this.jdbc.queryForObject("select max(m.at_minute) from audit_minute m"
					+ " join audit_series s on s.id = m.series_id where s.cluster = ?", OffsetDateTime.class, name);
			return (newest != null) ? newest.toInstant() : Instant.EPOCH;
		});
	}

	private void storeCells(String cluster, Map<RollupKey, MinuteCell> cells, Map<String, Long> newSeries,
			Instant newestBefore) {
		Map<Instant, Map<Long, MinuteCell>> byMinute = new TreeMap<>();
		for (Map.Entry<RollupKey, MinuteCell> entry : cells.entrySet()) {
			RollupKey key = entry.getKey();
			long series = seriesId(cluster, key, newSeries);
			byMinute.computeIfAbsent(key.minute(), (m) -> new HashMap<>()).merge(series, entry.getValue(), (a, b) -> {
				a.merge(b.requests(), b.latencyCount(), b.latencySumMs(), b.sketchBytes());
				return a;
			});
		}
		List<Object[]> inserts = new ArrayList<>();
		List<Object[]> updates = new ArrayList<>();
		for (Map.Entry<Instant, Map<Long, MinuteCell>> minute : byMinute.entrySet()) {
			OffsetDateTime at = EtcdHistory.timestamp(minute.getKey());
			Map<Long, MinuteCell> fresh = minute.getValue();
			Map<Long, MinuteCell> stored = new HashMap<>();
			if (minute.getKey().isAfter(newestBefore)) {
				fresh.forEach((id, cell) -> inserts.add(new Object[] { id, at, cell.requests(), cell.latencyCount(),
						cell.latencySumMs(), cell.sketchBytes() }));
				continue;
			}
			// One indexed read of the minute, filtered here: an IN list of hundreds of ids makes H2
			// compare every row of the minute with every id.
			this.jdbc.query("select series_id, requests, latency_count, latency_sum_ms, sketch from audit_minute"
					+ " where at_minute = ?", (RowCallbackHandler) (rs) -> {
						long id = rs.getLong(1);
						if (fresh.containsKey(id)) {
							MinuteCell cell = new MinuteCell();
							cell.merge(rs.getLong(2), rs.getLong(3), rs.getDouble(4), rs.getBytes(5));
							stored.put(id, cell);
						}
					}, at);
			for (Map.Entry<Long, MinuteCell> entry : fresh.entrySet()) {
				MinuteCell cell = entry.getValue();
				MinuteCell old = stored.get(entry.getKey());
				if (old != null) {
					old.merge(cell.requests(), cell.latencyCount(), cell.latencySumMs(), cell.sketchBytes());
					updates.add(new Object[] { old.requests(), old.latencyCount(), old.latencySumMs(), old.sketchBytes(),
							entry.getKey(), at });
				}
				else {
					inserts.add(new Object[] { entry.getKey(), at, cell.requests(), cell.latencyCount(),
							cell.latencySumMs(), cell.sketchBytes() });
				}
			}
		}
		int[] types = { Types.BIGINT, Types.TIMESTAMP_WITH_TIMEZONE, Types.BIGINT, Types.BIGINT, Types.DOUBLE,
				Types.VARBINARY };
		batchUpdate("insert into audit_minute (series_id, at_minute, requests, latency_count, latency_sum_ms, sketch)"
				+ " values (?, ?, ?, ?, ?, ?)", inserts, types);
		batchUpdate("update audit_minute set requests = ?, latency_count = ?, latency_sum_ms = ?, sketch = ?"
				+ " where series_id = ? and at_minute = ?", updates, new int[] { Types.BIGINT, Types.BIGINT, Types.DOUBLE,
						Types.VARBINARY, Types.BIGINT, Types.TIMESTAMP_WITH_TIMEZONE });
	}

	private void batchUpdate(String sql, List<Object[]> rows, int[] types) {
		for (int from = 0; from < rows.size(); from += BATCH) {
			this.jdbc.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + BATCH)), types);
		}
	}

	private long seriesId(String cluster, RollupKey key, Map<String, Long> newSeries) {
		String hash = keyHash(key);
		String cacheKey = cluster + "\u0000" + hash;
		Long id = this.seriesIds.get(cacheKey);
		if (id == null) {
			id = newSeries.get(cacheKey);
		}
		if (id == null) {
			List<Long> found = this.jdbc.queryForList(
					"select id from audit_series where cluster = ? and key_hash = ?", Long.class, cluster, hash);
			if (!found.isEmpty()) {
				id = found.get(0);
			}
			else {
				this.jdbc.update("insert into audit_series (cluster, key_hash, user_agent, verb, resource, code_class)"
						+ " values (?, ?, ?, ?, ?, ?)", cluster, hash, truncate(key.userAgent(), 1024),
						truncate(key.verb(), 64), truncate(key.resource(), 800), key.codeClass());
				id = this.jdbc.queryForObject("select id from audit_series where cluster = ? and key_hash = ?",
						Long.class, cluster, hash);
			}
			newSeries.put(cacheKey, id);
		}
		return id;
	}

	static String keyHash(RollupKey key) {
		return Sha256.hex(key.userAgent(), key.verb(), key.resource(), Integer.toString(key.codeClass()));
	}

	private void storePending(String cluster, AuditBatch batch) {
		List<Object[]> deletes = batch.resolvedPending().stream().map((id) -> new Object[] { cluster, id }).toList();
		batchUpdate("delete from audit_pending where cluster = ? and audit_id = ?", deletes,
				new int[] { Types.VARCHAR, Types.VARCHAR });
		List<Object[]> inserts = batch.addedPending()
			.stream()
			.map((p) -> new Object[] { cluster, truncate(p.auditId(), 128), EtcdHistory.timestamp(p.requestReceived()),
					truncate(p.userAgent(), 1024), truncate(p.verb(), 64), truncate(p.resource(), 800), p.code(),
					p.longRunning() })
			.toList();
		batchUpdate("insert into audit_pending (cluster, audit_id, request_received, user_agent, verb, resource, code,"
				+ " long_running) values (?, ?, ?, ?, ?, ?, ?, ?)", inserts,
				new int[] { Types.VARCHAR, Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE, Types.VARCHAR, Types.VARCHAR,
						Types.VARCHAR, Types.INTEGER, Types.BOOLEAN });
	}

	private void storeInput(String cluster, String origin, AuditInputReport report, Instant hour) {
		Map<String, Long> outcomes = new TreeMap<>(report.problems());
		if (report.events() > 0) {
			outcomes.put(KEPT, report.events());
		}
		OffsetDateTime at = EtcdHistory.timestamp(hour);
		outcomes.forEach((outcome, events) -> {
			String reason = truncate(outcome, 128);
			int updated = this.jdbc.update("update audit_input set events = events + ?"
					+ " where cluster = ? and at_hour = ? and origin = ? and outcome = ?", events, cluster, at, origin, reason);
			if (updated == 0) {
				this.jdbc.update("insert into audit_input (cluster, at_hour, origin, outcome, events) values (?, ?, ?, ?, ?)",
						cluster, at, origin, reason, events);
			}
		});
	}

	private void storeCheckpoint(String cluster, Checkpoint checkpoint, Instant at) {
		int updated = this.jdbc.update("update audit_checkpoint set file_key = ?, head_hash = ?, head_length = ?,"
				+ " file_offset = ?, updated_at = ? where cluster = ? and path = ?", checkpoint.fileKey(),
				checkpoint.headHash(), checkpoint.headLength(), checkpoint.offset(), EtcdHistory.timestamp(at), cluster,
				checkpoint.path());
		if (updated == 0) {
			this.jdbc.update("insert into audit_checkpoint (cluster, path, file_key, head_hash, head_length, file_offset,"
					+ " updated_at) values (?, ?, ?, ?, ?, ?, ?)", cluster, checkpoint.path(), checkpoint.fileKey(),
					checkpoint.headHash(), checkpoint.headLength(), checkpoint.offset(), EtcdHistory.timestamp(at));
		}
	}

	/** Whether a webhook body with this digest was stored already (within the last two days). */
	public boolean batchStored(String cluster, String bodyDigest) {
		return !this.jdbc.queryForList("select 1 from audit_batch where cluster = ? and digest = ?", Integer.class,
				cluster, bodyDigest).isEmpty();
	}

	/** Moves a tailer's checkpoint on without a batch (a rotation to a fresh, empty file). */
	public void saveCheckpoint(String cluster, Checkpoint checkpoint, Instant at) {
		this.transactions.executeWithoutResult((status) -> storeCheckpoint(cluster, checkpoint, at));
	}

	public Optional<Checkpoint> checkpoint(String cluster, String path) {
		return this.jdbc
			.query("select path, file_key, head_hash, head_length, file_offset from audit_checkpoint"
					+ " where cluster = ? and path = ?", (rs, n) -> new Checkpoint(rs.getString(1), rs.getString(2),
							rs.getString(3), rs.getInt(4), rs.getLong(5)), cluster, path)
			.stream()
			.findFirst();
	}

	/** The requests still waiting for their completion, oldest first. */
	public List<PendingRequest> pending(String cluster) {
		return this.jdbc.query("select audit_id, request_received, user_agent, verb, resource, code, long_running"
				+ " from audit_pending where cluster = ? order by request_received, audit_id",
				(rs, n) -> new PendingRequest(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
						rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6), rs.getBoolean(7)),
				cluster);
	}

	/**
	 * Requests and latency per user agent, in bins of {@code bin} from the window's start: answers
	 * questions 1 and 2 (each bin's figures sit at its first minute).
	 */
	public AuditRollup userAgentBins(String cluster, TimeWindow window, Duration bin) {
		AuditRollup rollup = new AuditRollup();
		long binMillis = Math.max(60_000, bin.toMillis());
		long from = window.from().toEpochMilli();
		// Rows stream through; each lands in its bin's cell at once, so memory is user agents x bins.
		this.jdbc.query("select s.user_agent, m.at_minute, m.requests, m.latency_count, m.latency_sum_ms"
				+ " from audit_minute m join audit_series s on s.id = m.series_id"
				+ " where s.cluster = ? and m.at_minute >= ? and m.at_minute < ?", (RowCallbackHandler) (rs) -> {
					long minute = rs.getObject(2, OffsetDateTime.class).toInstant().toEpochMilli();
					Instant binStart = Instant.ofEpochMilli(from + Math.floorDiv(minute - from, binMillis) * binMillis);
					rollup.addCell(new RollupKey(binStart, rs.getString(1), "", "", 0), rs.getLong(3), rs.getLong(4),
							rs.getDouble(5), null);
				}, cluster, EtcdHistory.timestamp(window.from()), EtcdHistory.timestamp(window.to()));
		return rollup;
	}

	/** One user agent's cells by verb and resource, merged over the window: answers question 3. */
	public AuditRollup verbsAndResources(String cluster, TimeWindow window, String userAgent) {
		AuditRollup rollup = new AuditRollup();
		this.jdbc.query("select s.verb, s.resource, s.code_class, m.requests, m.latency_count, m.latency_sum_ms, m.sketch"
				+ " from audit_minute m join audit_series s on s.id = m.series_id"
				+ " where s.cluster = ? and s.user_agent = ? and m.at_minute >= ? and m.at_minute < ?",
				(RowCallbackHandler) (rs) -> rollup.addCell(new RollupKey(window.from(), userAgent, rs.getString(1),
						rs.getString(2), rs.getInt(3)), rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getBytes(7)),
				cluster, truncate(userAgent, 1024), EtcdHistory.timestamp(window.from()),
				EtcdHistory.timestamp(window.to()));
		return rollup;
	}

	/** Events in per origin and outcome over the hours that overlap the window. */
	public List<InputCount> inputs(String cluster, TimeWindow window) {
		return this.jdbc.query("select origin, outcome, sum(events) from audit_input where cluster = ? and at_hour >= ?"
				+ " and at_hour < ? group by origin, outcome order by origin, outcome",
				(rs, n) -> new InputCount(rs.getString(1), rs.getString(2), rs.getLong(3)), cluster,
				EtcdHistory.timestamp(window.from().truncatedTo(ChronoUnit.HOURS)), EtcdHistory.timestamp(window.to()));
	}

	/**
	 * The minutes that hold data for a cluster, null when none. Walks the minute index from each
	 * end to the cluster's first row rather than aggregating all its rows: pages ask this often.
	 */
	public TimeWindow coverage(String cluster) {
		String edge = "select m.at_minute from audit_minute m join audit_series s on s.id = m.series_id"
				+ " where s.cluster = ? order by m.at_minute %s limit 1";
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

	/** Retention: rollups and input counts before {@code before}; waiting requests far older. */
	public int deleteBefore(Instant before) {
		return this.transactions.execute((status) -> {
			int minutes = this.jdbc.update("delete from audit_minute where at_minute < ?", EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_input where at_hour < ?", EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_pending where request_received < ?", EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_batch where received_at < ?",
					EtcdHistory.timestamp(Instant.now().minus(Duration.ofDays(2))));
			return minutes;
		});
	}

	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

}
