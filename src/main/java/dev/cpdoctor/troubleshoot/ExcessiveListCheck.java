package dev.cpdoctor.troubleshoot;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.regex.Pattern;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentLabel;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

/**
 * Cause 3, a client makes excessive LIST or PUT calls. The facts: the top
 * {@link #EXAMINED} (5) user agents by request count in the window, each one's requests
 * and P99 latency by verb and resource, and the requests API Priority and Fairness
 * rejected in the window.
 *
 * <p>
 * For each examined client: its LIST/PUT requests are its requests with verb {@code list}
 * or {@code update} (the audit verb of an HTTP PUT); its <em>share</em> is those over the
 * LIST/PUT requests of all examined clients (the tail of small clients is left out, so
 * shares are upper bounds: hence the latency condition); its <em>P99</em> is the highest
 * P99 of its LIST/PUT rows. A client <em>stands out</em> with at least
 * {@link #MIN_REQUESTS} (100) LIST/PUT requests, a share over {@link #SHARE} (30 %) and a
 * P99 over {@link #P99_MS} (1 s).
 * <ul>
 * <li>LIKELY when a client stands out, or APF rejected any request in the window;</li>
 * <li>POSSIBLE when a client with at least 100 LIST/PUT requests has a P99 over 1 s but a
 * share of 30 % or less (a big share of fast requests alone is ordinary traffic, e.g.
 * kubelets renewing their leases);</li>
 * <li>UNLIKELY when the audit data was read and none of the above holds;</li>
 * <li>UNKNOWN when the audit data could not be read and APF rejected nothing (or could
 * not say).</li>
 * </ul>
 * Remedies for the top offender: the APF throttle YAML when its user agent names a
 * service account (system:serviceaccount:ns:name, as kube-controller-manager's
 * controllers do); otherwise advice naming the client with the throttle API's link and
 * the parameters to fill in; and fixing the client.
 *
 * <p>
 * On AKS clusters {@link AksEvidence} adds what AKS itself says.
 */
public final class ExcessiveListCheck implements CauseCheck {

	/** The cause this class checks, as the symptom table lists it. */
	public static final Cause CAUSE = new Cause(3, "A client makes excessive LIST or PUT calls",
			"Top user agents, their latency over time, and P99 by verb and resource (Audit page)",
			List.of(new Remediation(
					"Fix the client: informers and watch, pagination with limit, resourceVersion=0 reads", null),
					new Remediation(
							"Throttle it with API Priority and Fairness: a FlowSchema for its service account bound"
									+ " to a PriorityLevelConfiguration with a small share and limitResponse Reject",
							null)));

	public static final int EXAMINED = 5;

	static final long MIN_REQUESTS = 100;

	static final double SHARE = 0.30;

	static final double P99_MS = 1000;

	static final Set<String> LIST_PUT = Set.of("list", "update");

	/** A resource's or object's name as the apiserver allows it (DNS-1123 label). */
	static final Pattern RESOURCE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	/**
	 * The examined clients' traffic: the top user agents and each one's P99 by verb and
	 * resource.
	 */
	public record Traffic(SourceResult<List<UserAgentRequests>> top,
			Map<String, SourceResult<List<VerbResourceLatency>>> perClient) {
	}

	/**
	 * The top clients, then the P99 of each of the first {@link #EXAMINED}, side by side.
	 */
	public static final Fact<Traffic> TRAFFIC = Fact.gathered("the top clients' traffic",
			(sources, cluster, window, executor) -> executor
				.ask(() -> sources.audit().topUserAgents(cluster, window, EXAMINED))
				.thenCompose((top) -> {
					Map<String, CompletableFuture<SourceResult<List<VerbResourceLatency>>>> asked = new LinkedHashMap<>();
					if (top instanceof SourceResult.Ok<List<UserAgentRequests>> ok) {
						ok.value()
							.stream()
							.limit(EXAMINED)
							.forEach((client) -> asked.putIfAbsent(client.userAgent(), executor
								.ask(() -> sources.audit().p99ByVerbAndResource(cluster, window, client.userAgent()))));
					}
					return CompletableFuture.allOf(asked.values().toArray(CompletableFuture[]::new))
						.thenApply((all) -> {
							Map<String, SourceResult<List<VerbResourceLatency>>> perClient = new LinkedHashMap<>();
							asked.forEach((agent, answer) -> perClient.put(agent, answer.join()));
							return SourceResult.ok(new Traffic(top, perClient));
						});
				}));

	/** Requests API Priority and Fairness rejected in the window. */
	public static final Fact<List<ApfRate>> APF_REJECTIONS = Fact.asked("the APF rejections",
			(sources, cluster, window) -> sources.etcd().apfRejections(cluster, window));

	/**
	 * The flowcontrol versions the cluster serves: asked only when a throttle is written.
	 */
	public static final Fact<List<String>> FLOWCONTROL = Fact.asked("the flowcontrol versions served",
			(sources, cluster, window) -> sources.flowcontrol().served(cluster));

	/**
	 * The cluster's Kubernetes version as last seen: asked only when a throttle is
	 * written.
	 */
	public static final Fact<Optional<KubernetesVersion>> KNOWN_VERSION = Fact.asked("the Kubernetes version",
			(sources, cluster, window) -> SourceResult.ok(sources.versions().of(cluster)));

	@Override
	public Cause cause() {
		return CAUSE;
	}

	@Override
	public Set<Fact<?>> needs(Cluster cluster) {
		Set<Fact<?>> needs = new LinkedHashSet<>(List.of(TRAFFIC, APF_REJECTIONS));
		if (cluster.provider() == Provider.AKS) {
			needs.addAll(AksEvidence.FACTS);
		}
		return needs;
	}

