package dev.cpdoctor.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdGrowth;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.EtcdUsage;
import dev.cpdoctor.analysis.webhook.AdmissionWebhook;
import dev.cpdoctor.analysis.webhook.WebhookCallFailure;
import dev.cpdoctor.analysis.network.AksClusterId;
import dev.cpdoctor.analysis.network.CallHistory;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.AksGuardSource;
import dev.cpdoctor.source.AksManagedCluster;
import dev.cpdoctor.source.AksManagedClusterSource;
import dev.cpdoctor.source.AuditAnalytics;
import dev.cpdoctor.source.FlowcontrolVersions;
import dev.cpdoctor.source.NetworkEvidence;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.source.WebhookSource;
import dev.cpdoctor.source.apiserver.ClientManifests;
import dev.cpdoctor.troubleshoot.Cause;
import dev.cpdoctor.troubleshoot.CauseDiagnosis;
import dev.cpdoctor.troubleshoot.Diagnosis;
import dev.cpdoctor.troubleshoot.EtcdDirectFacts;
import dev.cpdoctor.troubleshoot.ExcessiveListCheck;
import dev.cpdoctor.troubleshoot.remedy.Manifests;
import dev.cpdoctor.troubleshoot.FlowcontrolVersionChoice;
import dev.cpdoctor.troubleshoot.NetworkCheck;
import dev.cpdoctor.troubleshoot.ObjectLeakCheck;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.Symptom;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;
import dev.cpdoctor.troubleshoot.WebhookDeadlockCheck;

/**
 * Gathers the evidence a symptom's causes need for one cluster and window, asking the
 * sources at the same time through the {@link PanelExecutor} (each question bounded by
 * its time limit, an unanswered one failing as a value), then hands the facts to the
 * checks of troubleshoot. Only the sources the symptom's causes need are asked. Never
 * throws for a source: its failure is a verdict of UNKNOWN with the reason as evidence.
 */
final class DiagnosisService {

	private static final Logger log = LoggerFactory.getLogger(DiagnosisService.class);

	private final AuditAnalytics audit;

	private final WebhookSource webhooks;

	private final EtcdPanels etcd;

	private final EtcdDirectPanels direct;

	private final PanelExecutor executor;

	private final FlowcontrolVersions flowcontrol;

	private final KnownKubernetesVersions versions;

	private final NetworkEvidence network;

	private final AksGuardSource aksGuard;

	private final AksManagedClusterSource managedClusters;

	private final Function<Cluster, Optional<AksClusterId>> aksIds;

	private final Manifests manifests = new ClientManifests();

	/**
	 * @param aksGuard the aks-managed-apiserver-guard FlowSchema, asked for AKS clusters
	 * only (cause 3)
	 * @param managedClusters the managed cluster resource from Azure (SKU tier), asked
	 * for AKS clusters only (cause 3)
	 * @param aksIds an AKS cluster's validated Azure identity
	 * (cpdoctor.clusters[].azure.resource-id)
	 */
	DiagnosisService(AuditAnalytics audit, WebhookSource webhooks, EtcdPanels etcd, EtcdDirectPanels direct,
			PanelExecutor executor, FlowcontrolVersions flowcontrol, KnownKubernetesVersions versions,
			NetworkEvidence network, AksGuardSource aksGuard, AksManagedClusterSource managedClusters,
			Function<Cluster, Optional<AksClusterId>> aksIds) {
		this.audit = audit;
		this.webhooks = webhooks;
		this.etcd = etcd;
		this.direct = direct;
		this.executor = executor;
		this.flowcontrol = flowcontrol;
		this.versions = versions;
		this.network = network;
		this.aksGuard = aksGuard;
		this.managedClusters = managedClusters;
		this.aksIds = aksIds;
	}

	/** What cause 2 reads: the newest sample, the size against the quota, the growth. */
	private record EtcdFacts(SourceResult<EtcdSample> sample, SourceResult<EtcdUsage> usage,
			SourceResult<EtcdGrowth> growth) {
	}

