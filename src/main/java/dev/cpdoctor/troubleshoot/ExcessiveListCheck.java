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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.cluster.Provider;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.ApfSubject;
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

	/**
	 * kube-controller-manager's shape: the service account ends the user agent, after a
	 * slash.
	 */
	private static final Pattern SERVICE_ACCOUNT = Pattern
		.compile("/system:serviceaccount:([a-z0-9][-a-z0-9]{0,61}[a-z0-9]?):([a-z0-9][-a-z0-9.]{0,251}[a-z0-9]?)$");

	/** A resource's or object's name as the apiserver allows it (DNS-1123 label). */
	static final Pattern RESOURCE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

	/** One examined client's LIST/PUT traffic. */
	record Client(String userAgent, long listPut, double share, Double p99Ms, List<String> verbs,
			List<String> resources) {

		boolean heavy() {
			return this.listPut >= MIN_REQUESTS;
		}

		boolean bigShare() {
			return heavy() && this.share > SHARE;
		}

		boolean slow() {
			return heavy() && this.p99Ms != null && this.p99Ms > P99_MS;
		}

	}

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
		double rejected = 0;
		if (apf instanceof SourceResult.Ok<List<ApfRate>> ok) {
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
		}
		else {
			evidence.add(Evidence.of("apf", "APF rejections unknown: " + ObjectLeakCheck.reason(apf)));
		}
		List<Client> clients = List.of();
		boolean auditRead = false;
		if (top instanceof SourceResult.Ok<List<UserAgentRequests>> ok) {
			auditRead = true;
			clients = clients(ok.value(), perClient);
			if (clients.isEmpty()) {
				evidence.add(Evidence.of("audit", "No LIST or PUT request in the window's audit data"));
			}
			for (String userAgent : perClient.keySet()) {
				if (perClient.get(userAgent) instanceof SourceResult.Failed<?> failed) {
					evidence.add(Evidence.of("audit", "P99 of " + userAgent + " unknown: " + failed.reason()));
				}
			}
		}
		else {
			evidence.add(Evidence.of("audit", "Audit data unknown: " + ObjectLeakCheck.reason(top)));
		}
		List<Client> examined = clients;
		Client offender = examined.stream()
			.filter((c) -> c.bigShare() && c.slow())
			.findFirst()
			.orElseGet(() -> examined.stream().filter(Client::slow).findFirst().orElse(null));
		for (Client c : clients) {
			evidence.add(new Evidence(
					String.format(Locale.ROOT,
							"%s: %d LIST/PUT requests, %.0f %% of the top clients'" + " LIST/PUT, P99 %s",
							c.userAgent(), c.listPut(), c.share() * 100,
							(c.p99Ms() != null) ? String.format(Locale.ROOT, "%.0f ms", c.p99Ms()) : "unknown"),
					"audit", c.share(), p99Link(cluster, window, c.userAgent())));
		}
		Verdict verdict;
		boolean standsOut = offender != null && offender.bigShare() && offender.slow();
		if (standsOut || rejected > 0) {
			verdict = Verdict.LIKELY;
		}
		else if (offender != null) {
			verdict = Verdict.POSSIBLE;
		}
		else if (auditRead) {
			verdict = Verdict.UNLIKELY;
		}
		else {
			verdict = Verdict.UNKNOWN;
		}
		List<Remediation> remedies = new ArrayList<>();
		if (offender != null && (verdict == Verdict.LIKELY || verdict == Verdict.POSSIBLE)) {
			remedies.add(throttleFor(cluster, offender, throttle));
		}
		remedies.addAll(CAUSE.remediations());
		return CauseDiagnosis.of(CAUSE, verdict, evidence, remedies);
	}

	static List<Client> clients(List<UserAgentRequests> top,
			Map<String, SourceResult<List<VerbResourceLatency>>> perClient) {
		record Traffic(String userAgent, long listPut, Double p99, List<String> verbs, List<String> resources) {
		}
		List<Traffic> traffic = new ArrayList<>();
		for (UserAgentRequests client : top.stream().limit(EXAMINED).toList()) {
			if (!(perClient.get(client.userAgent()) instanceof SourceResult.Ok<List<VerbResourceLatency>> ok)) {
				continue;
			}
			long listPut = 0;
			Double p99 = null;
			Set<String> verbs = new LinkedHashSet<>();
			Set<String> resources = new LinkedHashSet<>();
			for (VerbResourceLatency row : ok.value()) {
				if (row.verb() == null || !LIST_PUT.contains(row.verb())) {
					continue;
				}
				listPut += row.requests();
				if (row.p99Ms() != null && (p99 == null || row.p99Ms() > p99)) {
					p99 = row.p99Ms();
				}
				verbs.add(row.verb());
				if (row.resource() != null && RESOURCE.matcher(row.resource()).matches()) {
					resources.add(row.resource());
				}
			}
			if (listPut > 0) {
				traffic.add(new Traffic(client.userAgent(), listPut, p99, List.copyOf(verbs), List.copyOf(resources)));
			}
		}
		long total = traffic.stream().mapToLong(Traffic::listPut).sum();
		return traffic.stream()
			.map((t) -> new Client(t.userAgent(), t.listPut(), (double) t.listPut() / total, t.p99(), t.verbs(),
					t.resources()))
			.sorted((a, b) -> Long.compare(b.listPut(), a.listPut()))
			.toList();
	}

	/**
	 * The throttle YAML when the user agent names a service account; else advice with the
	 * API link to fill in.
	 */
	static Remediation throttleFor(String cluster, Client client, Function<ThrottleRequest, Remediation> throttle) {
		List<String> verbs = client.verbs();
		List<String> resources = client.resources().isEmpty() ? List.of("*")
				: client.resources().stream().limit(ThrottleRequest.MAX_ENTRIES).toList();
		ApfSubject subject = serviceAccountOf(client.userAgent());
		if (subject != null && !"kube-system".equals(subject.namespace())) {
			ThrottleRequest request = new ThrottleRequest(subject, verbs, List.of("*"), resources,
					ThrottleRequest.DEFAULT_SHARES);
			Remediation generated = throttle.apply(request);
			List<String> warnings = new ArrayList<>(generated.warnings());
			warnings.add("The service account " + subject.namespace() + "/" + subject.name() + " is read from the user"
					+ " agent, which the client chooses: check it against the audit log's user before applying.");
			return new Remediation(generated.summary(), generated.kind(), generated.text(), warnings);
		}
		String query = "&verbs=" + String.join(",", verbs) + "&resources=" + String.join(",", resources);
		if (subject != null) {
			// Any client can claim a kube-system controller in its user agent, and a
			// throttle on a
			// real one (precedence 850, before kube-system-service-accounts) can hold the
			// control
			// plane back: no YAML without a look at the audit log's user first.
			return new Remediation("Throttle the client whose user agent claims kube-system/" + subject.name()
					+ " only once the audit log's user.username confirms it (a client chooses its user agent, and"
					+ " throttling a kube-system controller can slow the control plane): then generate the FlowSchema at"
					+ " /api/v1/clusters/" + cluster + "/remediations/flowschema?serviceAccount=kube-system/"
					+ subject.name() + query, null);
		}
		String link = "/api/v1/clusters/" + cluster + "/remediations/flowschema?serviceAccount=<namespace>/<name>"
				+ query;
		String name = (client.userAgent().length() > 100) ? client.userAgent().substring(0, 100) + "..."
				: client.userAgent();
		return new Remediation("Throttle " + name + " with API Priority and Fairness: its user agent names"
				+ " no service account; find its identity (user.username in the audit log) and generate the FlowSchema at "
				+ link, null);
	}

	/**
	 * The service account a user agent names (kube-controller-manager's
	 * .../system:serviceaccount:ns:name); null when none.
	 */
	static ApfSubject serviceAccountOf(String userAgent) {
		Matcher matcher = SERVICE_ACCOUNT.matcher(userAgent);
		if (!matcher.find()) { // anchored at the end
			return null;
		}
		try {
			return new ApfSubject(ApfSubject.Kind.SERVICE_ACCOUNT, matcher.group(1), matcher.group(2));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	static String p99Link(String cluster, TimeWindow window, String userAgent) {
		return "/api/v1/clusters/" + cluster + "/audit/p99?userAgent="
				+ URLEncoder.encode(userAgent, StandardCharsets.UTF_8) + "&from=" + window.from() + "&to="
				+ window.to();
	}

}
