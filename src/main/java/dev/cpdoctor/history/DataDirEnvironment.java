package dev.cpdoctor.history;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves {@code cpdoctor.data-dir} to an absolute path once, at start-up: H2 refuses a
 * file path that is implicitly relative ("data/x"), and the pages and logs should say
 * where history lives.
 */
public class DataDirEnvironment implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY = "cpdoctor.data-dir";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		String configured = environment.getProperty(PROPERTY);
		if (configured == null || configured.isBlank()) {
			return;
		}
		String absolute = Path.of(configured.trim()).toAbsolutePath().normalize().toString();
		environment.getPropertySources().addFirst(new MapPropertySource("cpdoctorDataDir", Map.of(PROPERTY, absolute)));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
