package dev.cpdoctor.history;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.RequestKey;

/**
 * The requests waiting for their completion, as a log (audit_pending_log, see
 * {@link PendingBlob}): one row per batch with what it changed in them, replayed in order
 * after a restart and folded into one row once the rows reach {@value #MAX_PENDING_ROWS}.
 * Rows an older version left in audit_pending are read first and go at the first fold.
 * Where each cluster's log stands is kept once committed.
 */
final class AuditPendingLog {

	/** Rows of audit_pending_log a cluster may have before they are folded into one. */
	static final int MAX_PENDING_ROWS = 64;

	private static final String INSERT = "insert into audit_pending_log (cluster, seq, added, resolved)"
			+ " values (?, ?, ?, ?)";

	private static final Pattern LEGACY_KEY = Pattern.compile("(.*)@(-?\\d{1,19})\\.(\\d{1,9})");

	/** Where a cluster's log stands: its next seq and its rows. */
	record Position(long nextSeq, int rows) {
	}

	private final JdbcTemplate jdbc;

	private final Map<String, Position> positions = new ConcurrentHashMap<>();

	AuditPendingLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Appends what the batch changed in the waiting requests as one row, in the caller's
	 * transaction; once the rows reach {@value #MAX_PENDING_ROWS} they are folded into
	 * one holding the requests still waiting. Returns where the log stands after the
	 * batch, for {@link #committed} once the transaction is.
	 */
	Position append(String cluster, AuditBatch batch) {
		Position log = position(cluster);
		if (batch.addedPending().isEmpty() && batch.resolvedPending().isEmpty()) {
			return log;
		}
		this.jdbc.update(INSERT, cluster, log.nextSeq(), PendingBlob.added(batch.addedPending()),
				PendingBlob.resolved(batch.resolvedPending()));
		if (log.rows() + 1 < MAX_PENDING_ROWS) {
			return new Position(log.nextSeq() + 1, log.rows() + 1);
		}
		List<PendingRequest> waiting = read(cluster);
		this.jdbc.update("delete from audit_pending_log where cluster = ?", cluster);
		this.jdbc.update("delete from audit_pending where cluster = ?", cluster);
		if (waiting.isEmpty()) {
			return new Position(log.nextSeq() + 1, 0);
		}
		this.jdbc.update(INSERT, cluster, log.nextSeq() + 1, PendingBlob.added(waiting),
				PendingBlob.resolved(List.of()));
		return new Position(log.nextSeq() + 2, 1);
	}

	void committed(String cluster, Position after) {
		this.positions.put(cluster, after);
	}

	/**
	 * Forgets where a cluster's log stands: a commit reported as failed may have
	 * happened.
	 */
	void forget(String cluster) {
		this.positions.remove(cluster);
	}

	private Position position(String cluster) {
		return this.positions.computeIfAbsent(cluster,
				(name) -> this.jdbc.queryForObject(
						"select coalesce(max(seq), 0), count(*) from audit_pending_log where cluster = ?",
						(rs, n) -> new Position(rs.getLong(1) + 1, rs.getInt(2)), name));
	}

	/**
	 * The requests still waiting for their completion, oldest first: rows an older
	 * version left in audit_pending, then audit_pending_log replayed in order.
	 */
	List<PendingRequest> read(String cluster) {
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

}
