package dev.cpdoctor.troubleshoot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.analysis.audit.VerbResourceLatency;
import dev.cpdoctor.analysis.etcd.ApfRate;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.remedy.Remediation;
import dev.cpdoctor.troubleshoot.remedy.ThrottleRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ExcessiveListCheckTests {

	static final TimeWindow WINDOW = new TimeWindow(Instant.parse("2026-11-20T00:00:00Z"),
			Instant.parse("2026-11-20T12:00:00Z"));

	static final SourceResult<List<ApfRate>> NO_REJECTIONS = SourceResult.ok(List.of());

	/** Generated YAML stand-in: the summary names the subject, the text the request. */
	static Remediation throttle(ThrottleRequest request) {
		return Remediation.yaml("Throttle " + request.subject().describe(),
				"verbs: " + request.verbs() + " resources: " + request.resources() + "\n", List.of());
	}

	/**
	 * Two clients: "flooder" with LIST pods, "other" with PUT leases, each with its
	 * requests and P99.
	 */
	static CauseDiagnosis check(String flooder, long floodRequests, double floodP99, long otherRequests,
			SourceResult<List<ApfRate>> apf) {
		List<UserAgentRequests> top = List.of(new UserAgentRequests(flooder, floodRequests + 10),
				new UserAgentRequests("other", otherRequests + 10));
		Map<String, SourceResult<List<VerbResourceLatency>>> per = new LinkedHashMap<>();
		per.put(flooder, SourceResult.ok(List.of(new VerbResourceLatency("list", "pods", floodP99, floodRequests),
				new VerbResourceLatency("get", "nodes", 5_000.0, 10))));
		per.put("other", SourceResult.ok(List.of(new VerbResourceLatency("update", "leases", 20.0, otherRequests),
				new VerbResourceLatency("watch", "pods", null, 10))));
		return ExcessiveListCheck.check("demo", WINDOW, SourceResult.ok(top), per, apf,
				ExcessiveListCheckTests::throttle);
	}

	@Test
	void aClientOverThirtyPercentOfListPutWithP99OverOneSecondIsLikely() {
		assertThat(check("flooder", 301, 1001, 699, NO_REJECTIONS).verdict()).isEqualTo(Verdict.LIKELY);
		// exactly 30 %: only the latency stands out
		assertThat(check("flooder", 300, 1001, 700, NO_REJECTIONS).verdict()).isEqualTo(Verdict.POSSIBLE);
		// exactly 1 s: a big share of fast requests is ordinary traffic (kubelets
		// renewing leases)
		assertThat(check("flooder", 301, 1000, 699, NO_REJECTIONS).verdict()).isEqualTo(Verdict.UNLIKELY);
	}

	@Test
	void fewRequestsNeverStandOut() {
		// "other" has 50 % of LIST/PUT but only 99 requests; the flooder has 100 and a
		// slow P99
		assertThat(check("flooder", 99, 5000, 1, NO_REJECTIONS).verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(check("flooder", 100, 5000, 1, NO_REJECTIONS).verdict()).isEqualTo(Verdict.LIKELY);
	}

	/**
	 * Requests without a user agent are a client like any other: named "(no user agent)",
	 * linked to their own P99, throttled by name only after their identity is found.
	 */
	@Test
	void requestsWithoutAUserAgentAreNamedAndLinkedLikeAnyClient() {
		CauseDiagnosis likely = check("", 5000, 4000, 100, NO_REJECTIONS);
		assertThat(likely.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(likely.evidence()).anySatisfy((e) -> {
			assertThat(e.text()).startsWith("(no user agent): 5000 LIST/PUT requests");
			assertThat(e.link()).startsWith("/api/v1/clusters/demo/audit/p99?userAgent=&from=");
		});
		assertThat(likely.remedies().get(0).summary()).startsWith("Throttle (no user agent) with API Priority");
		assertThat(check("(no user agent)", 5000, 4000, 100, NO_REJECTIONS).evidence())
			.anySatisfy((e) -> assertThat(e.text()).startsWith("\"(no user agent)\": 5000 LIST/PUT requests"));
	}

	@Test
	void quietClientsAreUnlikely() {
		CauseDiagnosis quiet = check("flooder", 200, 1000, 800, NO_REJECTIONS);
		assertThat(quiet.verdict()).isEqualTo(Verdict.UNLIKELY);
		assertThat(quiet.evidence()).anyMatch((e) -> e.text().startsWith("flooder: 200 LIST/PUT requests, 20 %"));
	}

	@Test
	void anyApfRejectionIsLikely() {
		SourceResult<List<ApfRate>> one = SourceResult
			.ok(List.of(new ApfRate("cpdoctor-throttle-x", "x", "queue-full", 1, 0.01)));
		CauseDiagnosis rejected = check("flooder", 10, 10, 10, one);
		assertThat(rejected.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(rejected.evidence().get(0).text()).contains("APF rejected 1 requests")
			.contains("cpdoctor-throttle-x");
	}

	@Test
	void aServiceAccountUserAgentGetsTheThrottleYaml() {
		String agent = "argocd-application-controller/v2.12.3 (linux/amd64) kubernetes/6e5fc2a/system:serviceaccount:argocd:application-controller";
		CauseDiagnosis likely = check(agent, 5000, 4000, 100, NO_REJECTIONS);
		Remediation first = likely.remedies().get(0);
		assertThat(first.kind()).isEqualTo(Remediation.Kind.YAML);
		assertThat(first.summary()).isEqualTo("Throttle ServiceAccount argocd/application-controller");
		assertThat(first.text()).contains("verbs: [list]").contains("resources: [pods]");
		assertThat(first.warnings()).anyMatch((w) -> w.contains("read from the user agent"));
	}

	/**
	 * A client may claim a kube-system controller anywhere in its user agent: one in the
	 * middle is no subject at all, and one at the end gets advice to confirm it, never
	 * ready YAML.
	 */
	@Test
	void aClaimedKubeSystemServiceAccountGetsAdviceNotYaml() {
		String claimed = "kube-controller-manager/v1.30.4 (linux/amd64) kubernetes/6e5fc2a/system:serviceaccount:kube-system:coredns";
		Remediation atTheEnd = check(claimed, 5000, 4000, 100, NO_REJECTIONS).remedies().get(0);
		assertThat(atTheEnd.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(atTheEnd.summary()).contains("claims kube-system/coredns")
			.contains("user.username")
			.contains(
					"/api/v1/clusters/demo/remediations/flowschema?serviceAccount=kube-system/coredns&verbs=list&resources=pods");
		Remediation inTheMiddle = check("evil-scraper/1.0 system:serviceaccount:argocd:application-controller (x)",
				5000, 4000, 100, NO_REJECTIONS)
			.remedies()
			.get(0);
		assertThat(inTheMiddle.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(inTheMiddle.summary()).contains("names no service account");
	}

	@Test
	void anOtherUserAgentGetsAdviceWithTheThrottleLink() {
		CauseDiagnosis likely = check("inventory-controller/v2.3.0", 5000, 4000, 100, NO_REJECTIONS);
		Remediation first = likely.remedies().get(0);
		assertThat(first.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(first.summary()).contains("inventory-controller/v2.3.0")
			.contains(
					"/api/v1/clusters/demo/remediations/flowschema?serviceAccount=<namespace>/<name>&verbs=list&resources=pods");
	}

	@Test
	void hostileUserAgentsStayDataAndNeverBecomeASubject() throws Exception {
		String hostile = "<script>alert(\"x\")</script>\" system:serviceaccount:a\"b:c \n\u2028'";
		CauseDiagnosis likely = check(hostile, 5000, 4000, 100, NO_REJECTIONS);
		assertThat(likely.verdict()).isEqualTo(Verdict.LIKELY);
		assertThat(likely.remedies().get(0).kind()).isEqualTo(Remediation.Kind.ADVICE);
		JsonMapper json = JsonMapper.builder().build();
		String text = json.writeValueAsString(likely);
		assertThat(json.readTree(text).get("evidence").size()).isEqualTo(likely.evidence().size());
		assertThat(likely.evidence()).allMatch((e) -> e.text().chars().allMatch((c) -> c >= 0x20 && c <= 0x7e));
		assertThat(likely.evidence()).anyMatch((e) -> e.link() != null && e.link().contains("%3Cscript%3E"));
	}

	@Test
	void failedAuditGivesUnknownWithTheReason() {
		CauseDiagnosis unknown = ExcessiveListCheck.check("demo", WINDOW,
				SourceResult.failed("No audit source is" + " configured for cluster 'x'"), Map.of(),
				SourceResult.failed("no history"), ExcessiveListCheckTests::throttle);
		assertThat(unknown.verdict()).isEqualTo(Verdict.UNKNOWN);
		assertThat(unknown.evidence()).extracting(Evidence::text)
			.anyMatch((t) -> t.contains("No audit source is configured"))
			.anyMatch((t) -> t.contains("no history"));
	}

}
