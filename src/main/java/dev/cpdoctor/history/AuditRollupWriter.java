package dev.cpdoctor.history;

import java.sql.Types;
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

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.CountedRequests;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.MinuteCell;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RollupKey;

/**
 * The ingest path's side of the audit rollups of webhook and log-file clusters (tables
 * audit_*). A batch is stored in one transaction with everything it implies: its cells as
 * one new part of each minute it touches (audit_cells, see {@link CellBlob}), what it
 * changed in the requests waiting for their completion ({@link AuditPendingLog}), the
 * input counts, the tailer's checkpoint and a webhook body's digest, so a batch is either
 * counted whole, once, or not at all. It also reads back what the ingest path resumes
 * from: the waiting requests, a tailer's checkpoint, whether a webhook body was stored.
 * <p>
 * One writer per cluster at a time (the cluster's AuditIngest holds the lock).
 */
public class AuditRollupWriter {

	/** Parts a minute may have before they are merged into one. */
	static final int MAX_PARTS = 16;

	private static final int BATCH = 500;

	private static final String INSERT_CELLS = "insert into audit_cells (cluster, at_minute, part, cells) values (?, ?, ?, ?)";

	private static final int[] CELL_TYPES = { Types.VARCHAR, Types.TIMESTAMP_WITH_TIMEZONE, Types.INTEGER,
			Types.VARBINARY };

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final AuditSeriesIds seriesIds;

	private final AuditPendingLog pendingLog;

	private final AuditCountedLog countedLog;

	private final Map<String, Instant> newestMinutes = new ConcurrentHashMap<>();

	public AuditRollupWriter(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.seriesIds = new AuditSeriesIds(jdbc);
		this.pendingLog = new AuditPendingLog(jdbc);
		this.countedLog = new AuditCountedLog(jdbc);
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
			AuditLogCheckpoint checkpoint, String bodyDigest) {
		Map<AuditSeriesKey, Long> newSeries = new HashMap<>();
		Instant newestBefore = newestMinute(cluster);
		AuditPendingLog.Position[] pendingAfter = { null };
		try {
			this.transactions.executeWithoutResult((status) -> {
				storeCells(cluster, batch.cells(), newSeries, newestBefore);
				pendingAfter[0] = this.pendingLog.append(cluster, batch);
				this.countedLog.append(cluster, batch);
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
			this.pendingLog.forget(cluster);
			this.seriesIds.forget(cluster);
			throw ex;
		}
		this.seriesIds.of(cluster).learn(newSeries);
		this.pendingLog.committed(cluster, pendingAfter[0]);
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
	private void storeCells(String cluster, Map<RollupKey, MinuteCell> cells, Map<AuditSeriesKey, Long> newSeries,
			Instant newestBefore) {
		List<Object[]> inserts = new ArrayList<>();
		for (Map.Entry<Instant, Map<Long, MinuteCell>> minute : bySeriesId(cluster, cells, newSeries).entrySet()) {
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
		insertParts(this.jdbc, inserts);
	}

	/**
	 * The batch's cells by minute and series id; series new to the database are inserted
	 * and collected in {@code newSeries}.
	 */
	private Map<Instant, Map<Long, MinuteCell>> bySeriesId(String cluster, Map<RollupKey, MinuteCell> cells,
			Map<AuditSeriesKey, Long> newSeries) {
		AuditSeriesIds.ClusterSeries known = this.seriesIds.of(cluster);
		Map<Instant, Map<Long, MinuteCell>> byMinute = new TreeMap<>();
		for (Map.Entry<RollupKey, MinuteCell> entry : cells.entrySet()) {
			RollupKey key = entry.getKey();
			long id = known.idOf(AuditSeriesKey.of(key), newSeries);
			byMinute.computeIfAbsent(key.minute(), (m) -> new HashMap<>()).merge(id, entry.getValue(), MinuteCell::add);
		}
		return byMinute;
	}

	/**
	 * Inserts rows of audit_cells (cluster, minute, part, cells) in JDBC batches of
	 * {@value #BATCH}.
	 */
	static void insertParts(JdbcTemplate jdbc, List<Object[]> rows) {
		for (int from = 0; from < rows.size(); from += BATCH) {
			jdbc.batchUpdate(INSERT_CELLS, rows.subList(from, Math.min(rows.size(), from + BATCH)), CELL_TYPES);
		}
	}

	/**
	 * Adds the report's counts to the hour's input counts; a reason's first sample is
	 * kept, set by the batch that creates its row (or, for a row that has none, the first
	 * that brings one).
	 */
	private void storeInput(String cluster, String origin, AuditInputReport report, Instant hour) {
		Map<String, Long> outcomes = new TreeMap<>(report.problems());
		if (report.events() > 0) {
			outcomes.put(AuditInputCount.KEPT, report.events());
		}
		OffsetDateTime at = EtcdHistory.timestamp(hour);
		outcomes.forEach((outcome, events) -> {
			String reason = AuditEventParser.cut(outcome, 128);
			String sample = report.samples().get(outcome);
			int updated = this.jdbc.update(
					"update audit_input set events = events + ?, sample = coalesce(sample, ?)"
							+ " where cluster = ? and at_hour = ? and origin = ? and outcome = ?",
					events, sample, cluster, at, origin, reason);
			if (updated == 0) {
				this.jdbc.update("insert into audit_input (cluster, at_hour, origin, outcome, events, sample)"
						+ " values (?, ?, ?, ?, ?, ?)", cluster, at, origin, reason, events, sample);
			}
		});
	}

	private void storeCheckpoint(String cluster, AuditLogCheckpoint checkpoint, Instant at) {
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
	 * Moves a tailer's checkpoint on without a batch (a rotation to a fresh, empty file).
	 */
	public void saveCheckpoint(String cluster, AuditLogCheckpoint checkpoint, Instant at) {
		this.transactions.executeWithoutResult((status) -> storeCheckpoint(cluster, checkpoint, at));
	}

	/**
	 * Where the tailer of the log at {@code path} stopped, empty before its first batch.
	 */
	public Optional<AuditLogCheckpoint> checkpoint(String cluster, String path) {
		return this.jdbc
			.query("select path, file_key, head_hash, head_length, file_offset from audit_checkpoint"
					+ " where cluster = ? and path = ?",
					(rs, n) -> new AuditLogCheckpoint(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
							rs.getLong(5)),
					cluster, path)
			.stream()
			.findFirst();
	}

	/**
	 * The requests still waiting for their completion, oldest first: what the cluster's
	 * stream resumes with after a restart or a failed batch.
	 */
	public List<PendingRequest> pending(String cluster) {
		return this.pendingLog.read(cluster);
	}

	/**
	 * The codes of the requests the cluster counted that were received in a minute (see
	 * {@link CountedRequests}).
	 */
	public long[] countedCodes(String cluster, Instant minute) {
		return this.countedLog.codes(cluster, minute);
	}

	/**
	 * The newest event time the cluster's stream stored, empty before its first batch.
	 */
	public Optional<Instant> watermark(String cluster) {
		return this.countedLog.watermark(cluster);
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

}
