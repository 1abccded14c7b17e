package dev.cpdoctor.config;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
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
		try (TestApp app = TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "server.address",
				"0.0.0.0", "cpdoctor.security.users[0].name", "sre", "cpdoctor.security.users[0].password",
				"{noop}s3cret"))) {
			HttpResponse<String> anonymous = app.get("/etcd?cluster=demo");
			assertThat(anonymous.statusCode()).isIn(302, 401);
			assertThat(anonymous.body()).doesNotContain("Demo data");
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
	void otherAddressesWithoutAnyLoginRefuseToStart() {
		assertThatThrownBy(() -> TestApp.start(Map.of("cpdoctor.data-dir", this.dataDir.toString(), "server.address",
				"0.0.0.0")))
			.rootCause()
			.hasMessageContaining("no login is configured")
			.hasMessageContaining("cpdoctor.security.users");
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
