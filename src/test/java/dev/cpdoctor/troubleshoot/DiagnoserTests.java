package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.AuditSources;
import dev.cpdoctor.source.ClusterRoute;
import dev.cpdoctor.source.ClusterSources;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.web.DiagnosisJson;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gathering: failing, throwing and hanging sources become UNKNOWN with their reasons;
 * hostile data stays data.
 */
class DiagnoserTests {

	static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null, "test");

	static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-20T00:00:00Z"),
			Instant.parse("2026-11-20T12:00:00Z"));

	/**
	 * Time enough for every fake on a loaded machine; the slow-source test sets a short
	 * one.
	 */
	private SourceExecutor executor = new SourceExecutor(4, Duration.ofSeconds(10));

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	/**
	 * No audit source, no webhook source, no etcd history (it throws), a network source
	 * that throws.
	 */
	Diagnoser broken(AuditAnalytics audit) {
		return broken(audit, (cluster) -> {
			throw new AssertionError("the AKS guard is asked for AKS clusters only");
		});
	}

	Diagnoser broken(AuditAnalytics audit, AksGuardSource guard) {
		return broken(audit, guard, (cluster) -> {
			if (cluster.provider() != Provider.AKS) {
				throw new AssertionError("the managed cluster is asked for AKS clusters only");
			}
			return SourceResult.failed("no Azure resource id: set cpdoctor.clusters[].azure.resource-id to read it");
		});
	}

	Diagnoser broken(AuditAnalytics audit, AksGuardSource guard, AksManagedClusterSource managed) {
		ClusterSources sources = new ClusterSources(
				(audit != null) ? List.of(ClusterRoute.byName(Map.of("lab", AuditSources.of(audit)))) : List.of(),
				List.of(), List.of());
		NetworkEvidence throwing = (cluster, window) -> {
			throw new IllegalStateException("probe exploded");
		};
		return new Diagnoser(new DiagnosisSources(sources, sources, new EtcdHistoryFacts(null, sources), null, throwing,
				guard, managed, (cluster) -> Optional.empty(), (cluster) -> SourceResult.failed("no discovery"),
				(cluster) -> Optional.empty()), this.executor, new ClientManifests());
	}

	@Test
	void everyFailingSourceIsAnUnknownWithItsReason() {
		Diagnosis timeouts = broken(null).diagnose(LAB, SymptomTable.find("timeouts").orElseThrow(), WINDOW, null);
		assertThat(timeouts.causes()).extracting(CauseDiagnosis::id).containsExactly(1, 3, 2);
		assertThat(timeouts.causes()).extracting(CauseDiagnosis::verdict).containsOnly(Verdict.UNKNOWN);
		assertThat(timeouts.causes().get(0).evidence().get(0).text()).contains("IllegalStateException: probe exploded");
		assertThat(timeouts.causes().get(1).evidence())
			.anyMatch((e) -> e.text().contains("No audit source is configured"));
		assertThat(timeouts.causes().get(2).evidence())
			.anyMatch((e) -> e.text().contains("Could not read etcd history"));
		Diagnosis webhooks = broken(null).diagnose(LAB, SymptomTable.find("webhook-failures").orElseThrow(), WINDOW,
				null);
		assertThat(webhooks.causes()).singleElement().satisfies((c) -> {
			assertThat(c.verdict()).isEqualTo(Verdict.UNKNOWN);
			assertThat(c.evidence()).anyMatch((e) -> e.text().contains("are not read yet"));
		});
	}

	@Test
	void aSourceThatDoesNotAnswerInTimeIsUnknown() {
		AuditAnalytics slow = new FakeAudit(List.of()) {
			@Override
			public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
				try {
					Thread.sleep(5_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return SourceResult.ok(List.of());
			}
		};
		this.executor.shutdownNow();
		this.executor = new SourceExecutor(4, Duration.ofMillis(500));
		Diagnosis latency = broken(slow).diagnose(LAB, SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		CauseDiagnosis calls = latency.causes().get(0);
		assertThat(calls.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(calls.evidence()).anyMatch((e) -> e.text().contains("No answer within"));
	}

	@Test
	void hostileUserAgentsNeverBreakTheJson() throws Exception {
		String hostile = "</script><img src=x onerror=alert(1)>\"},{\"id\":9 \\ \u0000\n";
		Diagnosis latency = broken(new FakeAudit(List.of(new UserAgentRequests(hostile, 5_000)))).diagnose(LAB,
				SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		assertThat(latency.causes().get(0).verdict()).isEqualTo(Verdict.LIKELY);
		JsonMapper json = JsonMapper.builder().build();
		JsonNode tree = json.readTree(json.writeValueAsString(DiagnosisJson.of(latency)));
		assertThat(tree.get("causes").size()).isEqualTo(2);
		assertThat(tree.get("causes").get(0).get("id").asInt()).isEqualTo(3);
		JsonNode evidence = tree.get("causes").get(0).get("evidence");
		boolean named = false;
		for (JsonNode e : evidence) {
			named |= e.get("text").asString().startsWith("</script><img src=x onerror=alert(1)>\"},{\"id\":9 \\ ??");
		}
		assertThat(named).as(evidence.toString()).isTrue();
		assertThat(tree.get("causes").get(0).get("remedies").get(0).get("kind").asString()).isEqualTo("ADVICE");
	}

	@Test
	void anAksClusterGetsTheGuardFlowSchemaAndTheTierHint() {
		Cluster aks = new Cluster("aks", Provider.AKS, KubeAccess.context("aks", null), null, "test");
		Diagnosis latency = broken(new FakeAudit(List.of()),
				(cluster) -> SourceResult.ok(new AksGuardSource.Guard(true, 300, "aks-managed-apiserver-guard",
						"flowcontrol.apiserver.k8s.io/v1")))
			.diagnose(aks, SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		CauseDiagnosis calls = latency.causes().get(0);
		assertThat(calls.id()).isEqualTo(3);
		assertThat(calls.verdict()).isEqualTo(Verdict.POSSIBLE);
		assertThat(calls.evidence().get(0).text())
			.startsWith("AKS is already throttling: FlowSchema aks-managed-apiserver-guard");
		assertThat(calls.evidence()).anyMatch((e) -> e.text().startsWith("AKS SKU tier unknown (no Azure resource id"));
		Diagnosis failing = broken(new FakeAudit(List.of()), (cluster) -> {
			throw new IllegalStateException("guard exploded");
		}).diagnose(aks, SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		assertThat(failing.causes().get(0).evidence())
			.anyMatch((e) -> e.text().contains("is unknown") && e.text().contains("guard exploded"));
	}

	@Test
	void anAksClusterOnTheFreeTierGetsTheAssertedHintWithoutAHigherVerdict() {
		Cluster aks = new Cluster("aks", Provider.AKS, KubeAccess.context("aks", null), null, "test");
		Diagnosis latency = broken(new FakeAudit(List.of()),
				(cluster) -> SourceResult.ok(AksGuardSource.Guard.absent("flowcontrol.apiserver.k8s.io/v1")),
				(cluster) -> SourceResult.ok(new AksManagedCluster("Free", "1.30", "1.30.5", "Succeeded", "Running")))
			.diagnose(aks, SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		CauseDiagnosis calls = latency.causes().get(0);
		// No audit rows and no APF answer: UNKNOWN, and the Free tier alone raises
		// nothing.
		assertThat(calls.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(calls.evidence()).anyMatch((e) -> e.text().startsWith("AKS SKU tier Free (Azure Resource Manager)"));
		assertThat(calls.remedies()).anyMatch((r) -> r.summary().startsWith("This cluster is on the Free tier"));
		Diagnosis throwing = broken(new FakeAudit(List.of()),
				(cluster) -> SourceResult.ok(AksGuardSource.Guard.absent("flowcontrol.apiserver.k8s.io/v1")),
				(cluster) -> {
					throw new IllegalStateException("arm exploded");
				})
			.diagnose(aks, SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		assertThat(throwing.causes().get(0).evidence())
			.anyMatch((e) -> e.text().startsWith("AKS SKU tier unknown") && e.text().contains("arm exploded"));
	}

	@Test
	void otherClustersGetNoAksEvidence() {
		Diagnosis latency = broken(new FakeAudit(List.of())).diagnose(LAB,
				SymptomTable.find("high-latency").orElseThrow(), WINDOW, null);
		assertThat(latency.causes().get(0).evidence()).noneMatch((e) -> e.source().equals("aks"));
	}

	/**
	 * Audit answers: the given top clients, each with 5,000 LIST pods at a P99 of 4 s.
	 */
	static class FakeAudit implements AuditAnalytics {

		private final List<UserAgentRequests> top;

		FakeAudit(List<UserAgentRequests> top) {
			this.top = top;
		}

		@Override
		public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
			return SourceResult.ok(this.top);
		}

		@Override
		public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin,
				int topN) {
			return SourceResult.ok(List.of());
		}

		@Override
		public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
				String userAgent) {
			return SourceResult.ok(List.of(new VerbResourceLatency("list", "pods", 4_000.0, 5_000)));
		}

	}

}
