package dev.cpdoctor.history;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.etcd.EtcdSample;
import dev.cpdoctor.analysis.etcd.ObjectCount;
import dev.cpdoctor.source.demo.DemoData;
import dev.cpdoctor.source.demo.DemoScenario;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * History lives in the H2 file under cpdoctor.data-dir and survives a restart of the
 * application.
 */
class HistoryRestartTests {

	@TempDir
	Path dataDir;

	@Test
	void aNewDemoGeneratorVersionReplacesTheOldDemoHistoryWhole() throws Exception {
		Map<String, Object> properties = Map.of("cpdoctor.data-dir", this.dataDir.toString());
		try (TestApp first = TestApp.start(properties)) {
			JdbcClient jdbc = first.bean(JdbcClient.class);
			// Pretend the stored demo came from an older generator, with a sample the new
			// one lacks.
			jdbc.sql("update demo_scenario set version = version - 1").update();
			first.bean(EtcdHistory.class)
				.save("demo", List.of(new EtcdSample(Instant.parse("2001-01-01T00:00:00Z"), "old", 1L, List.of())));
			assertThat(first.bean(EtcdHistory.class).count("demo")).isEqualTo(28 * 24 + 2);
		}
		try (TestApp second = TestApp.start(properties)) {
			assertThat(second.bean(EtcdHistory.class).count("demo")).isEqualTo(28 * 24 + 1);
			assertThat(
					second.bean(JdbcClient.class).sql("select version from demo_scenario").query(Integer.class).list())
				.containsExactly(DemoScenario.VERSION);
		}
	}

	@Test
	void historyAndTheDemoAnchorSurviveARestart() throws Exception {
		Map<String, Object> properties = Map.of("cpdoctor.data-dir", this.dataDir.toString());
		Instant anchor;
		long demoSamples;
		Instant uploadedAt = Instant.parse("2026-11-01T12:00:00Z");
		try (TestApp first = TestApp.start(properties)) {
			anchor = first.bean(DemoData.class).scenario().anchor();
			EtcdHistory history = first.bean(EtcdHistory.class);
			demoSamples = history.count("demo");
			assertThat(demoSamples).isEqualTo(28 * 24 + 1);
			history.save("offline-lab", List.of(new EtcdSample(uploadedAt, "etcd_db_total_size_in_bytes", 123_456_789L,
					List.of(new ObjectCount("", "pods", 42L), new ObjectCount("apps", "deployments", -1L)))));
		}
		assertThat(this.dataDir.resolve("cpdoctor.mv.db")).exists();
		try (TestApp second = TestApp.start(properties)) {
			assertThat(second.bean(DemoData.class).scenario().anchor()).isEqualTo(anchor);
			EtcdHistory history = second.bean(EtcdHistory.class);
			assertThat(history.count("demo")).as("demo history is not written twice").isEqualTo(demoSamples);
			EtcdSample sample = history.latestAtOrBefore("offline-lab", uploadedAt).orElseThrow();
			assertThat(sample.at()).isEqualTo(uploadedAt);
			assertThat(sample.dbSizeBytes()).isEqualTo(123_456_789L);
			assertThat(sample.objects()).containsExactlyInAnyOrder(new ObjectCount("", "pods", 42L),
					new ObjectCount("apps", "deployments", null));
			assertThat(second.get("/etcd?cluster=demo").statusCode()).isEqualTo(200);
		}
	}

}
