package dev.cpdoctor.history;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.cpdoctor.WiringRunners;
import dev.cpdoctor.cluster.StoredClusters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stores as the application wires them, on the migrated schema of an embedded
 * database: the etcd history is where the catalog finds clusters known only from stored
 * history.
 */
class HistoryConfigurationTests {

	private final ApplicationContextRunner runner = WiringRunners.stores();

	@Test
	void everyStoreIsOnTheMigratedSchema() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(EtcdHistory.class)
				.hasSingleBean(AuditRollupWriter.class)
				.hasSingleBean(AuditRollupQueries.class)
				.hasSingleBean(AuditRollupRetention.class)
				.hasSingleBean(OwnCallStore.class)
				.hasSingleBean(BufferedCallRecorder.class)
				.hasSingleBean(DemoAnchorStore.class)
				.hasSingleBean(HistoryRetention.class);
			assertThat(context.getBean(EtcdHistory.class).clusters()).isEmpty();
			assertThat(context.getBean(StoredClusters.class)).isSameAs(context.getBean(EtcdHistory.class));
		});
	}

}