	@Override
	public CauseDiagnosis diagnose(Examination exam) {
		SourceResult<Traffic> traffic = exam.get(TRAFFIC);
		CauseDiagnosis base = check(exam.cluster().name(), exam.window(),
				traffic.ok() ? traffic.value().top() : SourceResult.failed(traffic.error()),
				traffic.ok() ? traffic.value().perClient() : Map.of(), exam.get(APF_REJECTIONS),
				(request) -> FlowcontrolVersionChoice
					.of(exam.get(FLOWCONTROL), Optional.ofNullable(exam.get(KNOWN_VERSION).value()).flatMap((v) -> v))
					.throttle(exam.cluster().name(), request, exam.manifests()));
		return (exam.cluster().provider() == Provider.AKS) ? AksEvidence.onAks(base, exam) : base;
	}

	/**
	 * @param cluster the cluster's name, for links and manifests
	 * @param window the window the facts are about
	 * @param top the top user agents by request count
	 * @param perClient P99 by verb and resource of the examined clients (the first
	 * {@link #EXAMINED} of top)
	 * @param apf the APF rejections in the window
	 * @param throttle writes the APF throttle for a request in the cluster's flowcontrol
	 * version
	 */
	public static CauseDiagnosis check(String cluster, TimeWindow window, SourceResult<List<UserAgentRequests>> top,
			Map<String, SourceResult<List<VerbResourceLatency>>> perClient, SourceResult<List<ApfRate>> apf,
			Function<ThrottleRequest, Remediation> throttle) {
		List<Evidence> evidence = new ArrayList<>();
		double rejected = apfEvidence(apf, evidence);
		List<ExaminedClient> clients = (top instanceof SourceResult.Ok<List<UserAgentRequests>> ok)
				? auditEvidence(ok.value(), perClient, evidence) : List.of();
		if (!(top instanceof SourceResult.Ok)) {
			evidence.add(Evidence.of("audit", "Audit data unknown: " + ObjectLeakCheck.reason(top)));
		}
		ExaminedClient offender = clients.stream()
			.filter((c) -> c.bigShare() && c.slow())
			.findFirst()
			.orElseGet(() -> clients.stream().filter(ExaminedClient::slow).findFirst().orElse(null));
		for (ExaminedClient c : clients) {
			evidence.add(new Evidence(
					String.format(Locale.ROOT, "%s: %d LIST/PUT requests, %.0f %% of the top clients' LIST/PUT, P99 %s",
							UserAgentLabel.of(c.userAgent()), c.listPut(), c.share() * 100,
							(c.p99Ms() != null) ? String.format(Locale.ROOT, "%.0f ms", c.p99Ms()) : "unknown"),
					"audit", c.share(), p99Link(cluster, window, c.userAgent())));
		}
		Verdict verdict;
		if ((offender != null && offender.bigShare() && offender.slow()) || rejected > 0) {
			verdict = Verdict.LIKELY;
		}
		else if (offender != null) {
			verdict = Verdict.POSSIBLE;
		}
		else {
			verdict = (top instanceof SourceResult.Ok) ? Verdict.UNLIKELY : Verdict.UNKNOWN;
		}
		List<Remediation> remedies = new ArrayList<>();
		if (offender != null && (verdict == Verdict.LIKELY || verdict == Verdict.POSSIBLE)) {
			remedies.add(ExaminedClient.throttleFor(cluster, offender, throttle));
		}
		remedies.addAll(CAUSE.remediations());
		return CauseDiagnosis.of(CAUSE, verdict, evidence, remedies);
	}

	/** Each rejecting flow schema's requests; how many were rejected in all. */
	private static double apfEvidence(SourceResult<List<ApfRate>> apf, List<Evidence> evidence) {
		if (!(apf instanceof SourceResult.Ok<List<ApfRate>> ok)) {
			evidence.add(Evidence.of("apf", "APF rejections unknown: " + ObjectLeakCheck.reason(apf)));
			return 0;
		}
		double rejected = 0;
		for (ApfRate rate : ok.value()) {
			if (rate.rejected() > 0) {
				rejected += rate.rejected();
				evidence.add(new Evidence(String.format(Locale.ROOT,
						"APF rejected %.0f requests (%.2f/s) of flow schema %s, priority level %s (%s)",
						rate.rejected(), rate.perSecond(), rate.flowSchema(), rate.priorityLevel(), rate.reason()),
						"apf", rate.rejected(), null));
			}
		}
		if (rejected == 0) {
			evidence.add(Evidence.of("apf", "API Priority and Fairness rejected no request in the window", 0));
		}
		return rejected;
	}

	/** The examined clients' LIST/PUT traffic, and which of them could not be read. */
	private static List<ExaminedClient> auditEvidence(List<UserAgentRequests> top,
			Map<String, SourceResult<List<VerbResourceLatency>>> perClient, List<Evidence> evidence) {
		List<ExaminedClient> clients = ExaminedClient.of(top, perClient);
		if (clients.isEmpty()) {
			evidence.add(Evidence.of("audit", "No LIST or PUT request in the window's audit data"));
		}
		for (String userAgent : perClient.keySet()) {
			if (perClient.get(userAgent) instanceof SourceResult.Failed<?> failed) {
				evidence.add(Evidence.of("audit",
						"P99 of " + UserAgentLabel.of(userAgent) + " unknown: " + failed.reason()));
			}
		}
		return clients;
	}

	static String p99Link(String cluster, TimeWindow window, String userAgent) {
		return "/api/v1/clusters/" + cluster + "/audit/p99?userAgent="
				+ URLEncoder.encode(userAgent, StandardCharsets.UTF_8) + "&from=" + window.from() + "&to="
				+ window.to();
	}

}
