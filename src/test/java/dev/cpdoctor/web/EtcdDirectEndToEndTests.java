package dev.cpdoctor.web;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import io.etcd.jetcd.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.source.etcd.EtcdTestServer;
import dev.cpdoctor.source.etcd.EtcdWrites;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole application against a real etcd (16 MiB quota) filled by a leak of ephemeral
 * reports in one namespace until it raised NOSPACE, and no apiserver at all: the etcd
 * JSON, the prefixes, the etcd page and the guide's cause 2 all come from reading etcd
 * directly. Skipped without an etcd binary, failing under CI=true (the harness's rules).
 */
class EtcdDirectEndToEndTests {

	private static final long QUOTA = 16L * 1024 * 1024;

	private static final String LEAK = "reports.kyverno.io/ephemeralreports";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final EtcdTestServer etcd = EtcdTestServer.plain().quotaBytes(QUOTA);

	private static Client writer;

	private static EtcdWrites writes;

	private static String nospaceError;

	private static Path dataDir;

	private static TestApp app;

	/**
	 * An application of its own for the class: its one cluster reads the etcd started
	 * here, and the demo is off.
	 */
	@BeforeAll
	static void leakUntilNospaceThenStart() throws Exception {
		writer = Client.builder().endpoints(etcd.endpoint()).build();
		writes = new EtcdWrites(writer);
		for (int i = 0; i < 40; i++) {
			writes.put("/registry/pods/shop/pod-" + i, 3000);
			writes.put("/registry/configmaps/kube-system/cm-" + i, 1500);
		}
		for (int i = 0; i < 10; i++) {
			writes.put("/registry/" + LEAK + "/quiet-ns/report-" + i, 2000);
		}
		writes.commit();
		try {
			for (int i = 0; i < 100_000; i++) {
				writes.put("/registry/" + LEAK + "/leaky-ns/report-" + i, 1000 + (i % 3000));
			}
			writes.commit();
		}
		catch (ExecutionException ex) {
			nospaceError = ex.getCause().getMessage();
		}
		dataDir = Files.createTempDirectory("cpdoctor-e2e-");
		app = TestApp.start(Map.of("cpdoctor.data-dir", dataDir.toString(), "cpdoctor.clusters[0].name", "lab",
				"cpdoctor.clusters[0].provider", "self-managed", "cpdoctor.clusters[0].etcd.endpoints[0]",
				etcd.endpoint().toString(), "cpdoctor.demo.enabled", "false"));
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
		if (writer != null) {
			writer.close();
		}
	}

	@Test
	void theJsonThePrefixesThePageAndTheGuideAllShowTheLeakThatFilledEtcd() throws Exception {
		assertThat(nospaceError).contains("database space exceeded");

		HttpResponse<String> usage = app.get("/api/v1/clusters/lab/etcd", "Accept", "application/json");
		assertThat(usage.statusCode()).as(usage.body()).isEqualTo(200);
		JsonNode json = JSON.readTree(usage.body());
		assertThat(json.get("sampledAt").isNull()).as("no apiserver, so no sample").isTrue();
		assertThat(json.get("alarms").size()).isEqualTo(1);
		assertThat(json.get("alarms").get(0).get("type").asString()).isEqualTo("NOSPACE");
		JsonNode member = json.get("members").get(0);
		assertThat(json.get("members").size()).isEqualTo(1);
		assertThat(member.get("endpoint").asString()).isEqualTo(etcd.endpoint().toString());
		assertThat(member.get("isLeader").asBoolean()).isTrue();
		assertThat(member.get("dbSizeBytes").asLong()).isGreaterThan(QUOTA / 2);
		assertThat(member.get("dbSizeInUseBytes").asLong()).isPositive();
		assertThat(json.get("alarms").get(0).get("memberId").asString()).isEqualTo(member.get("memberId").asString());

		HttpResponse<String> scan = app.get("/api/v1/clusters/lab/etcd/prefixes?namespaces=true", "Accept",
				"application/json");
		assertThat(scan.statusCode()).as(scan.body()).isEqualTo(200);
		JsonNode prefixes = JSON.readTree(scan.body());
		JsonNode first = prefixes.get(0);
		assertThat(first.get("prefix").asString()).isEqualTo("/registry/" + LEAK + "/");
		assertThat(first.get("keys").asLong()).isEqualTo(writes.keys(LEAK)).isGreaterThan(1000);
		assertThat(first.get("bytes").asLong()).isEqualTo(writes.bytes(LEAK));
		assertThat(first.get("namespaces").get(0).get("namespace").asString()).isEqualTo("leaky-ns");
		assertThat(first.get("namespaces").get(0).get("keys").asLong())
			.isEqualTo(writes.namespace(LEAK, "leaky-ns").keys());
		assertThat(prefixes.get(1).get("bytes").asLong()).isLessThanOrEqualTo(first.get("bytes").asLong());
		assertThat(app.post("/api/v1/clusters/lab/etcd/prefixes/refresh", BodyPublishers.noBody()).statusCode())
			.isEqualTo(200);

		HttpResponse<String> page = app.get("/etcd?cluster=lab");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("id=\"nospace-banner\"")
			.contains("The cluster is read-only")
			.contains("<code>/registry/" + LEAK + "/</code>");

		JsonNode diagnosis = JSON.readTree(
				app.get("/api/v1/clusters/lab/diagnosis?symptom=high-latency", "Accept", "application/json").body());
		JsonNode cause2 = diagnosis.get("causes").get(1);
		assertThat(cause2.get("id").asInt()).isEqualTo(2);
		assertThat(cause2.get("verdict").asString()).isEqualTo("LIKELY");
		assertThat(cause2.get("evidence").get(0).get("text").asString()).startsWith("etcd raised the NOSPACE alarm");
		JsonNode last = cause2.get("remedies").get(0);
		assertThat(last.get("text").asString()).contains("etcdctl del --prefix '/registry/" + LEAK + "/leaky-ns/'")
			.contains("etcdctl snapshot save")
			.contains("etcdctl --endpoints=" + etcd.endpoint() + " defrag");
	}

}
