package dev.cpdoctor;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the whole application with given properties on a random port, as the README's
 * run command does: only for a test whose point is a restart or a start-up configuration
 * of its own (every other end-to-end test shares {@link AbstractEndToEndTests}' one
 * application). Each start costs seconds; say in the test why it needs one.
 */
public final class TestApp implements RunningApp, AutoCloseable {

	private final ConfigurableApplicationContext context;

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

	@Override
	public <T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	@Override
	public int port() {
		return Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port"));
	}

	@Override
	public void close() {
		this.context.close();
	}

}
