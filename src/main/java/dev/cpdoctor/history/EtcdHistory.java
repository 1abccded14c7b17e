package dev.cpdoctor.history;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cpdoctor.cluster.StoredClusters;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.etcd.EtcdGrowth.SizePoint;
import dev.cpdoctor.analysis.etcd.ApfCounter;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.analysis.etcd.ObjectCount;

/** Stored etcd samples per cluster (table etcd_sample and etcd_object_count). */
public class EtcdHistory implements StoredClusters {

	private static final int BATCH = 500;

	private final JdbcClient jdbc;

	private final JdbcTemplate jdbcTemplate;

	private final TransactionTemplate transactions;

	public EtcdHistory(JdbcClient jdbc, JdbcTemplate jdbcTemplate, TransactionTemplate transactions) {
		this.jdbc = jdbc;
		this.jdbcTemplate = jdbcTemplate;
		this.transactions = transactions;
	}

	/**
	 * Stores samples in one transaction: all of them or none. A sample at an existing
	 * instant replaces it.
	 */
	public void save(String cluster, List<EtcdSample> samples) {
		this.transactions.executeWithoutResult((status) -> samples.forEach((sample) -> saveOne(cluster, sample)));
	}

	/**
	 * Stores everything one apiserver scrape (or uploaded dump) says at {@code at}: the
	 * etcd sample, the size per member, size estimates, APF rejection counters and
	 * request counters.
	 */
	public void saveScrape(String cluster, Instant at, ApiserverSnapshot snapshot) {
		this.transactions.executeWithoutResult((status) -> {
			long id = saveOne(cluster, snapshot.toEtcdSample(at));
			this.jdbcTemplate.batchUpdate(
					"insert into etcd_member_size (sample_id, member, db_size_bytes) values (?, ?, ?)",
					snapshot.members(), BATCH, (ps, m) -> {
						ps.setLong(1, id);
						ps.setString(2, truncate(m.member(), 512));
						setNullableLong(ps, 3, m.dbSizeBytes());
					});
			this.jdbcTemplate.batchUpdate(
					"update etcd_object_count set size_estimate_bytes = ?"
							+ " where sample_id = ? and api_group = ? and resource = ?",
					snapshot.sizeEstimates(), BATCH, (ps, e) -> {
						setNullableLong(ps, 1, e.bytes());
						ps.setLong(2, id);
						ps.setString(3, e.group());
						ps.setString(4, e.resource());
					});
			this.jdbcTemplate
				.batchUpdate("insert into apf_rejection (sample_id, flow_schema, priority_level, reason, total)"
						+ " values (?, ?, ?, ?, ?)", snapshot.apfRejections(), BATCH, (ps, r) -> {
							ps.setLong(1, id);
							ps.setString(2, truncate(r.flowSchema(), 253));
							ps.setString(3, truncate(r.priorityLevel(), 253));
							ps.setString(4, truncate(r.reason(), 64));
							ps.setDouble(5, r.total());
						});
			this.jdbcTemplate.batchUpdate("insert into request_count (sample_id, verb, resource, code_class, total)"
					+ " values (?, ?, ?, ?, ?)", snapshot.requests(), BATCH, (ps, r) -> {
						ps.setLong(1, id);
						ps.setString(2, truncate(r.verb(), 32));
						ps.setString(3, truncate(r.resource(), 512));
						ps.setInt(4, r.codeClass());
						ps.setDouble(5, r.total());
					});
		});
	}

	/** The DB size per etcd member at a sample instant. */
	public List<EtcdMember> members(String cluster, Instant at) {
		return this.jdbc
			.sql("select m.member, m.db_size_bytes from etcd_member_size m join etcd_sample s on s.id = m.sample_id"
					+ " where s.cluster = ? and s.sampled_at = ? order by m.member")
			.params(cluster, timestamp(at))
			.query((rs, n) -> new EtcdMember(rs.getString(1), rs.getObject(2, Long.class)))
			.list();
	}

	/**
	 * apiserver_resource_size_estimate_bytes per qualified resource at a sample instant;
	 * null values unknown.
	 */
	public Map<String, Long> sizeEstimates(String cluster, Instant at) {
		Map<String, Long> estimates = new HashMap<>();
		this.jdbc
			.sql("select o.api_group, o.resource, o.size_estimate_bytes from etcd_object_count o"
					+ " join etcd_sample s on s.id = o.sample_id where s.cluster = ? and s.sampled_at = ?"
					+ " and o.size_estimate_bytes is not null")
			.params(cluster, timestamp(at))
			.query((rs) -> {
				estimates.put(new ObjectCount(rs.getString(1), rs.getString(2), null).qualifiedName(), rs.getLong(3));
			});
		return estimates;
	}

