package dev.cpdoctor.troubleshoot;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLatency;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.KubeAccess;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceExecutor;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.source.apiserver.ClientManifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The diagnosis of every symptom at once shares its facts: each question to a source is
 * asked once, however many symptoms' causes read it, and gives the same verdicts as
 * diagnosing each symptom alone.
 */
class DiagnoserFactsTests {

	static final Cluster LAB = new Cluster("lab", Provider.SELF_MANAGED, KubeAccess.context("lab", null), null, "test");

	static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-20T00:00:00Z"),
			Instant.parse("2026-11-20T12:00:00Z"));

	private final SourceExecutor executor = new SourceExecutor(4, Duration.ofSeconds(5));

	/** How often each question was asked. */
	private final Map<String, AtomicInteger> asked = new ConcurrentHashMap<>();

	@AfterEach
	void stop() {
		this.executor.shutdownNow();
	}

	@Test
	void everySymptomAtOnceAsksEachQuestionOnce() {
		List<Diagnosis> all = diagnoser().diagnoseAll(LAB, WINDOW, null);
		assertThat(all).extracting((d) -> d.symptom().id())
			.containsExactly("timeouts", "high-latency", "webhook-failures");
		// cause 3 is read by two symptoms, cause 2 by two: still one question each
		assertThat(this.asked).containsOnlyKeys("top", "p99 inventory", "p99 kubelet", "webhooks", "failed calls",
				"probes", "own calls");
		assertThat(this.asked.values()).allSatisfy((count) -> assertThat(count.get()).isEqualTo(1));
	}

	@Test
	void atOnceOrOneByOneTheVerdictsAreTheSame() {
		Diagnoser diagnoser = diagnoser();
		List<Diagnosis> all = diagnoser.diagnoseAll(LAB, WINDOW, null);
		for (Diagnosis together : all) {
			Diagnosis alone = diagnoser.diagnose(LAB, together.symptom(), WINDOW, null);
			assertThat(together.causes()).extracting(CauseDiagnosis::id, CauseDiagnosis::verdict)
				.isEqualTo(alone.causes().stream().map((c) -> tuple(c.id(), c.verdict())).toList());
		}
		assertThat(all.get(0).causes()).extracting(CauseDiagnosis::verdict)
			.containsExactly(Verdict.UNLIKELY, Verdict.LIKELY, Verdict.UNKNOWN);
	}

	@Test
	void aPageAndTheDiagnosisShareAFact() {
		Diagnoser diagnoser = diagnoser();
		Facts facts = diagnoser.facts(LAB, WINDOW);
		SourceResult<CallHistory> shown = facts.get(NetworkCheck.OWN_CALLS);
		diagnoser.diagnose(facts, SymptomTable.find("timeouts").orElseThrow(), null);
		assertThat(shown.ok()).isTrue();
		assertThat(this.asked.get("own calls").get()).isEqualTo(1);
	}

	/** A diagnoser on sources that answer at once and count every question asked. */
	private Diagnoser diagnoser() {
		EtcdHistoryFacts noHistory = new EtcdHistoryFacts(null, (cluster, window) -> SourceResult.failed("none"));
		DiagnosisSources sources = new DiagnosisSources(countedAudit(), countedWebhooks(), noHistory, null,
				countedNetwork(), (cluster) -> {
					throw new AssertionError("asked for AKS clusters only");
				}, (cluster) -> {
					throw new AssertionError("asked for AKS clusters only");
				}, (cluster) -> Optional.empty(), (cluster) -> SourceResult.ok(List.of("v1")),
				(cluster) -> Optional.empty());
		return new Diagnoser(sources, this.executor, new ClientManifests());
	}

	/**
	 * Audit data where inventory floods with LISTs of pods and kubelet updates leases.
	 */
	private AuditAnalytics countedAudit() {
		return new AuditAnalytics() {

			@Override
			public SourceResult<List<UserAgentRequests>> topUserAgents(Cluster cluster, TimeWindow window, int limit) {
				count("top");
				return SourceResult
					.ok(List.of(new UserAgentRequests("inventory", 9_000), new UserAgentRequests("kubelet", 1_000)));
			}

			@Override
			public SourceResult<List<UserAgentLatency>> latency(Cluster cluster, TimeWindow window, Duration bin,
					int topN) {
				count("latency");
				return SourceResult.ok(List.of());
			}

			@Override
			public SourceResult<List<VerbResourceLatency>> p99ByVerbAndResource(Cluster cluster, TimeWindow window,
					String userAgent) {
				count("p99 " + userAgent);
				return SourceResult
					.ok(userAgent.equals("inventory") ? List.of(new VerbResourceLatency("list", "pods", 4_000.0, 9_000))
							: List.of(new VerbResourceLatency("update", "leases", 20.0, 1_000)));
			}

		};
	}

	/** No webhooks and no failed calls. */
	private WebhookSource countedWebhooks() {
		return new WebhookSource() {

			@Override
			public SourceResult<List<AdmissionWebhook>> webhooks(Cluster cluster) {
				count("webhooks");
				return SourceResult.ok(List.of());
			}

			@Override
			public SourceResult<List<WebhookCallFailure>> failedCalls(Cluster cluster) {
				count("failed calls");
				return SourceResult.ok(List.of());
			}

		};
	}

	/** Both probes passing and no calls of its own. */
	private NetworkEvidence countedNetwork() {
		return new NetworkEvidence() {

			@Override
			public SourceResult<Probes> probes(Cluster cluster, TimeWindow window) {
				count("probes");
				return SourceResult.ok(new Probes(2, 0, List.of()));
			}

			@Override
			public SourceResult<CallHistory> calls(Cluster cluster, TimeWindow window) {
				count("own calls");
				return SourceResult.ok(CallHistory.of(window, List.of(), false));
			}

		};
	}

	private void count(String question) {
		this.asked.computeIfAbsent(question, (q) -> new AtomicInteger()).incrementAndGet();
	}

}
