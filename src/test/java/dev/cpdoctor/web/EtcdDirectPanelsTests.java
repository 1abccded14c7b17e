package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.analysis.etcd.EtcdAlarm;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.EtcdMemberStatus;
import dev.cpdoctor.analysis.etcd.EtcdServerMetrics;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.NamespaceUsage;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct-etcd panels, JSON and guide rules on a self-managed cluster whose etcd
 * answers with records a test chooses: the NOSPACE banner, hostile key names, a failing
 * etcd, a cluster without access. A web slice: the pages, the API, the security and the
 * diagnosis over fakes.
 */
class EtcdDirectPanelsTests extends AbstractWebSliceTests {

	static final String HOSTILE = "x.io/<img src=x onerror=alert(1)>\"'";

	static final long GIB = 1L << 30;

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** What the lab cluster's etcd answers; null means it fails. */
	FakeEtcd etcd;

	static EtcdClusterStatus nospace() {
		EtcdMemberStatus follower = new EtcdMemberStatus("https://10.0.0.1:2379", 0xa1, "3.5.16", 2 * GIB + 5,
				(long) (1.9 * GIB), false, 900, 3, 5_000, false, List.of("NOSPACE"));
		EtcdMemberStatus leader = new EtcdMemberStatus("https://10.0.0.2:2379", 0xb2, "3.5.16", 2 * GIB + 7,
				(long) (1.9 * GIB), true, 901, 3, 5_000, false, List.of("NOSPACE"));
		return new EtcdClusterStatus(List.of(leader, follower), List.of(),
				List.of(new EtcdAlarm(0xb2, EtcdAlarm.Type.NOSPACE)), null,
				List.of(new EtcdServerMetrics("https://10.0.0.2:2379", 2 * GIB, 2 * GIB + 7, (long) (1.9 * GIB), 5_000L,
						-1L)),
				List.of(), Instant.parse("2026-11-20T11:00:00Z"));
	}

	static KeyspaceUsage keyspace() {
		PrefixUsage leak = new PrefixUsage("reports.kyverno.io/ephemeralreports", "reports.kyverno.io",
				"ephemeralreports", 40_000, 1_500_000_000L, List.of(new NamespaceUsage("ci", 39_000, 1_450_000_000L),
						new NamespaceUsage("shop", 1_000, 50_000_000L)));
		PrefixUsage hostile = new PrefixUsage(HOSTILE, "x.io", "<img src=x onerror=alert(1)>\"'", 10, 900_000,
				List.of(new NamespaceUsage("<b>ns</b>", 10, 900_000)));
		PrefixUsage pods = new PrefixUsage("pods", "", "pods", 300, 800_000,
				List.of(new NamespaceUsage("shop", 300, 800_000)));
		return new KeyspaceUsage(4_999, 40_310, 1_501_700_000L, List.of(leak, hostile, pods), 81, 500,
				Instant.parse("2026-11-20T11:01:00Z"), Duration.ofSeconds(12));
	}

	@BeforeEach
	void healthy() {
		this.etcd = this.fakes.etcd;
		this.etcd.status.put("lab", SourceResult.ok(nospace()));
		this.etcd.keyspace.put("lab", SourceResult.ok(keyspace()));
	}

	private HttpResponse<String> post(String path, String origin) throws Exception {
		return (origin != null)
				? send(HttpMethod.POST, path, "", "Content-Type", "application/x-www-form-urlencoded", "Origin", origin)
				: send(HttpMethod.POST, path, "", "Content-Type", "application/x-www-form-urlencoded");
	}

