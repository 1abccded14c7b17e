package dev.cpdoctor.web;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads a diagnosis as the JSON API answers it (its causes' verdicts, evidence and
 * remedies) and one cause's section of a symptom page, for the guide's end-to-end tests.
 */
final class DiagnosisReader {

	private DiagnosisReader() {
	}

	static List<String> verdicts(JsonNode body) {
		List<String> verdicts = new ArrayList<>();
		body.get("causes").forEach((c) -> verdicts.add(c.get("id").asInt() + "=" + c.get("verdict").asString()));
		return verdicts;
	}

	static JsonNode cause(JsonNode body, int id) {
		for (JsonNode cause : body.get("causes")) {
			if (cause.get("id").asInt() == id) {
				return cause;
			}
		}
		throw new AssertionError("no cause " + id + " in " + body);
	}

	static List<String> texts(JsonNode cause) {
		List<String> texts = new ArrayList<>();
		cause.get("evidence").forEach((e) -> texts.add(e.get("text").asString()));
		return texts;
	}

	static JsonNode evidence(JsonNode cause, String prefix) {
		for (JsonNode e : cause.get("evidence")) {
			if (e.get("text").asString().startsWith(prefix)) {
				return e;
			}
		}
		throw new AssertionError("no evidence starting with " + prefix + " in " + cause);
	}

	static JsonNode remedy(JsonNode cause, String summaryPrefix) {
		for (JsonNode r : cause.get("remedies")) {
			if (r.get("summary").asString().startsWith(summaryPrefix)) {
				return r;
			}
		}
		throw new AssertionError("no remedy starting with " + summaryPrefix + " in " + cause);
	}

	static List<String> kinds(JsonNode cause) {
		List<String> kinds = new ArrayList<>();
		cause.get("remedies").forEach((r) -> kinds.add(r.get("kind").asString()));
		return kinds;
	}

	/** One cause's section of a symptom page. */
	static String section(String page, String marker) {
		int start = page.indexOf(marker);
		assertThat(start).as(marker + " on the page").isNotNegative();
		return page.substring(start, page.indexOf("</section>", start));
	}

}
