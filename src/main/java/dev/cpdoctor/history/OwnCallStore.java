package dev.cpdoctor.history;

import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.network.CallOutcome;
import dev.cpdoctor.analysis.network.OwnCall;

/** The dashboard's own calls to apiservers, one row each (table own_call). */
public class OwnCallStore {

	/**
	 * The calls read for a question, and whether older ones of the window were left out.
	 */
	public record Read(List<OwnCall> calls, boolean truncated) {

		public Read {
			calls = List.copyOf(calls);
		}

	}

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	public OwnCallStore(JdbcTemplate jdbc, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.transactions = transactions;
	}

	/** Writes a batch in one transaction: all of it or, when it throws, none of it. */
	public void save(List<OwnCall> calls) {
		if (calls.isEmpty()) {
			return;
		}
		this.transactions.executeWithoutResult((status) -> this.jdbc
			.batchUpdate("insert into own_call (cluster, started_at, kind, took_micros, outcome, http_status, detail)"
					+ " values (?, ?, ?, ?, ?, ?, ?)", calls, 500, (ps, call) -> {
						ps.setString(1, call.cluster());
						ps.setObject(2, EtcdHistory.timestamp(call.at()));
						ps.setString(3, call.kind());
						ps.setLong(4, micros(call.took()));
						ps.setString(5, call.outcome().name());
						ps.setObject(6, call.httpStatus(), Types.INTEGER);
						ps.setString(7, call.detail());
					}));
	}

	/**
	 * The newest {@code limit} calls of a cluster started in [from, to), oldest first.
	 */
	public Read calls(String cluster, TimeWindow window, int limit) {
		List<OwnCall> newestFirst = this.jdbc
			.query("select started_at, kind, took_micros, outcome, http_status, detail from own_call"
					+ " where cluster = ? and started_at >= ? and started_at < ? order by started_at desc, id desc limit ?",
					(rs, n) -> new OwnCall(cluster, rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
							Duration.ofNanos(rs.getLong(3) * 1_000), CallOutcome.valueOf(rs.getString(4)),
							rs.getObject(5, Integer.class), rs.getString(6)),
					cluster, EtcdHistory.timestamp(window.from()), EtcdHistory.timestamp(window.to()), limit + 1);
		boolean truncated = newestFirst.size() > limit;
		List<OwnCall> oldestFirst = new ArrayList<>(truncated ? newestFirst.subList(0, limit) : newestFirst);
		Collections.reverse(oldestFirst);
		return new Read(oldestFirst, truncated);
	}

	/** Deletes calls started before the instant; returns how many. */
	public int deleteBefore(Instant before) {
		return this.jdbc.update("delete from own_call where started_at < ?", EtcdHistory.timestamp(before));
	}

	private static long micros(Duration took) {
		return took.toNanos() / 1_000;
	}

}
