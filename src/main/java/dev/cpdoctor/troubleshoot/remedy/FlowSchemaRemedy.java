package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import dev.cpdoctor.cluster.Cluster;
import dev.cpdoctor.support.Sha256;

/**
 * Cause 3's throttle, decided: a PriorityLevelConfiguration (Limited, a small share, no
 * borrowing, limitResponse Reject) and a FlowSchema sending the subject's requests to it,
 * both named after the subject, in the flowcontrol version chosen for the cluster.
 * Everything a manifest needs, and its leading comment; turning it into YAML is the
 * Kubernetes client's part (source.apiserver).
 *
 * @param cluster the cluster it is generated for (a valid cluster name)
 * @param request what to throttle
 * @param version the flowcontrol version to write
 * @param versionReason why that version (one printable line)
 */
public record FlowSchemaRemedy(String cluster, ThrottleRequest request, FlowcontrolVersion version,
		String versionReason) {

	/**
	 * Matched after the built-in schemas that must keep working whatever a client does
	 * (exempt 1, probes 2, leader election 100-200, nodes 400-500,
	 * kube-controller-manager and kube-scheduler 800), and before
	 * kube-system-service-accounts (900): a flooding DaemonSet in kube-system is a common
	 * case and would otherwise never reach this schema. Then service-accounts (9000),
	 * global-default (9900) and catch-all (10000) come after it.
	 */
	public static final int MATCHING_PRECEDENCE = 850;

	/** Prefix of the names of both objects. */
	public static final String NAME_PREFIX = "cpdoctor-throttle-";

	/**
	 * The apiserver's default seats (max-requests-inflight 400 +
	 * max-mutating-requests-inflight 200).
	 */
	static final int DEFAULT_SERVER_SEATS = 600;

	/**
	 * The built-in priority levels' shares: system 30, node-high 40, leader-election 10,
	 * workload-high 40, workload-low 100, global-default 20, catch-all 5.
	 */
	static final int BUILT_IN_SHARES = 245;

	private static final int MAX_NAME = 253;

	private static final int HASH_LENGTH = 8;

	public FlowSchemaRemedy {
		Cluster.requireValidName(cluster);
		Objects.requireNonNull(request, "request");
		Objects.requireNonNull(version, "version");
		versionReason = Printable.line(versionReason);
	}

	/**
	 * The throttle as a remedy a page can show with a copy button: the manifests, what a
	 * rejected client sees, and how to undo it.
	 */
	public Remediation remediation(Manifests manifests) {
		return Remediation.yaml(
				"Throttle " + subject().describe() + " with API Priority and Fairness (" + name() + ", "
						+ this.version.apiVersion() + ")",
				manifests.flowSchema(this),
				List.of("Rejected requests get HTTP 429: the client must retry with backoff, or its work fails.",
						"Undo: kubectl delete flowschema " + name() + "; kubectl delete prioritylevelconfiguration "
								+ name()));
	}

	/** The FlowSchema's and the PriorityLevelConfiguration's name. */
	public String name() {
		return objectName(this.request.subject());
	}

	public ApfSubject subject() {
		return this.request.subject();
	}

	public int matchingPrecedence() {
		return MATCHING_PRECEDENCE;
	}

	/**
	 * spec.limited.borrowingLimitPercent: 0, so the level cannot borrow the idle seats of
	 * other levels (since 1.26 a level may borrow without limit when this is absent, and
	 * a flooding client would take workload-low's); null where the version cannot say it.
	 */
	public Integer borrowingLimitPercent() {
		return this.version.hasBorrowingLimit() ? 0 : null;
	}

	/**
	 * ceil(600 x share / (245 + share)): the level's seats on an apiserver with default
	 * limits.
	 */
	public int seatsOnDefaultApiserver() {
		int shares = this.request.shares();
		return (int) Math.ceil((double) DEFAULT_SERVER_SEATS * shares / (BUILT_IN_SHARES + shares));
	}

	/**
	 * A DNS-1123 subdomain of at most 253 characters, the same for the same subject: the
	 * prefix, the subject in lower-case letters, digits and '-', and 8 hex digits of the
	 * subject's SHA-256 (so acme/a-b and acme-a/b, or Alice and alice, do not collide).
	 */
	static String objectName(ApfSubject subject) {
		String kind = switch (subject.kind()) {
			case SERVICE_ACCOUNT -> "sa";
			case USER -> "user";
			case GROUP -> "group";
		};
		String namespace = (subject.namespace() != null) ? subject.namespace() : "";
		String hash = Sha256.hex(subject.kind().apiName(), namespace, subject.name()).substring(0, HASH_LENGTH);
		String readable = slug(kind + "-" + namespace + "-" + subject.name());
		int room = MAX_NAME - NAME_PREFIX.length() - 1 - HASH_LENGTH;
		if (readable.length() > room) {
			readable = trimDashes(readable.substring(0, room));
		}
		return NAME_PREFIX + readable + "-" + hash;
	}

	private static String slug(String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		StringBuilder out = new StringBuilder(lower.length());
		for (int i = 0; i < lower.length(); i++) {
			char c = lower.charAt(i);
			boolean keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
			if (keep) {
				out.append(c);
			}
			else if (out.length() > 0 && out.charAt(out.length() - 1) != '-') {
				out.append('-');
			}
		}
		return trimDashes(out.toString());
	}

	private static String trimDashes(String text) {
		int end = text.length();
		while (end > 0 && text.charAt(end - 1) == '-') {
			end--;
		}
		return text.substring(0, end);
	}

	/**
	 * The lines of the manifest's leading comment, without the "# ": what it does, which
	 * apiVersion and why, and how to apply, check, watch and undo it. Only validated
	 * values and our own text go in, and each line is reduced to printable ASCII, so no
	 * line can end the comment.
	 */
	public List<String> comment() {
		String name = name();
		ThrottleRequest r = this.request;
		List<String> lines = new ArrayList<>();
		lines.add("API Priority and Fairness throttle for cluster " + this.cluster
				+ ", generated by Control Plane Doctor.");
		lines.add("Subject:   " + subject().describe());
		lines.add("Requests:  verbs " + String.join(",", r.verbs()) + "; resources " + String.join(",", r.resources())
				+ "; apiGroups " + groups(r.apiGroups()) + "; all namespaces and cluster-scoped");
		lines.add("Name:      " + name() + " (the FlowSchema and its PriorityLevelConfiguration)");
		lines.add("Limit:     " + r.shares() + " concurrency share" + ((r.shares() == 1) ? "" : "s") + ", about "
				+ seatsOnDefaultApiserver() + " concurrent requests on an apiserver with default limits"
				+ ((borrowingLimitPercent() != null) ? ", no seats borrowed" : "") + ";");
		lines.add(
				"           the rest is rejected at once with HTTP 429 (limitResponse Reject); clients retry with backoff.");
		lines.add("Matching:  precedence " + MATCHING_PRECEDENCE
				+ ", after the built-in schemas up to 800 (exempt, probes," + " leader election,");
		lines.add(
				"           nodes, kube-controller-manager, kube-scheduler), before kube-system-service-accounts (900).");
		lines.add("Version:   " + this.version.apiVersion() + " (" + this.version.concurrencySharesField() + "): "
				+ this.versionReason);
		if (!this.version.hasBorrowingLimit()) {
			lines.add("           v1beta2 has no borrowingLimitPercent on 1.23-1.25; on 1.26-1.28 this level may borrow"
					+ " idle seats of others: use v1beta3 there.");
		}
		lines.add("");
		lines.add("Apply:  kubectl apply -f flowschema.yaml");
		lines.add("Check:  kubectl get flowschema " + name + "   (MISSINGPL must be False)");
		lines.add("Watch:  rate(apiserver_flowcontrol_rejected_requests_total{flow_schema=\"" + name + "\"}[5m])");
		lines.add(
				"   or:  kubectl get --raw /metrics | grep 'apiserver_flowcontrol_rejected_requests_total{flow_schema=\""
						+ name + "\"'");
		lines.add("Undo:   kubectl delete flowschema " + name + "; kubectl delete prioritylevelconfiguration " + name);
		return lines.stream().map(Printable::line).toList();
	}

	private static String groups(List<String> apiGroups) {
		return String.join(",", apiGroups.stream().map((g) -> g.isEmpty() ? "\"\" (core)" : g).toList());
	}

}
