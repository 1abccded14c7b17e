package dev.cpdoctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the formatter does not check: types are named by import, never by their full name
 * inline (comments, strings and text blocks aside).
 */
class SourceStyleTests {

	/** A package path of at least two lower-case parts, then a type name. */
	static final Pattern QUALIFIED = Pattern.compile(
			"(?<![\\w.@\"])(?:java|javax|jakarta|org|com|io|dev|tools|software|okhttp3|reactor)\\.(?:[a-z_]\\w*\\.)+[A-Z]\\w*");

	/** Comments and text blocks, blanked out (their line breaks kept). */
	private static final Pattern NOT_CODE = Pattern.compile("/\\*.*?\\*/|\"\"\".*?\"\"\"", Pattern.DOTALL);

	private static final Pattern STRING = Pattern.compile("\"(?:\\\\.|[^\"\\\\])*\"");

	@Test
	void noFullyQualifiedTypeNamesInline() throws IOException {
		List<String> found = new ArrayList<>();
		for (String root : List.of("src/main/java", "src/test/java", "src/bench/java")) {
			try (Stream<Path> files = Files.walk(Path.of(root))) {
				for (Path file : files.filter((p) -> p.toString().endsWith(".java")).toList()) {
					found.addAll(inline(file, Files.readString(file)));
				}
			}
		}
		assertThat(found).as("fully-qualified type names inline: import them").isEmpty();
	}

	@Test
	void theCheckFindsOne() {
		assertThat(inline(Path.of("Example.java"), """
				package dev.cpdoctor;

				import java.util.List;

				/** Not {@link java.util.Map} in a comment, nor "java.util.Set" in a string. */
				class Example {
					java.time.Instant at = java.time.Instant.now(); // java.util.Map
				}
				""")).containsExactly("Example.java:7: java.time.Instant", "Example.java:7: java.time.Instant");
	}

	static List<String> inline(Path file, String source) {
		Matcher comments = NOT_CODE.matcher(source);
		StringBuilder code = new StringBuilder();
		while (comments.find()) {
			comments.appendReplacement(code, Matcher
				.quoteReplacement("\n".repeat((int) comments.group().chars().filter((c) -> c == '\n').count())));
		}
		comments.appendTail(code);
		List<String> found = new ArrayList<>();
		String[] lines = code.toString().split("\n", -1);
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i];
			if (line.startsWith("import ") || line.startsWith("package ")) {
				continue;
			}
			int comment = line.indexOf("//");
			String stripped = STRING.matcher((comment >= 0) ? line.substring(0, comment) : line).replaceAll("\"\"");
			Matcher qualified = QUALIFIED.matcher(stripped);
			while (qualified.find()) {
				found.add(file + ":" + (i + 1) + ": " + qualified.group());
			}
		}
		return found;
	}

}
