package dev.cpdoctor.troubleshoot;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cpdoctor.analysis.audit.UserAgentLabel;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.ApfSubject;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

/**
 * One examined client's LIST/PUT traffic (cause 3): its LIST and PUT requests, their
 * share of the top clients', the highest P99 of them, and the throttle written for it.
 */
record ExaminedClient(String userAgent, long listPut, double share, Double p99Ms, List<String> verbs,
		List<String> resources) {

	boolean heavy() {
		return this.listPut >= ExcessiveListCheck.MIN_REQUESTS;
	}

	boolean bigShare() {
		return heavy() && this.share > ExcessiveListCheck.SHARE;
	}

	boolean slow() {
		return heavy() && this.p99Ms != null && this.p99Ms > ExcessiveListCheck.P99_MS;
	}

	/**
	 * kube-controller-manager's shape: the service account ends the user agent, after a
	 * slash.
	 */
	private static final Pattern SERVICE_ACCOUNT = Pattern
		.compile("/system:serviceaccount:([a-z0-9][-a-z0-9]{0,61}[a-z0-9]?):([a-z0-9][-a-z0-9.]{0,251}[a-z0-9]?)$");

	/** The LIST/PUT traffic of the first examined clients, the heaviest first. */
	static List<ExaminedClient> of(List<UserAgentRequests> top,
			Map<String, SourceResult<List<VerbResourceLatency>>> perClient) {
		record Traffic(String userAgent, long listPut, Double p99, List<String> verbs, List<String> resources) {
		}
		List<Traffic> traffic = new ArrayList<>();
		for (UserAgentRequests client : top.stream().limit(ExcessiveListCheck.EXAMINED).toList()) {
			if (!(perClient.get(client.userAgent()) instanceof SourceResult.Ok<List<VerbResourceLatency>> ok)) {
				continue;
			}
			long listPut = 0;
			Double p99 = null;
			Set<String> verbs = new LinkedHashSet<>();
			Set<String> resources = new LinkedHashSet<>();
			for (VerbResourceLatency row : ok.value()) {
				if (row.verb() == null || !ExcessiveListCheck.LIST_PUT.contains(row.verb())) {
					continue;
				}
				listPut += row.requests();
				if (row.p99Ms() != null && (p99 == null || row.p99Ms() > p99)) {
					p99 = row.p99Ms();
				}
				verbs.add(row.verb());
				if (row.resource() != null && ExcessiveListCheck.RESOURCE.matcher(row.resource()).matches()) {
					resources.add(row.resource());
				}
			}
			if (listPut > 0) {
				traffic.add(new Traffic(client.userAgent(), listPut, p99, List.copyOf(verbs), List.copyOf(resources)));
			}
		}
		long total = traffic.stream().mapToLong(Traffic::listPut).sum();
		return traffic.stream()
			.map((t) -> new ExaminedClient(t.userAgent(), t.listPut(), (double) t.listPut() / total, t.p99(), t.verbs(),
					t.resources()))
			.sorted((a, b) -> Long.compare(b.listPut(), a.listPut()))
			.toList();
	}

	/**
	 * The throttle YAML when the user agent names a service account; else advice with the
	 * API link to fill in.
	 */
	static Remediation throttleFor(String cluster, ExaminedClient client,
			Function<ThrottleRequest, Remediation> throttle) {
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
			// throttle on a real one (precedence 850, before
			// kube-system-service-accounts) can hold the control plane back: no YAML
			// without a look at the audit log's user first.
			return new Remediation("Throttle the client whose user agent claims kube-system/" + subject.name()
					+ " only once the audit log's user.username confirms it (a client chooses its user agent, and"
					+ " throttling a kube-system controller can slow the control plane): then generate the FlowSchema at"
					+ " /api/v1/clusters/" + cluster + "/remediations/flowschema?serviceAccount=kube-system/"
					+ subject.name() + query, null);
		}
		String link = "/api/v1/clusters/" + cluster + "/remediations/flowschema?serviceAccount=<namespace>/<name>"
				+ query;
		String label = UserAgentLabel.of(client.userAgent());
		String name = (label.length() > 100) ? label.substring(0, 100) + "..." : label;
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

}
