package dev.cpdoctor.history;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * The ids of the audit series (audit_series) the writer stores cells under, cached per
 * cluster: loaded on a cluster's first batch, and only ids of committed rows get in. Past
 * {@value #MAX_CACHED_SERIES} a cluster's cache is emptied and fills again from misses.
 * The one place that knows the cache.
 */
final class AuditSeriesIds {

	private static final int MAX_CACHED_SERIES = 200_000;

	private final JdbcTemplate jdbc;

	private final Map<String, ClusterSeries> byCluster = new ConcurrentHashMap<>();

	AuditSeriesIds(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** A cluster's series ids, loaded on first use. */
	ClusterSeries of(String cluster) {
		return this.byCluster.computeIfAbsent(cluster, this::load);
	}

	/** Forgets a cluster's ids: a commit reported as failed may have happened. */
	void forget(String cluster) {
		this.byCluster.remove(cluster);
	}

	private ClusterSeries load(String cluster) {
		ClusterSeries series = new ClusterSeries(cluster);
		Long count = this.jdbc.queryForObject("select count(*) from audit_series where cluster = ?", Long.class,
				cluster);
		if (count != null && count <= MAX_CACHED_SERIES) {
			this.jdbc.query("select id, user_agent, verb, resource, code_class from audit_series where cluster = ?",
					(RowCallbackHandler) (rs) -> series.ids.put(
							new AuditSeriesKey(rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5)),
							rs.getLong(1)),
					cluster);
		}
		return series;
	}

	/** One cluster's cached ids. */
	final class ClusterSeries {

		private final String cluster;

		private final Map<AuditSeriesKey, Long> ids = new ConcurrentHashMap<>();

		private ClusterSeries(String cluster) {
			this.cluster = cluster;
		}

		/**
		 * The id of a series: cached, or new in the batch being stored
		 * ({@code newSeries}), or looked up by hash and inserted when missing, then added
		 * to {@code newSeries}. Never assumed new: the database may hold the text
		 * otherwise than we do (PostgreSQL turns a lone surrogate into '?'), so a cache
		 * loaded from it can miss a series that exists.
		 */
		long idOf(AuditSeriesKey key, Map<AuditSeriesKey, Long> newSeries) {
			Long id = this.ids.get(key);
			if (id == null) {
				id = newSeries.get(key);
			}
			if (id == null) {
				id = findOrInsert(key);
				newSeries.put(key, id);
			}
			return id;
		}

		/** Ids of a committed batch's new series. */
		void learn(Map<AuditSeriesKey, Long> committed) {
			if (this.ids.size() + committed.size() > MAX_CACHED_SERIES) {
				this.ids.clear();
			}
			this.ids.putAll(committed);
		}

		private long findOrInsert(AuditSeriesKey key) {
			List<Long> found = AuditSeriesIds.this.jdbc.queryForList(
					"select id from audit_series where cluster = ? and key_hash = ?", Long.class, this.cluster,
					key.hash());
			return found.isEmpty() ? insert(key) : found.get(0);
		}

		private long insert(AuditSeriesKey key) {
			GeneratedKeyHolder id = new GeneratedKeyHolder();
			AuditSeriesIds.this.jdbc.update((connection) -> {
				PreparedStatement insert = connection.prepareStatement(
						"insert into audit_series (cluster, key_hash,"
								+ " user_agent, verb, resource, code_class) values (?, ?, ?, ?, ?, ?)",
						new String[] { "id" });
				insert.setString(1, this.cluster);
				insert.setString(2, key.hash());
				insert.setString(3, key.userAgent());
				insert.setString(4, key.verb());
				insert.setString(5, key.resource());
				insert.setInt(6, key.codeClass());
				return insert;
			}, id);
			return id.getKey().longValue();
		}

	}

}
