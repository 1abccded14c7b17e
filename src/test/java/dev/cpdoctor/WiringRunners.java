package dev.cpdoctor;

import java.time.Clock;
import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import dev.cpdoctor.cluster.ClusterConfiguration;
import dev.cpdoctor.cluster.StoredClusters;
import dev.cpdoctor.history.HistoryConfiguration;

/**
 * Starting points of the wiring tests ({@link ApplicationContextRunner}): an area's
 * configuration with what it needs of the areas below it, and nothing else; no server, no
 * component scan, no application.yaml. Each run is a context of its own.
 */
public final class WiringRunners {

	private WiringRunners() {
	}

	/**
	 * The clusters of the given properties (no kubeconfig context offered, none known
	 * from stored history) and the clock.
	 */
	public static ApplicationContextRunner clusters() {
		return base().withBean(StoredClusters.class, () -> List::of);
	}

	/**
	 * The clusters and the stores on an embedded database of its own (the migrated
	 * schema), as the application has them.
	 */
	public static ApplicationContextRunner stores() {
		return base().withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
				DataSourceTransactionManagerAutoConfiguration.class, TransactionAutoConfiguration.class,
				JdbcTemplateAutoConfiguration.class, JdbcClientAutoConfiguration.class, FlywayAutoConfiguration.class))
			.withUserConfiguration(HistoryConfiguration.class);
	}

	private static ApplicationContextRunner base() {
		return new ApplicationContextRunner().withBean(Clock.class, Clock::systemUTC)
			.withPropertyValues("cpdoctor.kubeconfig.offer-current-context=false")
			.withUserConfiguration(ClusterConfiguration.class);
	}

}