	Diagnosis diagnose(Cluster cluster, Symptom symptom, TimeWindow window) {
		return diagnose(cluster, symptom, window, (String) null);
	}

	/**
	 * The dashboard's own calls in the window, asked on the executor (cause 1's history;
	 * the page's chart).
	 */
	CompletableFuture<Panel<CallHistory>> ownCalls(Cluster cluster, TimeWindow window) {
		return ask(() -> Panel.of(this.network.calls(cluster, window)));
	}

	/**
	 * @param namespace the namespace cause 2's remedies act on (validated); null for a
	 * marked placeholder
	 */
	Diagnosis diagnose(Cluster cluster, Symptom symptom, TimeWindow window, String namespace) {
		return diagnose(cluster, symptom, window, namespace, null);
	}

	/**
	 * @param namespace the namespace cause 2's remedies act on (validated); null for a
	 * marked placeholder
	 * @param ownCalls the own calls already asked by {@link #ownCalls} (the page shows
	 * them too); null to ask them here when cause 1 needs them
	 */
	Diagnosis diagnose(Cluster cluster, Symptom symptom, TimeWindow window, String namespace,
			CompletableFuture<Panel<CallHistory>> ownCalls) {
		List<Integer> ids = symptom.causes().stream().map(Cause::number).toList();
		CompletableFuture<Panel<NetworkEvidence.Probes>> probes = ids.contains(1)
				? ask(() -> Panel.of(this.network.probes(cluster, window))) : null;
		CompletableFuture<Panel<CallHistory>> calls = !ids.contains(1) ? null
				: (ownCalls != null) ? ownCalls : ownCalls(cluster, window);
		CompletableFuture<Panel<EtcdFacts>> etcdFacts = ids.contains(2) ? ask(() -> {
			Panel<EtcdSample> latest = this.etcd.latest(cluster, window);
			return new Panel<>(new EtcdFacts(result(latest), result(this.etcd.usage(cluster, latest, window)),
					result(this.etcd.growth(cluster, window))), null, List.of());
		}) : null;
		boolean readsEtcd = ids.contains(2) && this.direct != null && this.direct.configured(cluster);
		CompletableFuture<Panel<EtcdClusterStatus>> etcdStatus = readsEtcd ? ask(() -> this.direct.status(cluster))
				: null;
		CompletableFuture<Panel<KeyspaceUsage>> keyspace = readsEtcd ? ask(() -> this.direct.keyspace(cluster)) : null;
		CompletableFuture<Panel<List<UserAgentRequests>>> top = ids.contains(3)
				? ask(() -> Panel.of(this.audit.topUserAgents(cluster, window, ExcessiveListCheck.EXAMINED))) : null;
		CompletableFuture<Panel<List<ApfRate>>> apf = ids.contains(3)
				? ask(() -> this.etcd.apfRejections(cluster, window)) : null;
		boolean aks = cluster.provider() == Provider.AKS;
		CompletableFuture<Panel<AksGuardSource.Guard>> guard = (aks && ids.contains(3))
				? ask(() -> Panel.of(this.aksGuard.guard(cluster))) : null;
		CompletableFuture<Panel<AksManagedCluster>> managed = (aks && ids.contains(3))
				? ask(() -> Panel.of(this.managedClusters.managedCluster(cluster))) : null;
		CompletableFuture<Panel<List<AdmissionWebhook>>> hooks = ids.contains(4)
				? ask(() -> Panel.of(this.webhooks.webhooks(cluster))) : null;
		CompletableFuture<Panel<List<WebhookCallFailure>>> failures = ids.contains(4)
				? ask(() -> Panel.of(this.webhooks.failedCalls(cluster))) : null;
		Map<String, CompletableFuture<Panel<List<VerbResourceLatency>>>> p99 = new LinkedHashMap<>();
		SourceResult<List<UserAgentRequests>> topClients = (top != null) ? result(top.join()) : null;
		if (topClients instanceof SourceResult.Ok<List<UserAgentRequests>> ok) {
			ok.value()
				.stream()
				.limit(ExcessiveListCheck.EXAMINED)
				.forEach((client) -> p99.putIfAbsent(client.userAgent(),
						ask(() -> Panel.of(this.audit.p99ByVerbAndResource(cluster, window, client.userAgent())))));
		}
		List<CauseDiagnosis> causes = new ArrayList<>();
		for (int id : ids) {
			causes.add(switch (id) {
				case 1 -> NetworkCheck.check(result(probes.join()), result(calls.join()));
				case 2 -> {
					Panel<EtcdFacts> facts = etcdFacts.join();
					EtcdDirectFacts direct = readsEtcd
							? new EtcdDirectFacts(result(etcdStatus.join()), result(keyspace.join()), window.to())
							: null;
					yield facts.ok()
							? ObjectLeakCheck.check(cluster.name(), facts.value().sample(), facts.value().usage(),
									facts.value().growth(), this.manifests, namespace, direct)
							: ObjectLeakCheck.check(cluster.name(), failed(facts), failed(facts), failed(facts),
									this.manifests, namespace, direct);
				}
				case 3 -> {
					Map<String, SourceResult<List<VerbResourceLatency>>> perClient = new LinkedHashMap<>();
					p99.forEach((agent, answer) -> perClient.put(agent, result(answer.join())));
					CauseDiagnosis excessive = ExcessiveListCheck.check(cluster.name(), window, topClients, perClient,
							result(apf.join()), (request) -> throttle(cluster, request));
					yield (guard != null) ? ExcessiveListCheck.onAks(excessive, result(guard.join()),
							result(managed.join()), this.aksIds.apply(cluster)) : excessive;
				}
				case 4 -> WebhookDeadlockCheck.check(result(hooks.join()), result(failures.join()));
				default -> throw new IllegalStateException("no check for cause " + id);
			});
		}
		return new Diagnosis(cluster.name(), symptom, window, causes);
	}