	@Test
	void nospaceIsALoudBannerAndHostileKeyNamesRenderEscaped() throws Exception {
		HttpResponse<String> page = get("/etcd?cluster=lab&last=1h", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		String body = page.body();
		assertThat(body).contains("id=\"nospace-banner\"")
			.contains("The cluster is read-only")
			.contains("Deletes through the apiserver fail too");
		String direct = body.substring(body.indexOf("id=\"panel-direct\""), body.indexOf("id=\"panel-keyspace\""));
		// under NOSPACE every member is defragmented, the leader (first configured here)
		// last
		assertThat(direct).containsSubsequence("etcdctl compact 5000",
				"etcdctl --endpoints=https://10.0.0.1:2379 defrag", "etcdctl --endpoints=https://10.0.0.2:2379 defrag",
				"etcdctl alarm disarm");
		String keyspace = body.substring(body.indexOf("id=\"panel-keyspace\""), body.indexOf("id=\"panel-etcd\""));
		assertThat(keyspace).containsSubsequence("/registry/reports.kyverno.io/ephemeralreports/", "ci ",
				"/registry/x.io/&lt;img src=x onerror=alert(1)&gt;&quot;&#39;/", "&lt;b&gt;ns&lt;/b&gt;");
		assertThat(body).doesNotContain("<img src=x").doesNotContain("<b>ns</b>");
	}

	@Test
	void theOverviewLeadsWithTheSelectedClustersAlarm() throws Exception {
		HttpResponse<String> alarmed = get("/?cluster=lab&last=3h", "text/html");
		assertThat(alarmed.statusCode()).isEqualTo(200);
		assertThat(alarmed.body()).contains("id=\"overview-alarm\"")
			.contains("NOSPACE: etcd of <span>lab</span> is over its quota")
			.contains("href=\"/etcd?cluster=lab");
		EtcdClusterStatus quiet = nospace();
		this.etcd.status.put("lab", SourceResult.ok(new EtcdClusterStatus(quiet.members(), quiet.unreachable(),
				List.of(), null, quiet.metrics(), quiet.metricsFailures(), quiet.readAt())));
		HttpResponse<String> calm = get("/?cluster=lab&last=6h", "text/html");
		assertThat(calm.statusCode()).isEqualTo(200);
		assertThat(calm.body()).contains("id=\"panel-clusters\"").doesNotContain("overview-alarm");
		this.etcd.status.put("lab", SourceResult.failed("etcd did not answer"));
		assertThat(get("/?cluster=lab&last=12h", "text/html").statusCode()).isEqualTo(200);
	}

	@Test
	void aScanStillRunningIsSaidAboveTheScanBeforeIt() throws Exception {
		this.etcd.status.put("lab", SourceResult.ok(nospace()));
		this.etcd.keyspace.put("lab", new SourceResult.Ok<>(keyspace(), List
			.of("a keyspace scan started at 2026-11-23T03:00:00Z is still running <now>; shown: the scan before it")));
		HttpResponse<String> page = get("/etcd?cluster=lab&last=2h", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		String keyspace = page.body()
			.substring(page.body().indexOf("id=\"panel-keyspace\""), page.body().indexOf("id=\"panel-etcd\""));
		assertThat(keyspace).containsSubsequence("id=\"scan-facts\"",
				"a keyspace scan started at 2026-11-23T03:00:00Z is still running &lt;now&gt;; shown: the scan before it",
				"/registry/reports.kyverno.io/ephemeralreports/");
	}

	@Test
	void theJsonCarriesAlarmsAndMembersWithoutAnApiserverSampleAndPrefixesSortedByBytes() throws Exception {
		HttpResponse<String> response = get("/api/v1/clusters/lab/etcd", "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode etcd = JSON.readTree(response.body());
		assertThat(etcd.get("sampledAt").isNull()).isTrue();
		assertThat(etcd.get("alarms").get(0).get("type").asString()).isEqualTo("NOSPACE");
		assertThat(etcd.get("alarms").get(0).get("memberId").asString()).isEqualTo("b2");
		assertThat(etcd.get("members").get(0).get("isLeader").asBoolean()).isTrue();
		assertThat(etcd.get("members").get(0).get("dbSizeBytes").asLong()).isEqualTo(2 * GIB + 7);
		assertThat(etcd.get("members").get(1).get("isLeader").asBoolean()).isFalse();
		assertThat(etcd.has("etcdError")).isFalse();
		// without direct access and without a sample: 404 as before; the fields are
		// absent
		assertThat(get("/api/v1/clusters/bare/etcd", "application/json").statusCode()).isEqualTo(404);

		JsonNode prefixes = JSON
			.readTree(get("/api/v1/clusters/lab/etcd/prefixes?namespaces=true", "application/json").body());
		assertThat(prefixes.get(0).get("prefix").asString())
			.isEqualTo("/registry/reports.kyverno.io/ephemeralreports/");
		assertThat(prefixes.get(0).get("bytes").asLong()).isEqualTo(1_500_000_000L);
		assertThat(prefixes.get(0).get("keys").asLong()).isEqualTo(40_000);
		assertThat(prefixes.get(1).get("prefix").asString()).isEqualTo("/registry/" + HOSTILE + "/");
		assertThat(prefixes.get(1).get("namespaces").get(0).get("namespace").asString()).isEqualTo("<b>ns</b>");
		HttpResponse<String> bare = get("/api/v1/clusters/bare/etcd/prefixes", "application/json");
		assertThat(bare.statusCode()).isEqualTo(409);
		assertThat(bare.body()).contains("cpdoctor.clusters[].etcd.endpoints");
	}

	@Test
	void aFailingEtcdIsAnErrorOnItsPanelAndInTheJsonAndTheRestStays() throws Exception {
		this.etcd.status.put("lab", SourceResult.failed("etcd https://10.0.0.1:2379: UNAVAILABLE: connection refused"));
		this.etcd.keyspace.put("lab", SourceResult.failed("the keyspace scan failed: DEADLINE_EXCEEDED"));
		HttpResponse<String> page = get("/etcd?cluster=lab&last=2h", "text/html");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body())
			.contains("<p class=\"error\" id=\"etcd-direct-error\">etcd https://10.0.0.1:2379: UNAVAILABLE")
			.contains("<p class=\"error\" id=\"keyspace-error\">the keyspace scan failed: DEADLINE_EXCEEDED")
			.contains("id=\"panel-growth\"")
			.doesNotContain("nospace-banner");
		JsonNode etcd = JSON.readTree(get("/api/v1/clusters/lab/etcd", "application/json").body());
		assertThat(etcd.get("etcdError").asString()).contains("UNAVAILABLE");
		assertThat(etcd.get("cluster").asString()).isEqualTo("lab");
		assertThat(etcd.has("members")).isFalse();
		HttpResponse<String> prefixes = get("/api/v1/clusters/lab/etcd/prefixes", "application/json");
		assertThat(prefixes.statusCode()).isEqualTo(503);
		assertThat(prefixes.body()).contains("DEADLINE_EXCEEDED");
	}

	@Test
	void scanAgainIsAcceptedFromThisOriginOnlyAndTheApiRefreshFromScripts() throws Exception {
		int before = this.etcd.refreshes.get();
		HttpResponse<String> ours = post("/etcd/scan?cluster=lab", "http://127.0.0.1:" + port());
		assertThat(ours.statusCode()).isEqualTo(302);
		assertThat(ours.headers().firstValue("Location").orElseThrow()).contains("/etcd?cluster=lab")
			.endsWith("#panel-keyspace");
		assertThat(this.etcd.refreshes.get()).isEqualTo(before + 1);
		assertThat(post("/etcd/scan?cluster=lab", "https://evil.example").statusCode()).isEqualTo(403);
		assertThat(post("/etcd/scan?cluster=lab", null).statusCode()).isEqualTo(403);
		assertThat(this.etcd.refreshes.get()).isEqualTo(before + 1);
		HttpResponse<String> api = post("/api/v1/clusters/lab/etcd/prefixes/refresh", null);
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(JSON.readTree(api.body()).get(0).get("keys").asLong()).isEqualTo(40_000);
		assertThat(this.etcd.refreshes.get()).isEqualTo(before + 2);
	}

	@Test
	void causeTwoSaysNospaceFirstAndGivesTheLastResortForTheExactPrefixAndNamespace() throws Exception {
		JsonNode diagnosis = JSON.readTree(get("/api/v1/clusters/lab/diagnosis?symptom=high-latency&from="
				+ "2026-11-20T00:00:00Z&to=2026-11-20T12:00:00Z", "application/json")
			.body());
		JsonNode cause2 = diagnosis.get("causes").get(1);
		assertThat(cause2.get("id").asInt()).isEqualTo(2);
		assertThat(cause2.get("verdict").asString()).isEqualTo("LIKELY");
		assertThat(cause2.get("evidence").get(0).get("text").asString())
			.startsWith("etcd raised the NOSPACE alarm (member b2)");
		assertThat(cause2.get("evidence").toString())
			.contains("/registry/reports.kyverno.io/ephemeralreports/ holds 40,000 keys")
			.contains("The remedies act on namespace ci");
		JsonNode last = cause2.get("remedies").get(0);
		assertThat(last.get("summary").asString()).contains("Last resort").contains("in namespace ci");
		assertThat(last.get("text").asString())
			.contains("etcdctl del --prefix '/registry/reports.kyverno.io/ephemeralreports/ci/'")
			.contains("etcdctl snapshot save")
			.containsSubsequence("--endpoints=https://10.0.0.1:2379 defrag", "--endpoints=https://10.0.0.2:2379 defrag",
					"etcdctl alarm disarm");
		assertThat(last.get("warnings").toString()).contains("Take a snapshot first");
		assertThat(cause2.get("remedies").toString()).contains("/namespaces/ci/ephemeralreports")
			.doesNotContain("your-namespace");
		// one last resort only: the exact prefix's replaces the resource's
		assertThat(cause2.get("remedies").toString().split("etcdctl del --prefix", -1)).hasSize(2);
	}

}
