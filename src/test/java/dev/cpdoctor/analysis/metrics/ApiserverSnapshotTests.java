package dev.cpdoctor.analysis.metrics;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cpdoctor.Fixtures;
import dev.cpdoctor.analysis.etcd.EtcdMember;
import dev.cpdoctor.analysis.etcd.ObjectCount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The snapshot of every real scrape in ../shared/fixtures, against values the test reads
 * off the file itself with plain string handling (not the parser).
 */
class ApiserverSnapshotTests {

	private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

	static Path[] scrapes() throws IOException {
		return Fixtures.apiserverScrapes();
	}

	@ParameterizedTest
	@MethodSource("scrapes")
	void dbSizeIsTheLargestMemberOfTheNewestServedFamily(Path scrape) throws IOException {
		List<String> lines = Files.readAllLines(scrape);
		String expectedFamily = ApiserverSnapshot.SIZE_FAMILIES.stream()
			.filter((f) -> lines.stream().anyMatch((l) -> l.startsWith(f + "{") || l.startsWith(f + " ")))
			.findFirst()
			.orElseThrow();
		double expectedSize = lines.stream()
			.filter((l) -> l.startsWith(expectedFamily + "{"))
			.mapToDouble(ApiserverSnapshotTests::valueOf)
			.max()
			.orElseThrow();
		ApiserverSnapshot snapshot = parse(scrape);
		assertThat(snapshot.sizeMetric()).isEqualTo(expectedFamily);
		assertThat(snapshot.dbSizeBytes()).isEqualTo(Math.round(expectedSize));
		assertThat(snapshot.members()).isNotEmpty().allSatisfy((m) -> assertThat(m.member()).isNotEmpty());
		assertThat(snapshot.report().malformed()).as("real scrapes have no malformed line").isEmpty();
		assertThat(snapshot.report().looksLikePrometheusText()).isTrue();
	}

	@ParameterizedTest
	@MethodSource("scrapes")
	void objectsComeFromTheNewestFamilyWithMinusOneAsUnknown(Path scrape) throws IOException {
		List<String> lines = Files.readAllLines(scrape);
		String expectedFamily = ApiserverSnapshot.OBJECT_FAMILIES.stream()
			.filter((f) -> lines.stream().anyMatch((l) -> l.startsWith(f + "{")))
			.findFirst()
			.orElseThrow();
		Map<String, Long> expected = new HashMap<>();
		for (String line : lines) {
			if (!line.startsWith(expectedFamily + "{")) {
				continue;
			}
			Map<String, String> labels = labelsOf(line);
			String resource = labels.get("resource");
			String group = labels.containsKey("group") ? labels.get("group")
					: (resource.contains(".") ? resource.substring(resource.indexOf('.') + 1) : "");
			String plain = resource.contains(".") && !labels.containsKey("group")
					? resource.substring(0, resource.indexOf('.')) : resource;
			double value = valueOf(line);
			expected.put(group.isEmpty() ? plain : plain + "." + group, (value < 0) ? null : Math.round(value));
		}
		ApiserverSnapshot snapshot = parse(scrape);
		assertThat(snapshot.objectsMetric()).isEqualTo(expectedFamily);
		Map<String, Long> actual = new HashMap<>();
		snapshot.objects().forEach((o) -> actual.put(o.qualifiedName(), o.count()));
		assertThat(actual).isEqualTo(expected);
		assertThat(snapshot.objects()).extracting(ObjectCount::count).doesNotContain(-1L).isNotEmpty();
	}

	@ParameterizedTest
	@MethodSource("scrapes")
	void versionAndRequestTotals(Path scrape) throws IOException {
		List<String> lines = Files.readAllLines(scrape);
		String buildInfo = lines.stream()
			.filter((l) -> l.startsWith("kubernetes_build_info{"))
			.findFirst()
			.orElseThrow();
		double expectedRequests = lines.stream()
			.filter((l) -> l.startsWith("apiserver_request_total{"))
			.mapToDouble(ApiserverSnapshotTests::valueOf)
			.sum();
		ApiserverSnapshot snapshot = parse(scrape);
		assertThat(snapshot.gitVersion()).isEqualTo(labelsOf(buildInfo).get("git_version"));
		assertThat(snapshot.gitVersion()).startsWith("v1.");
		assertThat(snapshot.requests().stream().mapToDouble(ApiserverSnapshot.RequestCount::total).sum())
			.isEqualTo(expectedRequests);
		assertThat(expectedRequests).isPositive();
	}

	@Test
	void v134ServesSizeEstimatesWithUnknownsAndGroupsInTheirOwnLabel() throws IOException {
		Path scrape = Fixtures.path("apiserver-metrics/apiserver-v1.34.prom");
		List<String> lines = Files.readAllLines(scrape);
		long estimates = lines.stream().filter((l) -> l.startsWith("apiserver_resource_size_estimate_bytes{")).count();
		long unknown = lines.stream()
			.filter((l) -> l.startsWith("apiserver_resource_size_estimate_bytes{") && valueOf(l) == -1)
			.count();
		ApiserverSnapshot snapshot = parse(scrape);
		assertThat(snapshot.sizeEstimates()).hasSize((int) estimates);
		assertThat(snapshot.sizeEstimates().stream().filter((e) -> e.bytes() == null).count()).isEqualTo(unknown);
		assertThat(unknown).isPositive();
		assertThat(snapshot.objects()).anySatisfy((o) -> {
			assertThat(o.group()).isEqualTo("apps");
			assertThat(o.resource()).isEqualTo("deployments");
		});
	}