	/**
	 * The APF throttle in the flowcontrol version the cluster serves (discovery, cached;
	 * else its last known Kubernetes version); advice saying why when it serves none.
	 */
	private Remediation throttle(Cluster cluster, ThrottleRequest request) {
		FlowcontrolVersionChoice choice = FlowcontrolVersionChoice.of(this.flowcontrol.served(cluster),
				this.versions.of(cluster));
		if (choice instanceof FlowcontrolVersionChoice.Chosen chosen) {
			return chosen.remedy(cluster.name(), request).remediation(this.manifests);
		}
		return new Remediation("Throttle " + request.subject().describe() + " with API Priority and Fairness: not"
				+ " possible here, " + ((FlowcontrolVersionChoice.Unsupported) choice).reason(), null);
	}

	/**
	 * A question on the executor; one that throws anyway (a source breaking its promise)
	 * fails as a value with the exception's message, as ClusterSources does, never the
	 * whole diagnosis.
	 */
	private <T> CompletableFuture<Panel<T>> ask(Supplier<Panel<T>> question) {
		return this.executor.ask(() -> {
			try {
				return question.get();
			}
			catch (RuntimeException ex) {
				log.warn("Diagnosis source failed", ex);
				return Panel.failed("The source failed: " + ex.getClass().getSimpleName()
						+ ((ex.getMessage() != null) ? ": " + SourceResult.firstLine(ex.getMessage()) : ""));
			}
		});
	}

	private static <T> SourceResult<T> result(Panel<T> panel) {
		return panel.ok() ? new SourceResult.Ok<>(panel.value(), panel.warnings()) : SourceResult.failed(panel.error());
	}

	private static <T> SourceResult<T> failed(Panel<?> panel) {
		return SourceResult.failed(panel.error());
	}

}
