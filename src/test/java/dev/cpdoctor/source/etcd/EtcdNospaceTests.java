package dev.cpdoctor.source.etcd;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.maintenance.AlarmMember;
import io.etcd.jetcd.maintenance.AlarmType;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.util.unit.DataSize;

import dev.cpdoctor.analysis.etcd.CompactionAdvice;
import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMaintenance;
import dev.cpdoctor.analysis.etcd.EtcdMaintenanceAdvice;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.MaintenanceThresholds;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole story on a real etcd with a 16 MiB quota: a custom resource leaks in one
 * namespace until etcd raises NOSPACE; the source reports the alarm, the member sizes and
 * the leaking prefix and namespace first with the exact keys and bytes written; after the
 * test (never the product) deletes, compacts, defragments and disarms, fragmentation
 * shows and then goes away.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EtcdNospaceTests {

	private static final long QUOTA = 16L * 1024 * 1024;

	private static final String LEAK = "kyverno.io/ephemeralreports";

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain().quotaBytes(QUOTA);

	/**
	 * Small enough for a 16 MiB etcd: defrag under half in use and 1 MiB free; compaction
	 * above 10 revisions.
	 */
	private static final MaintenanceThresholds THRESHOLDS = new MaintenanceThresholds(0.5, 1024 * 1024, 10);

	private static final Cluster CLUSTER = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.none(), null,
			"configuration");

	private static Client writer;

	private static EtcdWrites writes;

	private static String nospaceError;

	private static JetcdEtcdDirectSource source;

	@BeforeAll
	static void fillUntilNospace() throws Exception {
		writer = Client.builder().endpoints(etcd.endpoint()).build();
		writes = new EtcdWrites(writer);
		for (String ns : List.of("acme", "shop", "kube-system")) {
			for (int i = 0; i < 30; i++) {
				writes.put("/registry/pods/" + ns + "/pod-" + i, 2000 + i * 20);
			}
		}
		for (int i = 0; i < 20; i++) {
			writes.put("/registry/configmaps/acme/cm-" + i, 1000);
			writes.put("/registry/configmaps/kube-system/cm-" + i, 1200);
		}
		for (int i = 0; i < 10; i++) {
			writes.put("/registry/services/specs/default/svc-" + i, 800);
			writes.put("/registry/services/endpoints/default/svc-" + i, 600);
		}
		for (int i = 0; i < 3; i++) {
			writes.put("/registry/minions/node-" + i, 4000);
		}
		writes.put("/registry/masterleases/10.0.0.1", 100);
		for (int i = 0; i < 10; i++) {
			writes.put("/registry/kyverno.io/ephemeralreports/quiet-ns/report-" + i, 3000);
		}
		writes.commit();
		// the leak: ephemeral reports in one namespace until etcd refuses
		try {
			for (int i = 0; i < 100_000; i++) {
				writes.put("/registry/kyverno.io/ephemeralreports/leaky-ns/report-" + i, 1000 + (i % 3000));
			}
			writes.commit();
		}
		catch (ExecutionException ex) {
			nospaceError = ex.getCause().getMessage();
		}
		EtcdProperties properties = EtcdProperties.defaults()
			.withScan(Duration.ofSeconds(5), 100, 1_000_000, DataSize.ofGigabytes(1));
		source = new JetcdEtcdDirectSource(Map.of(CLUSTER.name(), etcd.configuration()), properties, Clock.systemUTC());
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
		SourceResult<EtcdClusterStatus> result = source.status(CLUSTER);
		assertThat(result).isInstanceOf(SourceResult.Ok.class);
		return ((SourceResult.Ok<EtcdClusterStatus>) result).value();
	}

	@Test
	@Order(1)
	void etcdRefusedWritesWithNospace() {
		assertThat(nospaceError).contains("database space exceeded");
		assertThat(writes.keys(LEAK)).isGreaterThan(1000);
	}

	@Test
	@Order(2)
	void theStatusReportsTheNospaceAlarmOfTheMemberAndItsSize() {
		EtcdClusterStatus status = status();
		assertThat(status.unreachable()).isEmpty();
		assertThat(status.members()).hasSize(1);
		EtcdMemberStatus member = status.members().get(0);
		assertThat(member.endpoint()).isEqualTo(etcd.endpoint().toString());
		assertThat(member.leader()).isTrue();
		assertThat(member.version()).startsWith("3.");
		// etcd overshoots the quota by what was being written when it noticed: how far
		// depends on timing
		assertThat(member.dbSizeBytes()).isGreaterThan(QUOTA / 2).isLessThanOrEqualTo(2 * QUOTA);
		assertThat(member.dbSizeInUseBytes()).isPositive().isLessThanOrEqualTo(member.dbSizeBytes());
		assertThat(member.revision()).isPositive();
		assertThat(status.alarmsFailure()).isNull();
		assertThat(status.alarms()).containsExactly(new EtcdAlarm(member.memberId(), EtcdAlarm.Type.NOSPACE));
		assertThat(status.hasAlarm(EtcdAlarm.Type.NOSPACE)).isTrue();
		// the client port serves /metrics too
		assertThat(status.metricsFailures()).isEmpty();
		assertThat(status.quotaBackendBytes()).contains(QUOTA);
		assertThat(status.compactRevision()).contains(-1L);
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(status, THRESHOLDS);
		assertThat(advice.nospace()).isTrue();
		assertThat(advice.compaction().verdict()).isEqualTo(CompactionAdvice.Verdict.NEEDED);
		assertThat(advice.defragOrder()).hasSize(1);
	}

	@Test
	@Order(3)
	void theScanNamesTheLeakingPrefixAndNamespaceFirstWithExactCounts() {
		SourceResult<KeyspaceUsage> result = source.refreshKeyspace(CLUSTER);
		assertThat(result).isInstanceOf(SourceResult.Ok.class);
		KeyspaceUsage usage = ((SourceResult.Ok<KeyspaceUsage>) result).value();
		assertThat(usage.keys()).isEqualTo(writes.totalKeys());
		assertThat(usage.valueBytes()).isEqualTo(writes.totalBytes());
		// pages of 100; a namespace the pages are kept within ends with a partial page
		// (KeyspaceScanner.narrow)
		long full = (usage.keys() + 99) / 100;
		assertThat(usage.pages()).isBetween(full, full + full / 4);
		PrefixUsage first = usage.prefixes().get(0);
		assertThat(first.resourcePrefix()).isEqualTo(LEAK);
		assertThat(first.group()).isEqualTo("kyverno.io");
		assertThat(first.resource()).isEqualTo("ephemeralreports");
		assertThat(first.keyPrefix()).isEqualTo("/registry/kyverno.io/ephemeralreports/");
		assertThat(first.keys()).isEqualTo(writes.keys(LEAK));
		assertThat(first.valueBytes()).isEqualTo(writes.bytes(LEAK));
		assertThat(first.namespaces()).containsExactly(writes.namespace(LEAK, "leaky-ns"),
				writes.namespace(LEAK, "quiet-ns"));
		for (String prefix : writes.prefixes()) {
			PrefixUsage p = usage.prefix(prefix).orElseThrow();
			assertThat(p.keys()).as(prefix).isEqualTo(writes.keys(prefix));
			assertThat(p.valueBytes()).as(prefix).isEqualTo(writes.bytes(prefix));
		}
		assertThat(usage.prefix("minions").orElseThrow().resource()).isEqualTo("nodes");
		assertThat(usage.prefix("services/specs").orElseThrow().namespaces())
			.containsExactly(writes.namespace("services/specs", "default"));
		assertThat(usage.prefix("masterleases").orElseThrow().namespaces())
			.containsExactly(writes.namespace("masterleases", null));
	}

	@Test
	@Order(4)
	void fragmentationShowsAfterDeleteAndCompactionAndGoesAwayAfterDefrag() throws Exception {
		// the recovery, done by the test as an operator would; the product only reads
		writer.getKVClient()
			.delete(EtcdWrites.key("/registry/kyverno.io/ephemeralreports/leaky-ns/"),
					DeleteOption.builder().isPrefix(true).build())
			.get(30, TimeUnit.SECONDS);
		long revision = status().currentRevision().orElseThrow();
		writer.getKVClient()
			.compact(revision, CompactOption.builder().withCompactPhysical(true).build())
			.get(30, TimeUnit.SECONDS);

		EtcdClusterStatus compacted = status();
		EtcdMemberStatus member = compacted.members().get(0);
		assertThat(member.dbSizeInUseBytes()).isLessThan(member.dbSizeBytes() / 2);
		EtcdMaintenanceAdvice fragmented = EtcdMaintenance.advise(compacted, THRESHOLDS);
		assertThat(fragmented.members().get(0).fragmented()).isTrue();
		assertThat(fragmented.defragOrder()).extracting((m) -> m.endpoint())
			.containsExactly(etcd.endpoint().toString());
		assertThat(compacted.compactRevision()).contains(revision);
		assertThat(fragmented.compaction().verdict()).isEqualTo(CompactionAdvice.Verdict.NOT_NEEDED);

		ClientBuilder one = Client.builder().endpoints(etcd.endpoint());
		writer.getMaintenanceClient().defragmentMember(one.target()).get(60, TimeUnit.SECONDS);
		writer.getMaintenanceClient()
			.alarmDisarm(new AlarmMember(member.memberId(), AlarmType.NOSPACE))
			.get(30, TimeUnit.SECONDS);

		EtcdClusterStatus defragmented = status();
		assertThat(defragmented.alarms()).isEmpty();
		EtcdMemberStatus after = defragmented.members().get(0);
		assertThat(after.dbSizeBytes()).isLessThan(member.dbSizeBytes() / 2);
		EtcdMaintenanceAdvice advice = EtcdMaintenance.advise(defragmented, THRESHOLDS);
		assertThat(advice.members().get(0).fragmented()).isFalse();
		assertThat(advice.defragAdvised()).isFalse();
		assertThat(advice.nospace()).isFalse();
		// and etcd takes writes again
		writer.getKVClient()
			.put(EtcdWrites.key("/registry/configmaps/acme/after"), EtcdWrites.key("x"))
			.get(10, TimeUnit.SECONDS);
	}

	@Test
	@Order(5)
	void aScanAfterTheRecoveryCountsWhatIsLeft() {
		KeyspaceUsage usage = ((SourceResult.Ok<KeyspaceUsage>) source.refreshKeyspace(CLUSTER)).value();
		assertThat(usage.keys()).isEqualTo(writes.totalKeys() - writes.namespace(LEAK, "leaky-ns").keys()
				+ 1 /* the key written after */);
		assertThat(usage.prefix(LEAK).orElseThrow().namespaces()).containsExactly(writes.namespace(LEAK, "quiet-ns"));
	}

}
