package dev.cpdoctor.security;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import dev.cpdoctor.AbstractEndToEndTests;
import dev.cpdoctor.RunningApp;
import dev.cpdoctor.TestApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loopback: open. Any other address: login, or refuse to start. The loopback tests use
 * the shared application (the default address); the bind address and logins are read at
 * start-up, so the others start an application of their own, and the refusals to start
 * are the security configuration's alone ({@link WebApplicationContextRunner}).
 */
class SecurityConfigurationTests extends AbstractEndToEndTests {

	@TempDir
	Path dataDir;

	/** Only the security configuration, on a web application context. */
	private final WebApplicationContextRunner startUp = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class))
		.withUserConfiguration(SecurityConfiguration.class);

	@Test
	void loopbackNeedsNoLogin() throws Exception {
		RunningApp app = app();
		assertThat(app.get("/?cluster=demo").statusCode()).isEqualTo(200);
	}

	/**
	 * Bound to every interface with a local user, and a cluster whose audit webhook has a
	 * token: one application for both tests.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class BeyondLoopbackWithUsers {

		private TestApp app;

		@BeforeAll
		void start(@TempDir Path dataDir) {
			Map<String, Object> properties = new LinkedHashMap<>();
			properties.put("cpdoctor.data-dir", dataDir.toString());
			properties.put("server.address", "0.0.0.0");
			properties.put("cpdoctor.security.users[0].name", "sre");
			properties.put("cpdoctor.security.users[0].password", "{noop}s3cret");
			properties.put("cpdoctor.clusters[0].name", "lab");
			properties.put("cpdoctor.clusters[0].audit.webhook-token", "webhook-token-1");
			this.app = TestApp.start(properties);
		}

		@AfterAll
		void stop() {
			if (this.app != null) {
				this.app.close();
			}
		}

		@Test
		void otherAddressesNeedALoginAndKeepProbesOpen() throws Exception {
			TestApp app = this.app;
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

		@Test
		void theAuditWebhookNeedsItsTokenNotALoginAndNothingElseOpensWithIt() throws Exception {
			String batch = "{\"kind\":\"EventList\",\"items\":[{\"auditID\":\"a-1\",\"stage\":\"ResponseComplete\","
					+ "\"verb\":\"get\",\"userAgent\":\"kubectl\",\"requestReceivedTimestamp\":\"2026-11-22T10:00:00Z\","
					+ "\"stageTimestamp\":\"2026-11-22T10:00:00.01Z\"}]}";
			TestApp app = this.app;
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

	/**
	 * An application of its own: the OIDC client registration is read at start-up.
	 */
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
		this.startUp.withPropertyValues("server.address=0.0.0.0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("no login is configured")
				.hasMessageContaining("cpdoctor.security.users"));
	}

	@Test
	void loopbackModeRefusesForeignHostHeadersAgainstDnsRebinding() throws Exception {
		RunningApp app = app();
		HttpResponse<String> rebound = app.get("/audit?cluster=demo", "Host", "attacker.example");
		assertThat(rebound.statusCode()).isEqualTo(421);
		assertThat(rebound.body()).doesNotContain("Demo data");
		assertThat(
				app.get("/actuator/health", "Host", "attacker.example:8080", "Accept", "application/json").statusCode())
			.isEqualTo(421);
		assertThat(app.get("/audit?cluster=demo", "Host", "localhost:" + app.port()).statusCode()).isEqualTo(200);
		assertThat(LoopbackHostFilter.isLoopbackHost("localhost:8080")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("127.0.0.1")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("[::1]:8080")).isTrue();
		assertThat(LoopbackHostFilter.isLoopbackHost("localhost.attacker.example")).isFalse();
		assertThat(LoopbackHostFilter.isLoopbackHost("127.0.0.1.nip.io")).isFalse();
	}

	@Test
	void aManagementPortBeyondLoopbackAlsoNeedsALogin() {
		this.startUp.withPropertyValues("management.server.port=0", "management.server.address=0.0.0.0")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("no login is configured"));
	}

	@Test
	void aPasswordWithoutItsEncodingPrefixIsRefusedAtStartUp() {
		this.startUp
			.withPropertyValues("server.address=0.0.0.0", "cpdoctor.security.users[0].name=sre",
					"cpdoctor.security.users[0].password=s3cret")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("encoding prefix"));
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
