package dev.cpdoctor.source.demo;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMaintenance;
import dev.cpdoctor.analysis.etcd.EtcdMaintenanceAdvice;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's etcd read "directly" agrees with its apiserver history and tells the leak's
 * story.
 */
class DemoEtcdDirectSourceTests {

	private final DemoScenario scenario = new DemoScenario(42, Instant.parse("2026-11-20T12:00:00Z"));

	private final EtcdSample latest = this.scenario.etcdHistory().get(this.scenario.etcdHistory().size() - 1);

	@Test
	void theScanHoldsEveryObjectOfTheNewestSampleAndTheLeakInOneNamespace() {
		KeyspaceUsage keyspace = this.scenario.keyspace();
		long objects = this.latest.objects().stream().mapToLong(ObjectCount::count).sum();
		assertThat(keyspace.keys()).isEqualTo(objects + 3 + 2); // masterleases and ranges
																// besides the objects
		PrefixUsage first = keyspace.prefixes().get(0);
		assertThat(first.resourcePrefix()).isEqualTo(DemoScenario.LEAKING_GROUP + "/" + DemoScenario.LEAKING_RESOURCE);
		long reports = this.latest.objects()
			.stream()
			.filter((o) -> o.resource().equals(DemoScenario.LEAKING_RESOURCE))
			.findFirst()
			.orElseThrow()
			.count();
		assertThat(first.keys()).isEqualTo(reports);
		assertThat(first.namespaces().get(0).namespace()).isEqualTo(DemoScenario.LEAKING_NAMESPACE);
		assertThat(first.namespaces().get(0).valueBytes()).isGreaterThan(first.valueBytes() * 9 / 10);
		assertThat(keyspace.prefix("minions").orElseThrow().namespaces()).singleElement()
			.satisfies((n) -> assertThat(n.namespace()).isNull());
		assertThat(keyspace.prefix("services/specs")).isPresent();
	}

	@Test
	void theMembersMatchTheSampleNearTheQuotaWithoutAlarmAndTheAdviceDefragsNoOne() {
		EtcdClusterStatus status = this.scenario.etcdStatus();
		assertThat(status.members()).hasSize(3);
		assertThat(status.members().get(0).dbSizeBytes()).isEqualTo(this.latest.dbSizeBytes());
		assertThat(status.leader().orElseThrow().endpoint()).isEqualTo(status.members().get(1).endpoint());
		assertThat(status.alarms()).isEmpty();
		double used = (double) this.latest.dbSizeBytes() / status.quotaBackendBytes().orElseThrow();
		assertThat(used).isBetween(0.6, 1.0);
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(status, MaintenanceThresholds.defaults());
		assertThat(advice.defragAdvised()).isFalse();
		assertThat(advice.compaction().verdict().name()).isEqualTo("NOT_NEEDED");
	}

	@Test
	void onlyTheDemoIsItsAndAScanAgainFindsTheSame() {
		DemoEtcdDirectSource source = new DemoEtcdDirectSource(this.scenario);
		Cluster demo = new Cluster("demo", Provider.DEMO, KubeAccess.none(), null, "demo");
		Cluster lab = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.none(), null, "test");
		assertThat(source.configured(demo)).isTrue();
		assertThat(source.configured(lab)).isFalse();
		assertThat(source.status(lab)).isInstanceOf(SourceResult.Failed.class);
		assertThat(((SourceResult.Ok<KeyspaceUsage>) source.refreshKeyspace(demo)).value())
			.isEqualTo(((SourceResult.Ok<KeyspaceUsage>) source.keyspace(demo)).value());
		assertThat(List.of(source.status(demo))).singleElement().isInstanceOf(SourceResult.Ok.class);
	}

}
