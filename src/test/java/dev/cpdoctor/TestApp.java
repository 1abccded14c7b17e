package dev.cpdoctor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole application with given properties on a random port, as the README's
 * run command does, for tests that need a restart or a configuration of their own.
 */
public final class TestApp implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final HttpClient http = HttpClient.newHttpClient();

	private TestApp(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static TestApp start(Map<String, Object> properties, String... profiles) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("server.port", "0");
		all.put("cpdoctor.kubeconfig.offer-current-context", "false");
		all.put("spring.main.banner-mode", "off");
		all.putAll(properties);
		// As command-line arguments: they override application.yaml, as a user's
		// --server.port would.
		String[] args = all.entrySet()
			.stream()
			.map((e) -> "--" + e.getKey() + "=" + e.getValue())
			.toArray(String[]::new);
		return new TestApp(new SpringApplicationBuilder(CpDoctorApplication.class).profiles(profiles).run(args));
	}

	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	public int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path));
		boolean accept = false;
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
			accept |= headers[i].equalsIgnoreCase("Accept");
		}
		if (!accept) {
			request.header("Accept", "text/html");
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	public HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
			.POST(body)
			.header("Accept", "application/json");
		for (int i = 0; i + 1 < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
