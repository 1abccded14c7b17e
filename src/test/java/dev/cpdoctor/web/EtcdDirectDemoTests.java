package dev.cpdoctor.web;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.analysis.etcd.EtcdClusterStatus;
import dev.cpdoctor.analysis.etcd.KeyspaceUsage;
import dev.cpdoctor.analysis.etcd.PrefixUsage;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's etcd read "directly": the page's panels, the JSON, the guide's cause 2, all
 * from its scenario.
 */
class EtcdDirectDemoTests extends AbstractEndToEndTests {

	@Autowired
	DemoData demo;

	private HttpResponse<String> get(String path, String accept) throws Exception {
		return get(path, "Accept", accept);
	}

	@Test
	void theEtcdPageShowsMembersAdviceAndTheLeakingPrefixFirst() throws Exception {
		String body = get("/etcd?cluster=demo", "text/html").body();
		KeyspaceUsage keyspace = this.demo.scenario().keyspace();
		EtcdClusterStatus status = this.demo.scenario().etcdStatus();
		String direct = body.substring(body.indexOf("id=\"panel-direct\""), body.indexOf("id=\"panel-keyspace\""));
		assertThat(direct).doesNotContain("nospace-banner").contains("id=\"no-alarm\"");
		assertThat(direct).contains(status.members().get(0).endpoint()).contains("<td>leader</td>");
		// the leader is the second endpoint, so its defrag comes last
		Matcher defrag = Pattern.compile("etcdctl --endpoints=(\\S+) defrag").matcher(direct);
		List<String> order = new ArrayList<>();
		while (defrag.find()) {
			order.add(defrag.group(1));
		}
		assertThat(order).containsExactly(status.members().get(0).endpoint(), status.members().get(2).endpoint(),
				status.members().get(1).endpoint());
		assertThat(status.members().get(1).leader()).isTrue();
		assertThat(direct).contains("revisions since the last compaction");

		String panel = body.substring(body.indexOf("id=\"panel-keyspace\""), body.indexOf("id=\"panel-etcd\""));
		PrefixUsage first = keyspace.prefixes().get(0);
		assertThat(first.keyPrefix())
			.isEqualTo("/registry/" + DemoScenario.LEAKING_GROUP + "/" + DemoScenario.LEAKING_RESOURCE + "/");
		Matcher row = Pattern.compile("<tbody>\\s*<tr class=\"risky\">\\s*<td><code>([^<]+)</code></td>")
			.matcher(panel);
		assertThat(row.find()).as(panel).isTrue();
		assertThat(row.group(1)).isEqualTo(first.keyPrefix());
		assertThat(panel).contains(DemoScenario.LEAKING_NAMESPACE + " ")
			.contains("Scan at revision " + keyspace.revision())
			.contains("id=\"scan-again\"")
			.contains("method=\"post\"")
			.doesNotContain("_csrf");
	}

	@Test
	void theEtcdJsonGainsAlarmsAndMembersAndThePrefixesAreSortedByBytes() throws Exception {
		JsonNode etcd = JSON.readTree(get("/api/v1/clusters/demo/etcd", "application/json").body());
		EtcdClusterStatus status = this.demo.scenario().etcdStatus();
		assertThat(etcd.get("dbSizeBytes").asLong()).isPositive();
		assertThat(etcd.get("alarms").isArray()).isTrue();
		assertThat(etcd.get("alarms").size()).isZero();
		assertThat(etcd.get("members").size()).isEqualTo(3);
		JsonNode leader = etcd.get("members").get(1);
		assertThat(leader.get("isLeader").asBoolean()).isTrue();
		assertThat(leader.get("endpoint").asString()).isEqualTo(status.members().get(1).endpoint());
		assertThat(leader.get("dbSizeBytes").asLong()).isEqualTo(status.members().get(1).dbSizeBytes());
		assertThat(leader.get("dbSizeInUseBytes").asLong()).isEqualTo(status.members().get(1).dbSizeInUseBytes());
		assertThat(etcd.get("members").get(0).get("isLeader").asBoolean()).isFalse();
		assertThat(etcd.has("etcdError")).isFalse();

		HttpResponse<String> response = get("/api/v1/clusters/demo/etcd/prefixes", "application/json");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode prefixes = JSON.readTree(response.body());
		KeyspaceUsage keyspace = this.demo.scenario().keyspace();
		assertThat(prefixes.size()).isEqualTo(keyspace.prefixes().size());
		long previous = Long.MAX_VALUE;
		for (JsonNode p : prefixes) {
			assertThat(p.get("bytes").asLong()).isLessThanOrEqualTo(previous);
			previous = p.get("bytes").asLong();
			assertThat(p.has("namespaces")).isFalse();
		}
		assertThat(prefixes.get(0).get("prefix").asString()).isEqualTo(keyspace.prefixes().get(0).keyPrefix());
		assertThat(prefixes.get(0).get("keys").asLong()).isEqualTo(keyspace.prefixes().get(0).keys());
		assertThat(response.headers().firstValue("X-Etcd-Revision")).contains(String.valueOf(keyspace.revision()));
		JsonNode withNamespaces = JSON
			.readTree(get("/api/v1/clusters/demo/etcd/prefixes?namespaces=true", "application/json").body());
		assertThat(withNamespaces.get(0).get("namespaces").get(0).get("namespace").asString())
			.isEqualTo(DemoScenario.LEAKING_NAMESPACE);
		assertThat(get("/api/v1/clusters/nowhere/etcd/prefixes", "application/json").statusCode()).isEqualTo(404);
	}

	@Test
	void causeTwoNamesThePrefixAndActsOnTheDominantNamespaceWithoutALastResort() throws Exception {
		JsonNode diagnosis = JSON
			.readTree(get("/api/v1/clusters/demo/diagnosis?symptom=high-latency", "application/json").body());
		JsonNode cause2 = null;
		for (JsonNode c : diagnosis.get("causes")) {
			if (c.get("id").asInt() == 2) {
				cause2 = c;
			}
		}
		assertThat(cause2).as(diagnosis.toString()).isNotNull();
		assertThat(cause2.get("verdict").asString()).isEqualTo("LIKELY");
		String evidence = cause2.get("evidence").toString();
		assertThat(evidence).contains("raises no alarm")
			.contains("/registry/reports.kyverno.io/ephemeralreports/ holds")
			.contains("The remedies act on namespace " + DemoScenario.LEAKING_NAMESPACE);
		String remedies = cause2.get("remedies").toString();
		assertThat(remedies).contains("/namespaces/" + DemoScenario.LEAKING_NAMESPACE + "/ephemeralreports")
			.doesNotContain("your-namespace")
			.doesNotContain("etcdctl del");
	}

}
