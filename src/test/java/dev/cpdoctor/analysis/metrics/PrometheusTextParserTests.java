package dev.cpdoctor.analysis.metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.Fixtures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class PrometheusTextParserTests {

	private final PrometheusTextParser parser = new PrometheusTextParser(
			Set.of("wanted", "latency_seconds", "requests_total", "up"));

	private final List<MetricSample> kept = new ArrayList<>();

	@Test
	void keepsOnlyWantedFamiliesAndCountsEverySample() throws IOException {
		ParseReport report = parse("""
				# HELP wanted A gauge.
				# TYPE wanted gauge
				wanted{a="1"} 3
				unwanted{a="1"} 4
				unwanted_too 5
				wanted_not_quite 6
				""");
		assertThat(this.kept).extracting(MetricSample::name).containsExactly("wanted");
		assertThat(report.samples()).isEqualTo(4);
		assertThat(report.kept()).isEqualTo(1);
		assertThat(report.types()).containsExactly(entry("wanted", "gauge"));
		assertThat(report.malformed()).isEmpty();
	}

	@Test
	void labelValueEscapesAndUnicode() throws IOException {
		parse("wanted{path=\"C:\\\\dir\",quote=\"say \\\"hi\\\"\",nl=\"a\\nb\",ua=\"kubectl/日本\",empty=\"\",} 1\n");
		assertThat(this.kept).singleElement()
			.satisfies((s) -> assertThat(s.labels()).containsExactly(entry("path", "C:\\dir"),
					entry("quote", "say \"hi\""), entry("nl", "a\nb"), entry("ua", "kubectl/日本"), entry("empty", "")));
	}

	@Test
	void specialValuesExponentsAndTimestamps() throws IOException {
		ParseReport report = parse("""
				wanted{v="nan"} NaN
				wanted{v="pinf"} +Inf
				wanted{v="ninf"} -Inf
				wanted{v="exp"} 2.29376e+06
				wanted{v="neg"} -1
				wanted{v="ts"} 7 1700000000000
				""");
		assertThat(report.malformed()).isEmpty();
		assertThat(this.kept.get(0).value()).isNaN();
		assertThat(this.kept.get(1).value()).isEqualTo(Double.POSITIVE_INFINITY);
		assertThat(this.kept.get(2).value()).isEqualTo(Double.NEGATIVE_INFINITY);
		assertThat(this.kept.get(3).value()).isEqualTo(2_293_760.0);
		assertThat(this.kept.get(4).value()).isEqualTo(-1.0);
		assertThat(this.kept.get(5).timestampMs()).isEqualTo(1_700_000_000_000L);
		assertThat(this.kept.get(4).timestampMs()).isNull();
	}

	@Test
	void openMetricsExemplarsFloatTimestampsAndNoBlankAfterTheBrace() throws IOException {
		ParseReport report = parse("""
				wanted_bucket{le="0.5"} 3 # {trace_id="abc"} 0.42 1700000000.5
				wanted{a="1"} 4 1700000000.250
				wanted{a="2"}5
				wanted 6 # {trace_id="x"} 1
				# EOF
				""");
		assertThat(report.malformed()).isEmpty();
		assertThat(this.kept).extracting(MetricSample::value).containsExactly(3.0, 4.0, 5.0, 6.0);
		assertThat(this.kept.get(1).timestampMs()).isEqualTo(1_700_000_000_250L);
		assertThat(parse("wanted 5 6 7\n").malformed()).containsKey("text after the timestamp");
	}

	@Test
	void histogramAndCounterSeriesBelongToTheirFamily() throws IOException {
		parse("""
				# TYPE latency_seconds histogram
				latency_seconds_bucket{le="0.1"} 3
				latency_seconds_bucket{le="+Inf"} 5
				latency_seconds_sum 0.7
				latency_seconds_count 5
				requests_total{code="200"} 10
				""");
		assertThat(this.kept).extracting(MetricSample::family)
			.containsExactly("latency_seconds", "latency_seconds", "latency_seconds", "latency_seconds",
					"requests_total");
		assertThat(this.kept.get(1).label("le")).isEqualTo("+Inf");
		assertThat(this.kept.get(1).value()).isEqualTo(5.0);
	}

	@Test
	void aWantedFamilyNamedLikeAnotherFamilysSeriesKeepsItsOwnName() throws IOException {
		PrometheusTextParser both = new PrometheusTextParser(List.of("foo_count", "foo"));
		List<MetricSample> samples = new ArrayList<>();
		both.parse(new ByteArrayInputStream("foo_count 1\nfoo_sum 2\n".getBytes(StandardCharsets.UTF_8)), samples::add);
		assertThat(samples).extracting(MetricSample::family).containsExactly("foo_count", "foo");
	}

	@Test
	void etcdsOwnMetricsFixtureParsesWithValuesReadOffTheFile() throws IOException {
		Path scrape = Fixtures.path("etcd-metrics/etcd-3.5.12-k8s-v1.30.prom");
		List<String> families = List.of("etcd_mvcc_db_total_size_in_bytes", "etcd_mvcc_db_total_size_in_use_in_bytes",
				"etcd_server_quota_backend_bytes", "etcd_disk_wal_fsync_duration_seconds");
		List<MetricSample> samples = new ArrayList<>();
		ParseReport report;
		try (InputStream in = Files.newInputStream(scrape)) {
			report = new PrometheusTextParser(families).parse(in, samples::add);
		}
		List<String> lines = Files.readAllLines(scrape);
		for (String family : families.subList(0, 3)) {
			double expected = lines.stream()
				.filter((l) -> l.startsWith(family + " ") || l.startsWith(family + "{"))
				.mapToDouble((l) -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
				.findFirst()
				.orElseThrow();
			assertThat(samples).filteredOn((m) -> m.name().equals(family))
				.singleElement()
				.satisfies((m) -> assertThat(m.value()).isEqualTo(expected));
		}
		long histogramLines = lines.stream()
			.filter((l) -> l.startsWith("etcd_disk_wal_fsync_duration_seconds"))
			.count();
		assertThat(samples).filteredOn((m) -> m.family().equals("etcd_disk_wal_fsync_duration_seconds"))
			.hasSize((int) histogramLines);
		assertThat(histogramLines).isGreaterThan(3);
		assertThat(report.malformed()).isEmpty();
		assertThat(report.samples())
			.isEqualTo(lines.stream().filter((l) -> !l.isBlank() && !l.startsWith("#")).count());
	}

	@Test
	void malformedLinesAreCountedByReasonAndTheRestIsKept() throws IOException {
		ParseReport report = parse("""
				wanted{a="1"} 1
				wanted{a="1" 2
				wanted{a=1} 3
				wanted{a="1"} twelve
				wanted{a="1"} 4 soon
				wanted{a="\\x"} 5
				wanted{a="1",a="2"} 6
				9wanted 7
				wanted
				wanted{a="2"} 8
				""");
		assertThat(this.kept).extracting(MetricSample::value).containsExactly(1.0, 8.0);
		assertThat(report.malformed()).containsOnly(entry("labels not closed", 1L), entry("label value not quoted", 1L),
				entry("bad value", 1L), entry("bad timestamp", 1L), entry("bad escape in label value", 1L),
				entry("duplicate label", 1L), entry("not a metric name", 1L), entry("missing value", 1L));
		assertThat(report.firstMalformedLine()).containsEntry("labels not closed", 2L);
		assertThat(report.looksLikePrometheusText()).isTrue();
	}

	@Test
	void crlfLineEndsAndNoFinalNewline() throws IOException {
		ParseReport report = parse("wanted{a=\"1\"} 1\r\nwanted{a=\"2\"} 2");
		assertThat(this.kept).extracting(MetricSample::value).containsExactly(1.0, 2.0);
		assertThat(report.malformed()).isEmpty();
	}

	@Test
	void linesLongerThanTheBufferAreParsedAndHugeOnesSkipped() throws IOException {
		String longValue = "x".repeat(200_000);
		String huge = "y".repeat(PrometheusTextParser.MAX_LINE_BYTES + 10);
		ParseReport report = parse(
				"wanted{a=\"" + longValue + "\"} 1\nwanted{a=\"" + huge + "\"} 2\nwanted{a=\"z\"} 3\n");
		assertThat(this.kept).extracting(MetricSample::value).containsExactly(1.0, 3.0);
		assertThat(this.kept.get(0).label("a")).hasSize(200_000);
		assertThat(report.malformed())
			.containsOnlyKeys("line longer than " + PrometheusTextParser.MAX_LINE_BYTES + " bytes");
	}

	@Test
	void bodiesThatAreNotPrometheusTextAreRecognised() throws IOException {
		assertThat(parse("<html><body>502 Bad Gateway</body></html>\n").looksLikePrometheusText()).isFalse();
		assertThat(parse("{\"kind\":\"Status\",\"code\":403}").looksLikePrometheusText()).isFalse();
		assertThat(parse("").looksLikePrometheusText()).isFalse();
		assertThat(parse("# only comments\n").looksLikePrometheusText()).isFalse();
		assertThat(parse("up 1\n").looksLikePrometheusText()).isTrue();
	}

	@Test
	void readsAcrossBufferBoundariesOfASlowStream() throws IOException {
		StringBuilder body = new StringBuilder();
		for (int i = 0; i < 20_000; i++) {
			body.append("wanted{i=\"").append(i).append("\"} ").append(i).append('\n');
			body.append("unwanted{i=\"").append(i).append("\"} 0\n");
		}
		byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
		// A stream that hands out at most 7 bytes per read, like a slow network.
		InputStream trickle = new ByteArrayInputStream(bytes) {
			@Override
			public synchronized int read(byte[] b, int off, int len) {
				return super.read(b, off, Math.min(len, 7));
			}
		};
		ParseReport report = this.parser.parse(trickle, this.kept::add);
		assertThat(this.kept).hasSize(20_000);
		assertThat(this.kept.get(19_999).value()).isEqualTo(19_999.0);
		assertThat(report.bytes()).isEqualTo(bytes.length);
		assertThat(report.samples()).isEqualTo(40_000);
	}

	@Test
	void valuesThatJavaAcceptsButPrometheusDoesNot() {
		for (String bad : new String[] { "1d", "1f", "0x1p3", "Infinity", "" + "1e" }) {
			assertThat(catchBad(bad)).as(bad).isTrue();
		}
		assertThat(PrometheusLexer.parseValue("1.5E-3")).isEqualTo(0.0015);
		assertThat(PrometheusLexer.parseValue("42.")).isEqualTo(42.0);
	}

	private static boolean catchBad(String text) {
		try {
			PrometheusLexer.parseValue(text);
			return false;
		}
		catch (NumberFormatException ex) {
			return true;
		}
	}

	private ParseReport parse(String body) throws IOException {
		this.kept.clear();
		return this.parser.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), this.kept::add);
	}

	static Map<String, String> labels(MetricSample sample) {
		return sample.labels();
	}

}