	@Test
	void onAVersionBoundaryTheNewestFamilyWinsAndMembersAreKeptApart() throws IOException {
		ApiserverSnapshot snapshot = parse("""
				etcd_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379"} 9e9
				apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379"} 3e9
				apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.2:2379"} 4e9
				apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.3:2379"} -1
				etcd_object_counts{resource="pods"} 900
				apiserver_storage_objects{resource="pods"} 10
				apiserver_storage_objects{resource="ephemeralreports.reports.kyverno.io"} 12345
				apiserver_storage_objects{resource="leases.coordination.k8s.io"} -1
				""");
		assertThat(snapshot.sizeMetric()).isEqualTo("apiserver_storage_db_total_size_in_bytes");
		assertThat(snapshot.dbSizeBytes()).isEqualTo(4_000_000_000L);
		assertThat(snapshot.members()).hasSize(3).anySatisfy((m) -> assertThat(m.dbSizeBytes()).isNull());
		assertThat(snapshot.objectsMetric()).isEqualTo("apiserver_storage_objects");
		assertThat(snapshot.objects()).containsExactly(
				new ObjectCount("reports.kyverno.io", "ephemeralreports", 12_345L), new ObjectCount("", "pods", 10L),
				new ObjectCount("coordination.k8s.io", "leases", null));
	}

	@Test
	void duplicateSeriesMergeToTheLargestKnownValueInsteadOfFailing() throws IOException {
		// Two HA apiservers' /metrics concatenated into one support bundle.
		ApiserverSnapshot snapshot = parse(
				"""
						etcd_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379",instance="a"} 3e9
						etcd_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379",instance="b"} 3.1e9
						apiserver_storage_objects{resource="pods"} 10
						apiserver_storage_objects{resource="pods"} 12
						apiserver_flowcontrol_rejected_requests_total{flow_schema="x",priority_level="y",reason="queue-full"} 5
						apiserver_flowcontrol_rejected_requests_total{flow_schema="x",priority_level="y",reason="queue-full"} 7
						apiserver_flowcontrol_rejected_requests_total_created{flow_schema="x",priority_level="y",reason="queue-full"} 1.7e9
						""");
		assertThat(snapshot.members()).containsExactly(new EtcdMember("https://10.0.0.1:2379", 3_100_000_000L));
		assertThat(snapshot.objects()).containsExactly(new ObjectCount("", "pods", 12L));
		assertThat(snapshot.apfRejections()).singleElement().satisfies((r) -> assertThat(r.total()).isEqualTo(7));
	}

	@Test
	void aNewerFamilyThatOnlySaysUnknownFallsBackToAnOlderOneThatKnows() throws IOException {
		ApiserverSnapshot snapshot = parse("""
				apiserver_storage_size_bytes{cluster="etcd-0"} -1
				apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379"} 2e9
				""");
		assertThat(snapshot.sizeMetric()).isEqualTo("apiserver_storage_db_total_size_in_bytes");
		assertThat(snapshot.dbSizeBytes()).isEqualTo(2_000_000_000L);
		ApiserverSnapshot onlyUnknown = parse("apiserver_storage_size_bytes{cluster=\"etcd-0\"} -1\n");
		assertThat(onlyUnknown.sizeMetric()).isEqualTo("apiserver_storage_size_bytes");
		assertThat(onlyUnknown.dbSizeBytes()).isNull();
	}

	@Test
	void storageSizeBytesWithThe128ClusterLabel() throws IOException {
		ApiserverSnapshot snapshot = parse("apiserver_storage_size_bytes{cluster=\"etcd-0\"} 1.5e+09\n");
		assertThat(snapshot.members()).containsExactly(new EtcdMember("etcd-0", 1_500_000_000L));
	}

	@Test
	void apfRejectionsAreKeptPerFlowSchemaPriorityLevelAndReason() throws IOException {
		ApiserverSnapshot snapshot = parse(
				"""
						apiserver_flowcontrol_rejected_requests_total{flow_schema="inventory",priority_level="throttled",reason="concurrency-limit"} 42
						apiserver_flowcontrol_rejected_requests_total{flow_schema="inventory",priority_level="throttled",reason="queue-full"} 3
						""");
		assertThat(snapshot.apfRejections()).containsExactly(
				new ApiserverSnapshot.ApfRejections("inventory", "throttled", "concurrency-limit", 42),
				new ApiserverSnapshot.ApfRejections("inventory", "throttled", "queue-full", 3));
	}

	@Test
	void aBodyWithoutTheFamiliesGivesAnEmptySnapshotNotAnError() throws IOException {
		ApiserverSnapshot snapshot = parse("process_cpu_seconds_total 12\n");
		assertThat(snapshot.sizeMetric()).isNull();
		assertThat(snapshot.dbSizeBytes()).isNull();
		assertThat(snapshot.objects()).isEmpty();
		assertThat(snapshot.report().looksLikePrometheusText()).isTrue();
	}

	private static ApiserverSnapshot parse(Path scrape) throws IOException {
		try (InputStream in = Files.newInputStream(scrape)) {
			return ApiserverSnapshot.parse(in);
		}
	}

	private static ApiserverSnapshot parse(String body) throws IOException {
		return ApiserverSnapshot.parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
	}

	private static double valueOf(String line) {
		String[] fields = line.substring(line.lastIndexOf('}') + 1).trim().split("\\s+");
		return Double.parseDouble(fields[0]);
	}

	private static Map<String, String> labelsOf(String line) {
		Map<String, String> labels = new HashMap<>();
		Matcher m = LABEL.matcher(line.substring(line.indexOf('{'), line.lastIndexOf('}')));
		while (m.find()) {
			labels.put(m.group(1), m.group(2));
		}
		return labels;
	}

}
