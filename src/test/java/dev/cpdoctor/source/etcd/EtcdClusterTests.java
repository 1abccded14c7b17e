package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMaintenance;
import dev.cpdoctor.analysis.etcd.EtcdMaintenanceAdvice;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.analysis.etcd.MemberFragmentation;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three members: each answers for itself, one leads, the scan reads one member, a stopped
 * member is a value.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdClusterTests {

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain().members(3);

	private static final Cluster CLUSTER = new Cluster("ha", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	private static Client writer;

	private static EtcdWrites writes;

	private static JetcdEtcdDirectSource source;

	@BeforeAll
	static void write() throws Exception {
		writer = Client.builder().endpoints(etcd.endpoints()).build();
		writes = new EtcdWrites(writer);
		for (int i = 0; i < 1200; i++) {
			writes.put("/registry/leases/kube-node-lease/node-" + i, 1500);
		}
		writes.commit();
		source = new JetcdEtcdDirectSource(Map.of(CLUSTER.name(), etcd.configuration()),
				EtcdProperties.defaults().withScan(Duration.ofSeconds(5), 100, 1_000_000, DataSize.ofGigabytes(1)),
				Clock.systemUTC());
	}

	@AfterAll
	static void close() {
		if (source != null) {
			source.close();
		}
		if (writer != null) {
			writer.close();
		}
	}

	private static EtcdClusterStatus status() {
		return ((SourceResult.Ok<EtcdClusterStatus>) source.status(CLUSTER)).value();
	}

	@Test
	@Order(1)
	void eachMemberAnswersForItselfAndOneLeads() {
		EtcdClusterStatus status = status();
		assertThat(status.unreachable()).isEmpty();
		assertThat(status.members()).extracting(EtcdMemberStatus::endpoint)
			.containsExactlyElementsOf(etcd.endpoints().stream().map(Object::toString).toList());
		assertThat(status.members()).extracting(EtcdMemberStatus::memberId).doesNotHaveDuplicates();
		assertThat(status.members()).filteredOn(EtcdMemberStatus::leader).hasSize(1);
		assertThat(status.metrics()).hasSize(3);
	}

	@Test
	@Order(2)
	void theScanCountsExactlyOnACluster() {
		KeyspaceUsage usage = ((SourceResult.Ok<KeyspaceUsage>) source.refreshKeyspace(CLUSTER)).value();
		assertThat(usage.keys()).isEqualTo(1200);
		assertThat(usage.valueBytes()).isEqualTo(writes.totalBytes());
		// 12 full pages of 100, and at most one more for each directory the pages were
		// kept within (KeyspaceScanner.narrow): /, /registry/, /registry/leases/,
		// /registry/leases/kube-node-lease/
		assertThat(usage.pages()).isBetween(12L, 16L);
	}

	@Test
	@Order(3)
	void defragGoesOneMemberAtATimeWithTheLeaderLast() throws Exception {
		writer.getKVClient()
			.delete(EtcdWrites.key("/registry/leases/"), DeleteOption.builder().isPrefix(true).build())
			.get(30, TimeUnit.SECONDS);
		long revision = status().currentRevision().orElseThrow();
		writer.getKVClient()
			.compact(revision, CompactOption.builder().withCompactPhysical(true).build())
			.get(30, TimeUnit.SECONDS);
		MaintenanceThresholds thresholds = new MaintenanceThresholds(0.5, 512 * 1024, 1_000_000);
		// followers compact on their own time: wait until every member shows it
		Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> EtcdMaintenance.advise(status(), thresholds).defragOrder().size() == 3);
		EtcdClusterStatus status = status();
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(status, thresholds);
		assertThat(advice.defragOrder()).hasSize(3);
		assertThat(advice.defragOrder()).extracting(MemberFragmentation::leader).containsExactly(false, false, true);
		assertThat(advice.defragOrder().get(2).endpoint()).isEqualTo(status.leader().orElseThrow().endpoint());
	}

	@Test
	@Order(4)
	void aStoppedMemberIsListedAndTheOthersStillAnswer() throws Exception {
		etcd.stop(2);
		EtcdClusterStatus status = status();
		assertThat(status.members()).hasSize(2);
		assertThat(status.unreachable()).singleElement()
			.satisfies((f) -> assertThat(f.endpoint()).isEqualTo(etcd.endpoints().get(2).toString()));
		assertThat(status.metricsFailures()).hasSize(1);
		assertThat(status.alarms()).isEmpty();
	}

}
