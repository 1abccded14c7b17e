package dev.cpdoctor.analysis.metrics;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * The exposition lexer alone on hostile input: every label set gets an index or a named
 * error, never an exception, and the metric name hash it computes while scanning is the
 * table's.
 */
class PrometheusLexerTests {

	private final Map<String, String> labels = new LinkedHashMap<>();

	/**
	 * Lexes the labels after the '{' that starts {@code text}; the answer or its error.
	 */
	private Object labels(String text) {
		return labels(text.getBytes(StandardCharsets.UTF_8));
	}

	private Object labels(byte[] b) {
		int end = PrometheusLexer.labels(b, 1, b.length, this.labels);
		return (end < 0) ? PrometheusLexer.LABEL_ERRORS[-end - 1] : end;
	}

	@Test
	void aLabelSetEndsAfterItsBraceWithItsValuesUnescaped() {
		String text = "{ a = \"x\" , b=\"say \\\"hi\\\"\\n\\\\\",c=\"\",} 1";
		assertThat(labels(text)).isEqualTo(text.indexOf("} 1") + 1);
		assertThat(this.labels).containsExactly(entry("a", "x"), entry("b", "say \"hi\"\n\\"), entry("c", ""));
		assertThat(labels("{}")).isEqualTo(2);
	}

	@Test
	void eachMalformedLabelSetHasItsReason() {
		Map<String, String> cases = Map.of("{9a=\"x\"}", "bad label name", "{a \"x\"}", "label without '='", "{a=x}",
				"label value not quoted", "{a=\"x", "unterminated label value", "{a=\"x\\", "unterminated label value",
				"{a=\"\\t\"}", "bad escape in label value", "{a=\"x\" b=\"y\"}", "labels not closed", "{a=\"x\",",
				"labels not closed", "{a=\"x\",a=\"y\"}", "duplicate label");
		cases.forEach((text, reason) -> {
			this.labels.clear();
			assertThat(labels(text)).as(text).isEqualTo(reason);
		});
	}

	@Test
	void invalidUtf8InAValueIsReplacedNotThrown() {
		byte[] b = { '{', 'a', '=', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '\\', 'n', (byte) 0x80, '"', '}' };
		assertThat(labels(b)).isEqualTo(b.length);
		assertThat(this.labels.get("a")).isEqualTo("\uFFFD(\uFFFD\n\uFFFD");
	}

	@Test
	void aHugeLabelSetIsReadWhole() {
		StringBuilder text = new StringBuilder("{");
		for (int i = 0; i < 10_000; i++) {
			text.append("l").append(i).append("=\"").append("v".repeat(i % 50)).append("\",");
		}
		text.append('}');
		assertThat(labels(text.toString())).isEqualTo(text.length());
		assertThat(this.labels).hasSize(10_000).containsEntry("l9999", "v".repeat(49));
	}

	@Test
	void theNameHashScannedIsTheTablesHash() {
		for (String name : List.of("apiserver_request_total", "a", "_:x9", "etcd_mvcc_db_total_size_in_bytes")) {
			byte[] b = (name + "{x=\"1\"} 1").getBytes(StandardCharsets.US_ASCII);
			long scanned = PrometheusLexer.scanMetricName(b, 0, b.length);
			assertThat((int) scanned).isEqualTo(name.length());
			assertThat((int) (scanned >>> 32)).isEqualTo(PrometheusLexer.hash(b, 0, name.length()));
		}
		byte[] digitFirst = "9abc 1".getBytes(StandardCharsets.US_ASCII);
		assertThat((int) PrometheusLexer.scanMetricName(digitFirst, 0, digitFirst.length)).isZero();
	}

	@Test
	void timestampsAreMillisecondsOrFractionalSeconds() {
		assertThat(PrometheusLexer.parseTimestamp("1700000000123")).isEqualTo(1_700_000_000_123L);
		assertThat(PrometheusLexer.parseTimestamp("1700000000.5")).isEqualTo(1_700_000_000_500L);
		assertThat(PrometheusLexer.parseTimestamp("1.7e9")).isEqualTo(1_700_000_000_000L);
	}

	@Test
	void aFamilyTableFindsAFamilyByItsSeriesAndPrefersAFamilysOwnName() {
		FamilyTable table = new FamilyTable(List.of("foo_count", "foo", "requests_total"));
		for (String[] expected : new String[][] { { "foo", "foo" }, { "foo_bucket", "foo" },
				{ "foo_count", "foo_count" }, { "requests", "requests_total" }, { "requests_total", "requests_total" },
				{ "bar", null } }) {
			byte[] b = expected[0].getBytes(StandardCharsets.US_ASCII);
			assertThat(table.find(b, 0, b.length, PrometheusLexer.hash(b, 0, b.length))).as(expected[0])
				.isEqualTo(expected[1]);
		}
	}

}
