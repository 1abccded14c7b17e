package dev.cpdoctor.history;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import dev.cpdoctor.analysis.audit.AuditBatch;

/**
 * The requests each cluster counted (audit_counted: per batch and minute, the codes of
 * {@link dev.cpdoctor.analysis.audit.CountedRequests}) and where its stream's event time
 * stands (audit_stream), written in the batch's transaction, so that after a restart, a
 * failed commit or a replay nothing counts twice.
 */
final class AuditCountedLog {

	private static final int BATCH = 500;

	private final JdbcTemplate jdbc;

	AuditCountedLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Appends the batch's codes and its stream's event time, and deletes the codes the
	 * stream no longer needs, in the caller's transaction.
	 */
	void append(String cluster, AuditBatch batch) {
		List<Object[]> rows = new ArrayList<>();
		for (Map.Entry<Instant, long[]> minute : batch.countedCodes().entrySet()) {
			rows.add(new Object[] { cluster, EtcdHistory.timestamp(minute.getKey()), bytes(minute.getValue()) });
		}
		for (int from = 0; from < rows.size(); from += BATCH) {
			this.jdbc.batchUpdate("insert into audit_counted (cluster, at_minute, codes) values (?, ?, ?)",
					rows.subList(from, Math.min(rows.size(), from + BATCH)));
		}
		if (batch.watermark() != null) {
			OffsetDateTime watermark = EtcdHistory.timestamp(batch.watermark());
			int updated = this.jdbc.update("update audit_stream set watermark = ? where cluster = ? and watermark < ?",
					watermark, cluster, watermark);
			if (updated == 0 && watermark(cluster).isEmpty()) {
				this.jdbc.update("insert into audit_stream (cluster, watermark) values (?, ?)", cluster, watermark);
			}
		}
		if (batch.deletableBefore() != null) {
			this.jdbc.update("delete from audit_counted where cluster = ? and at_minute < ?", cluster,
					EtcdHistory.timestamp(batch.deletableBefore()));
		}
	}

	/** The codes stored for a minute of the cluster. */
	long[] codes(String cluster, Instant minute) {
		List<long[]> parts = new ArrayList<>();
		int[] total = { 0 };
		this.jdbc.query("select codes from audit_counted where cluster = ? and at_minute = ?",
				(RowCallbackHandler) (rs) -> {
					long[] part = codes(rs.getBytes(1));
					parts.add(part);
					total[0] += part.length;
				}, cluster, EtcdHistory.timestamp(minute));
		long[] all = new long[total[0]];
		int at = 0;
		for (long[] part : parts) {
			System.arraycopy(part, 0, all, at, part.length);
			at += part.length;
		}
		return all;
	}

	/**
	 * The newest event time the cluster's stream stored, empty before its first batch.
	 */
	Optional<Instant> watermark(String cluster) {
		return this.jdbc
			.query("select watermark from audit_stream where cluster = ?",
					(rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant(), cluster)
			.stream()
			.findFirst();
	}

	/** Forgets a cluster: its codes and event time. */
	void delete(String cluster) {
		this.jdbc.update("delete from audit_counted where cluster = ?", cluster);
		this.jdbc.update("delete from audit_stream where cluster = ?", cluster);
	}

	static byte[] bytes(long[] codes) {
		ByteBuffer buffer = ByteBuffer.allocate(codes.length * Long.BYTES);
		for (long code : codes) {
			buffer.putLong(code);
		}
		return buffer.array();
	}

	static long[] codes(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		long[] codes = new long[bytes.length / Long.BYTES];
		for (int i = 0; i < codes.length; i++) {
			codes[i] = buffer.getLong();
		}
		return codes;
	}

}
