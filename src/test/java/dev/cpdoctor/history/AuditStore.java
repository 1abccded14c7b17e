package dev.cpdoctor.history;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit rollups' writer and queries on one database, as the application wires them: a
 * new one is a restart (its caches empty).
 */
public record AuditStore(AuditRollupWriter writer, AuditRollupQueries queries) {

	public static AuditStore on(DataSource dataSource) {
		JdbcTemplate jdbc = new JdbcTemplate(dataSource);
		return new AuditStore(
				new AuditRollupWriter(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource))),
				new AuditRollupQueries(jdbc));
	}

}
