package dev.cpdoctor.history;

import java.sql.PreparedStatement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditRollup;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RequestKey;
import dev.cpdoctor.analysis.audit.RollupKey;
import dev.cpdoctor.support.Sha256;

/**
 * Audit rollups of webhook and log-file clusters in the database (tables audit_*). A
 * batch is stored in one transaction with everything it implies: its cells as one new
 * part of each minute it touches (audit_cells, see {@link CellBlob}), what it changed in
 * the requests waiting for their completion (audit_pending_log, see {@link PendingBlob}),
 * the input counts, and the tailer's checkpoint, so a batch is either counted whole,
 * once, or not at all.
 * <p>
 * One writer per cluster at a time (the cluster's AuditIngest holds the lock).
 */
public class AuditRollupStore {

	private static final int BATCH = 500;

	/**
	 * Where a log-file tailer stopped: the file's identity and the offset after the last
	 * whole line.
	 */
	public record Checkpoint(String path, String fileKey, String headHash, int headLength, long offset) {
	}

	/** Events in by origin ("webhook", "file") and outcome ("kept" or a reason). */
	public record InputCount(String origin, String outcome, long events) {
	}

	public static final String KEPT = "kept";

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Map<String, SeriesIds> seriesIds = new ConcurrentHashMap<>();

	private final Map<String, Instant> newestMinutes = new ConcurrentHashMap<>();

	private static final int MAX_CACHED_SERIES = 200_000;

	private static final String INSERT_CELLS = "insert into audit_cells (cluster, at_minute, part, cells) values (?, ?, ?, ?)";

	private static final int[] CELL_TYPES = { Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE, Types.INTEGER,
			Types.VARBINARY };

	private static final String INSERT_PENDING = "insert into audit_pending_log (cluster, seq, added, resolved)"
			+ " values (?, ?, ?, ?)";

	/** Rows of audit_pending_log a cluster may have before they are folded into one. */
	static final int MAX_PENDING_ROWS = 64;

	private final Map<String, PendingLog> pendingLogs = new ConcurrentHashMap<>();

	/** Parts a minute may have before they are merged into one. */
	static final int MAX_PARTS = 16;

	/**
	 * Whether rows of the per-cell table of V3 (audit_minute) were moved to audit_cells.
	 */
	private volatile boolean legacyMoved;

	public AuditRollupStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/**
	 * Stores a processed batch in one transaction.
	 * @param origin "webhook" or "file", for the data-quality panel
	 * @param report what the input held, counted per reason
	 * @param receivedAt when the batch arrived (the input counts' hour)
	 * @param checkpoint the tailer's position after this batch, null for webhook batches
	 * @param bodyDigest a webhook body's SHA-256, remembered with the batch (see
	 * {@link #batchStored}); null for the log file
	 */
	public void store(String cluster, AuditBatch batch, String origin, AuditInputReport report, Instant receivedAt,
			Checkpoint checkpoint, String bodyDigest) {
		moveLegacyRows();
		Map<SeriesKey, Long> newSeries = new HashMap<>();
		Instant newestBefore = newestMinute(cluster);
		PendingLog[] pendingAfter = { null };
		try {
			this.transactions.executeWithoutResult((status) -> {
				storeCells(cluster, batch.cells(), newSeries, newestBefore);
				pendingAfter[0] = storePending(cluster, batch);
				storeInput(cluster, origin, report, receivedAt.truncatedTo(ChronoUnit.HOURS));
				if (checkpoint != null) {
					storeCheckpoint(cluster, checkpoint, receivedAt);
				}
				if (bodyDigest != null) {
					this.jdbc.update(
							"insert into audit_batch (cluster, digest, received_at, events) values (?, ?, ?, ?)",
							cluster, bodyDigest, EtcdHistory.timestamp(receivedAt), batch.events());
				}
			});
		}
		catch (RuntimeException ex) {
			// A commit reported as failed may have happened: what is cached is read
			// again.
			this.newestMinutes.remove(cluster);
			this.pendingLogs.remove(cluster);
			this.seriesIds.remove(cluster);
			throw ex;
		}
		seriesIds(cluster).learn(newSeries);
		this.pendingLogs.put(cluster, pendingAfter[0]);
		batch.cells()
			.keySet()
			.stream()
			.map(RollupKey::minute)
			.max(Instant::compareTo)
			.ifPresent((newest) -> this.newestMinutes.merge(cluster, newest, (a, b) -> a.isAfter(b) ? a : b));
	}

