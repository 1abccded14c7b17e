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
 * inline (comments, strings and text blocks aside); a class and a method of the main code
 * stay short enough for a reader to take in at once.
 */
class SourceStyleTests {

	/** The most lines a main class file may have. */
	static final int MAX_CLASS_LINES = 350;

	/** The most lines a main method may have, from its signature to its closing brace. */
	static final int MAX_METHOD_LINES = 60;

	/** A method's or constructor's signature, at its class's indentation. */
	private static final Pattern METHOD = Pattern.compile("^(\\t+)(?:@\\w+(?:\\([^)]*\\))?\\s+)*"
			+ "(?:(?:public|protected|private|static|final|synchronized|abstract|default)\\s+)*(?:<[^>]+>\\s+)?"
			+ "(?:[\\w<>\\[\\], .?]+\\s+)?(\\w+)\\s*\\(");

	private static final Pattern NOT_A_SIGNATURE = Pattern.compile(
			"^\\s*(?:return|new|else|if|for|while|switch|catch|throw|case)\\b|\\b(?:record|class|interface|enum)\\s|=");

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

	@Test
	void mainClassesAndMethodsStayShort() throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
			for (Path file : files.filter((p) -> p.toString().endsWith(".java")).toList()) {
				List<String> lines = Files.readAllLines(file);
				if (lines.size() > MAX_CLASS_LINES) {
					found.add(file + ": " + lines.size() + " lines");
				}
				found.addAll(longMethods(file, lines));
			}
		}
		assertThat(found).as("split these along their seams").isEmpty();
	}

	@Test
	void theSizeCheckFindsALongMethod() {
		List<String> lines = new ArrayList<>(List.of("class Example {", "", "\tint answer(int a) {"));
		for (int i = 0; i < MAX_METHOD_LINES; i++) {
			lines.add("\t\ta++;");
		}
		lines.addAll(List.of("\t\treturn a;", "\t}", "", "\tint shortOne() {", "\t\treturn 1;", "\t}", "}"));
		assertThat(longMethods(Path.of("Example.java"), lines))
			.containsExactly("Example.java:3: answer has " + (MAX_METHOD_LINES + 3) + " lines");
	}

	/** Methods of a file longer than {@link #MAX_METHOD_LINES}. */
	static List<String> longMethods(Path file, List<String> lines) {
		List<String> found = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			Matcher method = METHOD.matcher(lines.get(i));
			if (!method.find() || NOT_A_SIGNATURE.matcher(lines.get(i).split("\\(", 2)[0]).find()) {
				continue;
			}
			int open = i;
			while (open < lines.size() && !lines.get(open).stripTrailing().endsWith("{")
					&& !lines.get(open).stripTrailing().endsWith(";")) {
				open++;
			}
			if (open == lines.size() || !lines.get(open).stripTrailing().endsWith("{")) {
				continue;
			}
			int close = open + 1;
			while (close < lines.size() && !lines.get(close).equals(method.group(1) + "}")) {
				close++;
			}
			if (close - i + 1 > MAX_METHOD_LINES) {
				found.add(file + ":" + (i + 1) + ": " + method.group(2) + " has " + (close - i + 1) + " lines");
			}
			i = close;
		}
		return found;
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
