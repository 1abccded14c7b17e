package dev.cpdoctor;

import java.io.IOException;
import java.net.http.HttpResponse;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The base of the end-to-end tests: the whole application as the README runs it (the
 * demo, loopback, a fresh embedded database of the test profile) on a random port,
 * started once and shared by every subclass through Spring's test context cache. A
 * subclass adds no configuration of its own (properties, imports, dynamic properties), or
 * it would start an application of its own; and it leaves the application as it found it
 * (it stores no cluster's history), so that every other test sees the same one. A test
 * whose point is a restart or another start-up configuration uses {@link TestApp}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public abstract class AbstractEndToEndTests implements RunningApp {

	protected static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private ApplicationContext context;

	@Override
	public int port() {
		return this.port;
	}

	@Override
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/** The shared application, for a test written against {@link RunningApp}. */
	protected RunningApp app() {
		return this;
	}

	/** GET as a script asking for JSON: the answer must be 200 and JSON. */
	protected JsonNode json(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = get(path, "Accept", "application/json");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
		return JSON.readTree(response.body());
	}

}