	/**
	 * The newest minute stored for a cluster (EPOCH when none), read once and then kept:
	 * a minute after it has no stored cells, so its cells go in as its first part without
	 * a read. One writer per cluster keeps it true.
	 */
	private Instant newestMinute(String cluster) {
		return this.newestMinutes.computeIfAbsent(cluster, (name) -> {
			OffsetDateTime newest = this.jdbc.queryForObject("select max(at_minute) from audit_cells where cluster = ?",
					OffsetDateTime.class, name);
			return (newest != null) ? newest.toInstant() : Instant.EPOCH;
		});
	}

	/**
	 * Each minute's cells go in as one new part of the minute; a minute whose parts reach
	 * {@value #MAX_PARTS} is merged into one (webhook batches arrive every second or so).
	 */
	private void storeCells(String cluster, Map<RollupKey, MinuteCell> cells, Map<SeriesKey, Long> newSeries,
			Instant newestBefore) {
		SeriesIds known = seriesIds(cluster);
		Map<Instant, Map<Long, MinuteCell>> byMinute = new TreeMap<>();
		for (Map.Entry<RollupKey, MinuteCell> entry : cells.entrySet()) {
			RollupKey key = entry.getKey();
			SeriesKey series = SeriesKey.of(key);
			Long id = known.get(series);
			if (id == null) {
				id = newSeries.get(series);
			}
			if (id == null) {
				// Looked up by hash, never assumed new: the database may hold the text
				// otherwise
				// than we do (PostgreSQL turns a lone surrogate into '?'), so a cache
				// loaded from it
				// can miss a series that exists.
				id = findOrInsertSeries(cluster, series);
				newSeries.put(series, id);
			}
			byMinute.computeIfAbsent(key.minute(), (m) -> new HashMap<>()).merge(id, entry.getValue(), MinuteCell::add);
		}
		List<Object[]> inserts = new ArrayList<>();
		for (Map.Entry<Instant, Map<Long, MinuteCell>> minute : byMinute.entrySet()) {
			OffsetDateTime at = EtcdHistory.timestamp(minute.getKey());
			Map<Long, MinuteCell> fresh = minute.getValue();
			if (minute.getKey().isAfter(newestBefore)) {
				inserts.add(new Object[] { cluster, at, 0, CellBlob.encode(fresh) });
				continue;
			}
			int[] parts = this.jdbc.queryForObject(
					"select count(*), coalesce(max(part), -1) from audit_cells where cluster = ? and at_minute = ?",
					(rs, n) -> new int[] { rs.getInt(1), rs.getInt(2) }, cluster, at);
			if (parts[0] + 1 < MAX_PARTS) {
				inserts.add(new Object[] { cluster, at, parts[1] + 1, CellBlob.encode(fresh) });
				continue;
			}
			this.jdbc.query("select cells from audit_cells where cluster = ? and at_minute = ?",
					(RowCallbackHandler) (rs) -> CellBlob.decode(rs.getBytes(1), true,
							(id, requests, latencyCount, latencySumMs, sketch) -> fresh
								.computeIfAbsent(id, (k) -> new MinuteCell())
								.merge(requests, latencyCount, latencySumMs, sketch)),
					cluster, at);
			this.jdbc.update("delete from audit_cells where cluster = ? and at_minute = ?", cluster, at);
			inserts.add(new Object[] { cluster, at, 0, CellBlob.encode(fresh) });
		}
		batchUpdate(INSERT_CELLS, inserts, CELL_TYPES);
	}

