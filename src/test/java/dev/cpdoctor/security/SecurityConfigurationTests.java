package dev.cpdoctor.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loopback: open. Any other address: login, or refuse to start. */
class SecurityConfigurationTests {

	@TempDir
	Path dataDir;

	@Test
	void loopbackNeedsNoLogin() throws Exception {
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString()))) {
			assertThat(app.get("/?cluster=demo").statusCode()).isEqualTo(200);
		}
	}

	@Test
	void otherAddressesNeedALoginAndKeepProbesOpen() throws Exception {
		try (TestApp app = TestApp
			.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "server.address", "0.0.0.0",
					"cpdoctor.security.users[0].name", "sre", "cpdoctor.security.users[0].password", "{noop}s3cret"))) {
			HttpResponse<String> anonymous = app.get("/etcd?cluster=demo");
			assertThat(anonymous.statusCode()).isIn(302, 401);
			assertThat(anonymous.body()).doesNotContain("Demo data");
			// A page another user's request put in the page cache still needs a login.
			String cachedLink = "/etcd?cluster=demo&from=2026-01-01T00:00:00Z&to=2026-01-01T06:00:00Z";
			assertThat(app.get(cachedLink, "Authorization", basic("sre", "s3cret")).statusCode()).isEqualTo(200);
			HttpResponse<String> sneaky = app.get(cachedLink);
			assertThat(sneaky.statusCode()).isIn(302, 401);
			assertThat(sneaky.body()).doesNotContain("Demo data");
			assertThat(app.get("/actuator/health").statusCode()).isIn(302, 401);
			assertThat(app.get("/actuator/health", "Accept", "application/json").statusCode()).isEqualTo(401);
			assertThat(app.get("/actuator/health/liveness", "Accept", "*/*").statusCode()).isEqualTo(200);
			assertThat(app.get("/etcd?cluster=demo", "Authorization", basic("sre", "wrong")).statusCode())
				.isEqualTo(401);
			HttpResponse<String> loggedIn = app.get("/etcd?cluster=demo", "Authorization", basic("sre", "s3cret"));
			assertThat(loggedIn.statusCode()).isEqualTo(200);
			assertThat(loggedIn.body()).contains("Demo data");
		}
	}

	@Test
	void theAuditWebhookNeedsItsTokenNotALoginAndNothingElseOpensWithIt() throws Exception {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", this.dataDir.toString());
		properties.put("server.address", "0.0.0.0");
		properties.put("cpdoctor.security.users[0].name", "sre");
		properties.put("cpdoctor.security.users[0].password", "{noop}s3cret");
		properties.put("cpdoctor.clusters[0].name", "lab");
		properties.put("cpdoctor.clusters[0].audit.webhook-token", "webhook-token-1");
		String batch = "{\"kind\":\"EventList\",\"items\":[{\"auditID\":\"a-1\",\"stage\":\"ResponseComplete\","
				+ "\"verb\":\"get\",\"userAgent\":\"kubectl\",\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\","
				+ "\"stageTimestamp\":\"2026-11-22T10:00:00.01Z\"}]}";
		try (TestApp app = TestApp.start(properties)) {
			HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofString(batch);
			assertThat(app.post("/api/v1/clusters/lab/audit", body, "Authorization", "Bearer webhook-token-1")
				.statusCode()).isEqualTo(200);
			assertThat(app.post("/api/v1/clusters/lab/audit", body).statusCode()).isEqualTo(401);
			// The token is no login: the API and pages still refuse it.
			assertThat(app
				.get("/api/v1/clusters/lab/audit/top-user-agents", "Accept", "application/json", "Authorization",
						"Bearer webhook-token-1")
				.statusCode()).isEqualTo(401);
			assertThat(app
				.post("/api/v1/clusters/lab/metrics", HttpRequest.BodyPublishers.ofString("x 1\n"), "Authorization",
						"Bearer webhook-token-1", "Content-Type", "text/plain")
				.statusCode()).isEqualTo(401);
		}
	}

	@Test
	void oidcAloneIsEnoughAndSendsBrowsersToTheProvider() throws Exception {
		String registration = "spring.security.oauth2.client.registration.corp.";
		String provider = "spring.security.oauth2.client.provider.corp.";
		Map<String, Object> properties = Map.ofEntries(Map.entry("cpdoctor.data-dir", this.dataDir.toString()),
				Map.entry("server.address", "0.0.0.0"), Map.entry(registration + "client-id", "cpdoctor"),
				Map.entry(registration + "client-secret", "x"),
				Map.entry(registration + "authorization-grant-type", "authorization_code"),
				Map.entry(registration + "redirect-uri", "{baseUrl}/login/oauth2/code/{registrationId}"),
				Map.entry(registration + "scope", "openid"),
				Map.entry(provider + "authorization-uri", "http://127.0.0.1:9/authorize"),
				Map.entry(provider + "token-uri", "http://127.0.0.1:9/token"),
				Map.entry(provider + "jwk-set-uri", "http://127.0.0.1:9/keys"),
				Map.entry(provider + "user-name-attribute", "sub"));
		try (TestApp app = TestApp.start(properties)) {
			HttpResponse<String> anonymous = app.get("/audit?cluster=demo");
			assertThat(anonymous.statusCode()).isEqualTo(302);
			String location = anonymous.headers().firstValue("Location").orElseThrow();
			assertThat(location).matches(".*/(login|oauth2/authorization/corp)$");
			HttpResponse<String> start = app.get("/oauth2/authorization/corp");
			assertThat(start.statusCode()).isEqualTo(302);
			assertThat(start.headers().firstValue("Location").orElseThrow()).startsWith("http://127.0.0.1:9/authorize?")
				.contains("client_id=cpdoctor");
		}
	}

	@Test
	void otherAddressesWithoutAnyLoginRefuseToStart() {
		assertThatThrownBy(
				() -> TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "server.address", "0.0.0.0")))
			.rootCause()
			.hasMessageContaining("no login is configured")
			.hasMessageContaining("cpdoctor.security.users");
	}

	@Test
	void loopbackModeRefusesForeignHostHeadersAgainstDnsRebinding() throws Exception {
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString()))) {
			HttpResponse<String> rebound = app.get("/audit?cluster=demo", "Host", "attacker.example");
			assertThat(rebound.statusCode()).isEqualTo(421);
			assertThat(rebound.body()).doesNotContain("Demo data");
			assertThat(app.get("/actuator/health", "Host", "attacker.example:8080", "Accept", "application/json")
				.statusCode()).isEqualTo(421);
			assertThat(app.get("/audit?cluster=demo", "Host", "localhost:" + app.port()).statusCode()).isEqualTo(200);
		}
		assertThat(LoopbackHostFilter.isLoopbackHost("localhost:8080")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("127.0.0.1")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("[::1]:8080")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("localhost.attacker.example")).isFalse();
		assertThat(LoopbackHostFilter.isLoopbackHost("127.0.0.1.nip.io")).isFalse();
	}

	@Test
	void aManagementPortBeyondLoopbackAlsoNeedsALogin() {
		assertThatThrownBy(() -> TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(),
				"management.server.port", "0", "management.server.address", "0.0.0.0")))
			.rootCause()
			.hasMessageContaining("no login is configured");
	}

	@Test
	void aPasswordWithoutItsEncodingPrefixIsRefusedAtStartUp() {
		assertThatThrownBy(() -> TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "server.address",
				"0.0.0.0", "cpdoctor.security.users[0].name", "sre", "cpdoctor.security.users[0].password", "s3cret")))
			.rootCause()
			.hasMessageContaining("encoding prefix");
	}

	@Test
	void loopbackDetection() {
		assertThat(SecurityConfiguration.isLoopback("127.0.0.1")).isTrue();
		assertThat(SecurityConfiguration.isLoopback("::1")).isTrue();
		assertThat(SecurityConfiguration.isLoopback("localhost")).isTrue();
		assertThat(SecurityConfiguration.isLoopback("0.0.0.0")).isFalse();
		assertThat(SecurityConfiguration.isLoopback("")).isFalse();
		assertThat(SecurityConfiguration.isLoopback("10.1.2.3")).isFalse();
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