	/**
	 * APF rejection rates over the window: from the counters of every sample in it and of
	 * the sample just before it (the baseline).
	 */
	public List<ApfRate> apfRates(String cluster, TimeWindow window) {
		Instant from = this.jdbc.sql("select max(sampled_at) from etcd_sample where cluster = ? and sampled_at < ?")
			.params(cluster, timestamp(window.from()))
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
			.optional()
			.map(OffsetDateTime::toInstant)
			.orElse(window.from());
		List<Instant> times = this.jdbc
			.sql("select sampled_at from etcd_sample where cluster = ? and sampled_at >= ? and sampled_at < ?")
			.params(cluster, timestamp(from), timestamp(window.to()))
			.query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
		List<ApfCounter> counters = this.jdbc
			.sql("select s.sampled_at, a.flow_schema, a.priority_level, a.reason, a.total from apf_rejection a"
					+ " join etcd_sample s on s.id = a.sample_id where s.cluster = ? and s.sampled_at >= ?"
					+ " and s.sampled_at < ? order by s.sampled_at")
			.params(cluster, timestamp(from), timestamp(window.to()))
			.query((rs, n) -> new ApfCounter(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
					rs.getString(3), rs.getString(4), rs.getDouble(5)))
			.list();
		return ApfRate.of(times, counters);
	}

	private long saveOne(String cluster, EtcdSample sample) {
		this.jdbc.sql("delete from etcd_sample where cluster = ? and sampled_at = ?")
			.params(cluster, timestamp(sample.at()))
			.update();
		KeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("insert into etcd_sample (cluster, sampled_at, size_metric, db_size_bytes) values (?, ?, ?, ?)")
			.param(1, cluster)
			.param(2, timestamp(sample.at()))
			.param(3, sample.sizeMetric(), Types.VARCHAR)
			.param(4, sample.dbSizeBytes(), Types.BIGINT)
			.update(keys, "id");
		long id = keys.getKey().longValue();
		this.jdbcTemplate.batchUpdate(
				"insert into etcd_object_count (sample_id, api_group, resource, object_count) values (?, ?, ?, ?)",
				sample.objects(), BATCH, (ps, object) -> {
					ps.setLong(1, id);
					ps.setString(2, truncate(object.group(), 253));
					ps.setString(3, truncate(object.resource(), 253));
					setNullableLong(ps, 4, object.count());
				});
		return id;
	}

	/**
	 * Label values come from the cluster: never let one overlong value fail a whole
	 * sample.
	 */
	private static String truncate(String text, int max) {
		return (text.length() <= max) ? text : text.substring(0, max);
	}

	/** The newest sample at or before {@code at}, with its object counts. */
	public Optional<EtcdSample> latestAtOrBefore(String cluster, Instant at) {
		return oneSample("sampled_at <= ? order by sampled_at desc", cluster, at);
	}

	/** The oldest sample at or after {@code at}, with its object counts. */
	public Optional<EtcdSample> earliestAtOrAfter(String cluster, Instant at) {
		return oneSample("sampled_at >= ? order by sampled_at asc", cluster, at);
	}

	private Optional<EtcdSample> oneSample(String condition, String cluster, Instant at) {
		record Row(long id, Instant at, String sizeMetric, Long dbSize) {
		}
		Optional<Row> row = this.jdbc
			.sql("select id, sampled_at, size_metric, db_size_bytes from etcd_sample where cluster = ? and " + condition
					+ " limit 1")
			.params(cluster, timestamp(at))
			.query((rs, n) -> new Row(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3),
					rs.getObject(4, Long.class)))
			.optional();
		return row.map((r) -> new EtcdSample(r.at(), r.sizeMetric(), r.dbSize(), objects(r.id())));
	}

	private List<ObjectCount> objects(long sampleId) {
		return this.jdbc
			.sql("select api_group, resource, object_count from etcd_object_count where sample_id = ?"
					+ " order by object_count desc nulls last, api_group, resource")
			.param(sampleId)
			.query((rs, n) -> new ObjectCount(rs.getString(1), rs.getString(2), rs.getObject(3, Long.class)))
			.list();
	}

	/** DB sizes in the window, oldest first; samples without a size are left out. */
	public List<SizePoint> sizes(String cluster, TimeWindow window) {
		return this.jdbc
			.sql("select sampled_at, db_size_bytes from etcd_sample where cluster = ? and sampled_at >= ?"
					+ " and sampled_at < ? and db_size_bytes is not null order by sampled_at")
			.params(cluster, timestamp(window.from()), timestamp(window.to()))
			.query((rs, n) -> new SizePoint(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2)))
			.list();
	}

	/** Deletes every sample of a cluster (and its object counts). */
	public void deleteAll(String cluster) {
		this.jdbc.sql("delete from etcd_object_count where sample_id in (select id from etcd_sample where cluster = ?)")
			.param(cluster)
			.update();
		this.jdbc.sql("delete from etcd_sample where cluster = ?").param(cluster).update();
	}

	public long count(String cluster) {
		return this.jdbc.sql("select count(*) from etcd_sample where cluster = ?")
			.param(cluster)
			.query(Long.class)
			.single();
	}

	/**
	 * Clusters with stored samples or imported audit logs, for clusters known only from
	 * history (offline uploads and imports).
	 */
	@Override
	public List<String> clusters() {
		return new ArrayList<>(
				this.jdbc.sql("select cluster from etcd_sample union select cluster from audit_import order by cluster")
					.query(String.class)
					.list());
	}

	static OffsetDateTime timestamp(Instant instant) {
		return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
	}

	private static void setNullableLong(PreparedStatement ps, int index, Long value) throws SQLException {
		if (value == null) {
			ps.setNull(index, Types.BIGINT);
		}
		else {
			ps.setLong(index, value);
		}
	}

}