	private void batchUpdate(String sql, List<Object[]> rows, int[] types) {
		for (int from = 0; from < rows.size(); from += BATCH) {
			this.jdbc.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + BATCH)), types);
		}
	}

	/** What a series is, as stored (text cut to the columns' lengths). */
	record SeriesKey(String userAgent, String verb, String resource, int codeClass) {

		static SeriesKey of(RollupKey key) {
			return new SeriesKey(truncate(key.userAgent(), 1024), truncate(key.verb(), 64),
					truncate(key.resource(), 800), key.codeClass());
		}

	}

	/**
	 * A cluster's series ids, loaded on first use; only ids of committed rows get here.
	 * Past {@value #MAX_CACHED_SERIES} it is emptied and fills again from misses.
	 */
	private static final class SeriesIds {

		private final Map<SeriesKey, Long> ids = new ConcurrentHashMap<>();

		Long get(SeriesKey key) {
			return this.ids.get(key);
		}

		void learn(Map<SeriesKey, Long> committed) {
			if (this.ids.size() + committed.size() > MAX_CACHED_SERIES) {
				this.ids.clear();
			}
			this.ids.putAll(committed);
		}

	}

	private SeriesIds seriesIds(String cluster) {
		return this.seriesIds.computeIfAbsent(cluster, (name) -> {
			SeriesIds ids = new SeriesIds();
			Long count = this.jdbc.queryForObject("select count(*) from audit_series where cluster = ?", Long.class,
					name);
			if (count != null && count <= MAX_CACHED_SERIES) {
				this.jdbc.query("select id, user_agent, verb, resource, code_class from audit_series where cluster = ?",
						(RowCallbackHandler) (rs) -> ids.ids.put(
								new SeriesKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)),
								rs.getLong(1)),
						name);
			}
			return ids;
		});
	}

	private long findOrInsertSeries(String cluster, SeriesKey key) {
		List<Long> found = this.jdbc.queryForList("select id from audit_series where cluster = ? and key_hash = ?",
				Long.class, cluster, keyHash(key));
		return found.isEmpty() ? insertSeries(cluster, key) : found.get(0);
	}

	private long insertSeries(String cluster, SeriesKey key) {
		GeneratedKeyHolder id = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			PreparedStatement insert = connection.prepareStatement(
					"insert into audit_series (cluster, key_hash,"
							+ " user_agent, verb, resource, code_class) values (?, ?, ?, ?, ?, ?)",
					new String[] { "id" });
			insert.setString(1, cluster);
			insert.setString(2, keyHash(key));
			insert.setString(3, key.userAgent());
			insert.setString(4, key.verb());
			insert.setString(5, key.resource());
			insert.setInt(6, key.codeClass());
			return insert;
		}, id);
		return id.getKey().longValue();
	}

	static String keyHash(SeriesKey key) {
		return Sha256.hex(key.userAgent(), key.verb(), key.resource(), Integer.toString(key.codeClass()));
	}

	/** Where a cluster's audit_pending_log stands: its next seq and its rows. */
	private record PendingLog(long nextSeq, int rows) {
	}

	private PendingLog pendingLog(String cluster) {
		return this.pendingLogs.computeIfAbsent(cluster,
				(name) -> this.jdbc.queryForObject(
						"select coalesce(max(seq), 0), count(*) from audit_pending_log where cluster = ?",
						(rs, n) -> new PendingLog(rs.getLong(1) + 1, rs.getInt(2)), name));
	}

	/**
	 * Appends what the batch changed in the waiting requests as one row; once the rows
	 * reach {@value #MAX_PENDING_ROWS} they are folded into one holding the requests
	 * still waiting. Returns where the log stands after the batch, to remember once it is
	 * committed.
	 */
	private PendingLog storePending(String cluster, AuditBatch batch) {
		PendingLog log = pendingLog(cluster);
		if (batch.addedPending().isEmpty() && batch.resolvedPending().isEmpty()) {
			return log;
		}
		this.jdbc.update(INSERT_PENDING, cluster, log.nextSeq(), PendingBlob.added(batch.addedPending()),
				PendingBlob.resolved(batch.resolvedPending()));
		if (log.rows() + 1 < MAX_PENDING_ROWS) {
			return new PendingLog(log.nextSeq() + 1, log.rows() + 1);
		}
		List<PendingRequest> waiting = pending(cluster);
		this.jdbc.update("delete from audit_pending_log where cluster = ?", cluster);
		this.jdbc.update("delete from audit_pending where cluster = ?", cluster);
		if (waiting.isEmpty()) {
			return new PendingLog(log.nextSeq() + 1, 0);
		}
		this.jdbc.update(INSERT_PENDING, cluster, log.nextSeq() + 1, PendingBlob.added(waiting),
				PendingBlob.resolved(List.of()));
		return new PendingLog(log.nextSeq() + 2, 1);
	}

	private void storeInput(String cluster, String origin, AuditInputReport report, Instant hour) {
		Map<String, Long> outcomes = new TreeMap<>(report.problems());
		if (report.events() > 0) {
			outcomes.put(KEPT, report.events());
		}
		OffsetDateTime at = EtcdHistory.timestamp(hour);
		outcomes.forEach((outcome, events) -> {
			String reason = truncate(outcome, 128);
			int updated = this.jdbc.update(
					"update audit_input set events = events + ?"
							+ " where cluster = ? and at_hour = ? and origin = ? and outcome = ?",
					events, cluster, at, origin, reason);
			if (updated == 0) {
				this.jdbc.update(
						"insert into audit_input (cluster, at_hour, origin, outcome, events) values (?, ?, ?, ?, ?)",
						cluster, at, origin, reason, events);
			}
		});
	}

	private void storeCheckpoint(String cluster, Checkpoint checkpoint, Instant at) {
		int updated = this.jdbc.update(
				"update audit_checkpoint set file_key = ?, head_hash = ?, head_length = ?,"
						+ " file_offset = ?, updated_at = ? where cluster = ? and path = ?",
				checkpoint.fileKey(), checkpoint.headHash(), checkpoint.headLength(), checkpoint.offset(),
				EtcdHistory.timestamp(at), cluster, checkpoint.path());
		if (updated == 0) {
			this.jdbc.update(
					"insert into audit_checkpoint (cluster, path, file_key, head_hash, head_length, file_offset,"
							+ " updated_at) values (?, ?, ?, ?, ?, ?, ?)",
					cluster, checkpoint.path(), checkpoint.fileKey(), checkpoint.headHash(), checkpoint.headLength(),
					checkpoint.offset(), EtcdHistory.timestamp(at));
		}
	}

	/**
	 * Whether a webhook body with this digest was stored already (within the last two
	 * days).
	 */
	public boolean batchStored(String cluster, String bodyDigest) {
		return !this.jdbc
			.queryForList("select 1 from audit_batch where cluster = ? and digest = ?", Integer.class, cluster,
					bodyDigest)
			.isEmpty();
	}

	/**
	 * Moves a tailer's checkpoint on without a batch (a rotation to a fresh, empty file).
	 */
	public void saveCheckpoint(String cluster, Checkpoint checkpoint, Instant at) {
		this.transactions.executeWithoutResult((status) -> storeCheckpoint(cluster, checkpoint, at));
	}

	public Optional<Checkpoint> checkpoint(String cluster, String path) {
		return this.jdbc
			.query("select path, file_key, head_hash, head_length, file_offset from audit_checkpoint"
					+ " where cluster = ? and path = ?",
					(rs, n) -> new Checkpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
							rs.getLong(5)),
					cluster, path)
			.stream()
			.findFirst();
	}

	/**
	 * The requests still waiting for their completion, oldest first: rows an older
	 * version left in audit_pending, then audit_pending_log replayed in order.
	 */
	public List<PendingRequest> pending(String cluster) {
		Map<RequestKey, PendingRequest> waiting = new LinkedHashMap<>();
		this.jdbc.query(
				"select audit_id, request_received, user_agent, verb, resource, code, long_running"
						+ " from audit_pending where cluster = ? order by request_received, audit_id",
				(RowCallbackHandler) (rs) -> {
					PendingRequest request = legacyPending(rs.getString(1),
							rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
							rs.getString(5), rs.getInt(6), rs.getBoolean(7));
					waiting.put(request.key(), request);
				}, cluster);
		this.jdbc.query("select added, resolved from audit_pending_log where cluster = ? order by seq",
				(RowCallbackHandler) (rs) -> {
					PendingBlob.readResolved(rs.getBytes(2)).forEach(waiting::remove);
					PendingBlob.readAdded(rs.getBytes(1)).forEach((request) -> waiting.put(request.key(), request));
				}, cluster);
		List<PendingRequest> oldestFirst = new ArrayList<>(waiting.values());
		oldestFirst.sort(Comparator.comparing(PendingRequest::requestReceived));
		return oldestFirst;
	}

	/**
	 * An older version stored "auditID@seconds.nanos" as the key. Its suffix gives the
	 * received instant to the nanosecond (the column kept microseconds); without one the
	 * row is as stored.
	 */
	private static PendingRequest legacyPending(String stored, Instant received, String userAgent, String verb,
			String resource, int code, boolean longRunning) {
		Matcher key = LEGACY_KEY.matcher(stored);
		if (key.matches()) {
			try {
				Instant exact = Instant.ofEpochSecond(Long.parseLong(key.group(2)), Long.parseLong(key.group(3)));
				if (Duration.between(received, exact).abs().compareTo(Duration.ofMillis(1)) < 0) {
					return new PendingRequest(key.group(1), exact, userAgent, verb, resource, code, longRunning);
				}
			}
			catch (RuntimeException ex) {
				// not our suffix after all: kept as stored
			}
		}
		return new PendingRequest(stored, received, userAgent, verb, resource, code, longRunning);
	}

	private static final Pattern LEGACY_KEY = Pattern.compile("(.*)@(-?\\d{1,19})\\.(\\d{1,9})");

	/**
	 * Requests and latency per user agent, in bins of {@code bin} from the window's
	 * start: answers questions 1 and 2 (each bin's figures sit at its first minute).
	 */
	public AuditRollup userAgentBins(String cluster, TimeWindow window, Duration bin) {
		moveLegacyRows();
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
		Map<Long, SeriesKey> names = seriesNames(cluster, sums.keySet().stream().map(SeriesBin::series).toList());
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
		moveLegacyRows();
		Map<Long, SeriesKey> series = new HashMap<>();
		this.jdbc.query("select id, verb, resource, code_class from audit_series where cluster = ? and user_agent = ?",
				(RowCallbackHandler) (rs) -> series.put(rs.getLong(1),
						new SeriesKey(userAgent, rs.getString(2), rs.getString(3), rs.getInt(4))),
				cluster, truncate(userAgent, 1024));
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
			SeriesKey key = series.get(id);
			rollup.addCell(new RollupKey(window.from(), userAgent, key.verb(), key.resource(), key.codeClass()),
					cell.requests(), cell.latencyCount(), cell.latencySumMs(), cell.sketchBytes());
		});
		return rollup;
	}

	private interface CellVisitor {

		void cell(long minuteMillis, long series, long requests, long latencyCount, double latencySumMs, byte[] sketch);

	}

	/** Parts read per query: a busy minute's part is a few hundred KB. */
	private static final int PARTS_PER_PAGE = 32;

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
			// alike), minus
			// the parts of that minute already read.
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
	private Map<Long, SeriesKey> seriesNames(String cluster, Collection<Long> ids) {
		Set<Long> wanted = new HashSet<>(ids);
		Map<Long, SeriesKey> names = new HashMap<>();
		if (wanted.isEmpty()) {
			return names;
		}
		Map<String, String> userAgents = new HashMap<>();
		this.jdbc.query("select id, user_agent, verb, resource, code_class from audit_series where cluster = ?",
				(RowCallbackHandler) (rs) -> {
					long id = rs.getLong(1);
					if (wanted.contains(id)) {
						String userAgent = userAgents.computeIfAbsent(rs.getString(2), (ua) -> ua);
						names.put(id, new SeriesKey(userAgent, rs.getString(3), rs.getString(4), rs.getInt(5)));
					}
				}, cluster);
		if (names.size() < wanted.size()) {
			throw new IllegalStateException("Stored audit cells of " + cluster + " name "
					+ (wanted.size() - names.size()) + " series that do not exist");
		}
		return names;
	}

	/**
	 * Moves rows an older version kept one per series and minute (audit_minute, V3) into
	 * audit_cells, once, a minute at a time, in one transaction.
	 */
	private void moveLegacyRows() {
		if (this.legacyMoved) {
			return;
		}
		synchronized (this) {
			if (this.legacyMoved) {
				return;
			}
			this.transactions.executeWithoutResult((status) -> {
				List<Object[]> inserts = new ArrayList<>();
				String[] current = { null };
				OffsetDateTime[] currentMinute = { null };
				Map<Long, MinuteCell> cells = new HashMap<>();
				Runnable flush = () -> {
					if (!cells.isEmpty()) {
						Integer part = this.jdbc.queryForObject(
								"select coalesce(max(part), -1) + 1 from audit_cells"
										+ " where cluster = ? and at_minute = ?",
								Integer.class, current[0], currentMinute[0]);
						inserts.add(new Object[] { current[0], currentMinute[0], part, CellBlob.encode(cells) });
						cells.clear();
					}
					if (inserts.size() >= BATCH) {
						batchUpdate(INSERT_CELLS, inserts, CELL_TYPES);
						inserts.clear();
					}
				};
				// Streamed, not held whole: PostgreSQL's driver uses a cursor inside a
				// transaction
				// when given a fetch size; a month of rows is millions.
				this.jdbc.query((connection) -> {
					PreparedStatement select = connection.prepareStatement("select s.cluster, m.at_minute, m.series_id,"
							+ " m.requests, m.latency_count, m.latency_sum_ms, m.sketch from audit_minute m"
							+ " join audit_series s on s.id = m.series_id order by s.cluster, m.at_minute");
					select.setFetchSize(1_000);
					return select;
				}, (RowCallbackHandler) (rs) -> {
					String cluster = rs.getString(1);
					OffsetDateTime minute = rs.getObject(2, OffsetDateTime.class);
					if (!cluster.equals(current[0]) || !minute.isEqual(currentMinute[0])) {
						flush.run();
						current[0] = cluster;
						currentMinute[0] = minute;
					}
					cells.computeIfAbsent(rs.getLong(3), (id) -> new MinuteCell())
						.merge(rs.getLong(4), rs.getLong(5), rs.getDouble(6), rs.getBytes(7));
				});
				flush.run();
				batchUpdate(INSERT_CELLS, inserts, CELL_TYPES);
				this.jdbc.update("delete from audit_minute");
			});
			this.legacyMoved = true;
		}
	}

	/** Events in per origin and outcome over the hours that overlap the window. */
	public List<InputCount> inputs(String cluster, TimeWindow window) {
		return this.jdbc.query(
				"select origin, outcome, sum(events) from audit_input where cluster = ? and at_hour >= ?"
						+ " and at_hour < ? group by origin, outcome order by origin, outcome",
				(rs, n) -> new InputCount(rs.getString(1), rs.getString(2), rs.getLong(3)), cluster,
				EtcdHistory.timestamp(window.from().truncatedTo(ChronoUnit.HOURS)), EtcdHistory.timestamp(window.to()));
	}

	/**
	 * The minutes that hold data for a cluster, null when none. Walks the minute index
	 * from each end to the cluster's first row rather than aggregating all its rows:
	 * pages ask this often.
	 */
	public TimeWindow coverage(String cluster) {
		moveLegacyRows();
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
	 * Retention: rollups and input counts before {@code before}, rows an older version
	 * left in audit_pending, webhook digests after two days. The waiting-request log
	 * needs none: its folds keep it to the requests still waiting, and those are counted
	 * within hours.
	 */
	public int deleteBefore(Instant before) {
		return this.transactions.execute((status) -> {
			int minutes = this.jdbc.update("delete from audit_cells where at_minute < ?",
					EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_input where at_hour < ?", EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_pending where request_received < ?", EtcdHistory.timestamp(before));
			this.jdbc.update("delete from audit_batch where received_at < ?",
					EtcdHistory.timestamp(Instant.now().minus(Duration.ofDays(2))));
			return minutes;
		});
	}

	/** Text cut to a column's length, never through a surrogate pair. */
	static String truncate(String text, int max) {
		return AuditEventParser.cut(text, max);
	}

}
