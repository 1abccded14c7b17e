package dev.cpdoctor.history;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.TestEnvironment;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.analysis.metrics.ApiserverSnapshot;
import dev.cpdoctor.cluster.ClusterCatalog;
import dev.cpdoctor.source.demo.DemoData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The postgres profile on a real PostgreSQL: Testcontainers where docker runs, else the
 * server that .ci/run starts on 127.0.0.1 (override with CPDOCTOR_TEST_PG_URL / _USER /
 * _PASSWORD).
 */
class PostgresProfileTests {

	private static PostgreSQLContainer container;

	private static String url;

	private static String user;

	private static String password;

	@BeforeAll
	static void findPostgres() throws SQLException {
		if (dockerAvailable()) {
			container = new PostgreSQLContainer("postgres:16-alpine");
			container.start();
			url = container.getJdbcUrl();
			user = container.getUsername();
			password = container.getPassword();
			return;
		}
		url = env("CPDOCTOR_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/cpdoctor_test");
		user = env("CPDOCTOR_TEST_PG_USER", "cpdoctor");
		password = env("CPDOCTOR_TEST_PG_PASSWORD", "cpdoctor");
		boolean reachable;
		try (Connection connection = DriverManager.getConnection(url + "?connectTimeout=3", user, password)) {
			reachable = connection.isValid(3);
		}
		catch (SQLException ex) {
			reachable = false;
		}
		TestEnvironment.require(reachable,
				"PostgreSQL (no docker, and nothing answers at " + url + " as " + user + ")");
		// A clean schema, so the test sees Flyway create everything: only ever in a
		// *_test database.
		assertThat(url.replaceAll("\\?.*$", "")).as("refusing to drop the schema of a database not named *_test")
			.endsWith("_test");
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement()) {
			statement.execute("drop schema if exists public cascade");
			statement.execute("create schema public");
		}
	}

	@AfterAll
	static void stop() {
		if (container != null) {
			container.stop();
		}
	}

	@Test
	void sameMigrationsAndHistorySurviveARestartOnPostgres() throws Exception {
		Map<String, Object> properties = Map.of("CPDOCTOR_DB_URL", url, "CPDOCTOR_DB_USER", user,
				"CPDOCTOR_DB_PASSWORD", password);
		Instant anchor;
		Instant at = Instant.parse("2026-10-05T08:30:00Z");
		try (TestApp first = TestApp.start(properties, "postgres")) {
			assertThat(jdbcUrlOf(first)).startsWith("jdbc:postgresql:");
			anchor = first.bean(DemoData.class).scenario().anchor();
			first.bean(EtcdHistory.class)
				.save("offline-pg", List.of(new EtcdSample(at, "apiserver_storage_size_bytes", 9_876_543_210L,
						List.of(new ObjectCount("reports.kyverno.io", "ephemeralreports", 250_000L)))));
			assertThat(first.get("/etcd?cluster=demo").body()).contains("ephemeralreports");
			// A whole scrape's details, twice, for an APF rate.
			EtcdHistory history = first.bean(EtcdHistory.class);
			for (int minute = 0; minute < 2; minute++) {
				String body = "apiserver_storage_size_bytes{storage_cluster_id=\"etcd-0\"} 5e8\n"
						+ "apiserver_storage_size_bytes{storage_cluster_id=\"etcd-1\"} -1\n"
						+ "apiserver_resource_objects{group=\"\",resource=\"pods\"} 10\n"
						+ "apiserver_resource_size_estimate_bytes{group=\"\",resource=\"pods\"} 4096\n"
						+ "apiserver_flowcontrol_rejected_requests_total{flow_schema=\"inventory\",priority_level=\"throttled\",reason=\"queue-full\"} "
						+ (100 + 60 * minute) + "\n"
						+ "apiserver_request_total{verb=\"LIST\",resource=\"pods\",code=\"200\"} 7\n";
				history.saveScrape("scraped-pg", at.plusSeconds(60L * minute),
						ApiserverSnapshot.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))));
			}
			assertThat(history.members("scraped-pg", at)).containsExactly(new EtcdMember("etcd-0", 500_000_000L),
					new EtcdMember("etcd-1", null));
			assertThat(history.sizeEstimates("scraped-pg", at)).containsExactly(Map.entry("pods", 4096L));
			assertThat(history.apfRates("scraped-pg", new TimeWindow(at, at.plusSeconds(600)))).singleElement()
				.satisfies((r) -> assertThat(r.perSecond()).isEqualTo(1.0));
			first.bean(ClusterCatalog.class).offline("scraped-pg");
			String overview = first.get("/?cluster=scraped-pg&from=" + at + "&to=" + at.plusSeconds(600)).body();
			assertThat(overview).contains("<td>inventory</td>").contains("<td>queue-full</td>").contains("1.00/s");
		}
		try (TestApp second = TestApp.start(properties, "postgres")) {
			assertThat(second.bean(DemoData.class).scenario().anchor()).isEqualTo(anchor);
			EtcdHistory history = second.bean(EtcdHistory.class);
			assertThat(history.count("demo")).isEqualTo(28 * 24 + 1);
			EtcdSample sample = history.latestAtOrBefore("offline-pg", at.plusSeconds(60)).orElseThrow();
			assertThat(sample.at()).isEqualTo(at);
			assertThat(sample.dbSizeBytes()).isEqualTo(9_876_543_210L);
			assertThat(sample.objects())
				.containsExactly(new ObjectCount("reports.kyverno.io", "ephemeralreports", 250_000L));
		}
		try (Connection connection = DriverManager.getConnection(url, user, password);
				Statement statement = connection.createStatement();
				var rs = statement.executeQuery("select count(*) from flyway_schema_history where success")) {
			rs.next();
			assertThat(rs.getInt(1)).isGreaterThanOrEqualTo(1);
		}
	}

	@Test
	void auditRollupsStoreAndAnswerExactlyOnPostgres() throws Exception {
		// The database outlives test runs on a developer's machine: a cluster of its own
		// each run.
		String cluster = "audit-pg-" + Long.toString(System.currentTimeMillis(), 36);
		Map<String, Object> properties = Map.of("CPDOCTOR_DB_URL", url, "CPDOCTOR_DB_USER", user,
				"CPDOCTOR_DB_PASSWORD", password, "cpdoctor.clusters[0].name", cluster,
				"cpdoctor.clusters[0].audit.webhook-token", "pg-token");
		Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
		AuditTraffic traffic = AuditTraffic.random(31, 2_000, 6, t0, 30);
		String window = "from=2026-11-22T10:00:00Z&to=2026-11-22T11:00:00Z";
		try (TestApp app = TestApp.start(properties, "postgres")) {
			List<String> lines = List.of(traffic.jsonLines(true).split("\n"));
			for (int from = 0; from < lines.size(); from += 400) {
				String batch = AuditTraffic.eventList(lines.subList(from, Math.min(lines.size(), from + 400)));
				assertThat(app
					.post("/api/v1/clusters/" + cluster + "/audit", HttpRequest.BodyPublishers.ofString(batch),
							"Authorization", "Bearer pg-token")
					.statusCode()).isEqualTo(200);
			}
			var tops = app.get("/api/v1/clusters/" + cluster + "/audit/top-user-agents?limit=100&" + window, "Accept",
					"application/json");
			assertThat(tops.statusCode()).isEqualTo(200);
			Map<String, Long> counted = new TreeMap<>();
			JsonMapper.builder()
				.build()
				.readTree(tops.body())
				.forEach((n) -> counted.put(n.get("userAgent").asString(), n.get("requests").asLong()));
			assertThat(counted).isEqualTo(traffic.requestsPerUserAgent());
			String top = counted.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
			var p99 = app.bean(AuditRollupQueries.class)
				.verbsAndResources(cluster, new TimeWindow(t0, t0.plusSeconds(3600)), top)
				.p99ByVerbAndResource(new TimeWindow(t0, t0.plusSeconds(3600)), top);
			Map<String, Double> exact = traffic.p99(top);
			assertThat(p99.stream().filter((r) -> r.p99Ms() != null)).hasSize(exact.size()).allSatisfy((r) -> {
				double expected = exact.get(r.verb() + " " + r.resource());
				assertThat(r.p99Ms()).isCloseTo(expected, Assertions.within(0.01 * expected));
			});
		}
	}

	private static String jdbcUrlOf(TestApp app) throws SQLException {
		try (Connection connection = app.bean(DataSource.class).getConnection()) {
			return connection.getMetaData().getURL();
		}
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
