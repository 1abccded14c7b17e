package dev.cpdoctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recorded real data in ../shared/fixtures (see its README for provenance); never
 * edited.
 */
public final class Fixtures {

	private static final Path ROOT = Path.of("..", "shared", "fixtures");

	private Fixtures() {
	}

	public static Path path(String relative) {
		Path file = ROOT.resolve(relative);
		assertThat(file).as("fixture %s (../shared must sit beside the checkout)", file.toAbsolutePath())
			.isRegularFile();
		return file;
	}

	public static Path[] apiserverScrapes() throws IOException {
		try (var files = Files.list(path("apiserver-metrics/apiserver-v1.21.prom").getParent())) {
			return files.filter((p) -> p.toString().endsWith(".prom")).sorted().toArray(Path[]::new);
		}
	}

}
