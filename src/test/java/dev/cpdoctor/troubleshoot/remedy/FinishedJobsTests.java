package dev.cpdoctor.troubleshoot.remedy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FinishedJobsTests {

	@Test
	void inOneNamespaceOrAll() {
		Remediation one = FinishedJobs.delete("ci");
		assertThat(one.kind()).isEqualTo(Remediation.Kind.COMMAND);
		assertThat(one.text()).isEqualTo("kubectl delete jobs -n ci --field-selector status.successful=1\n");
		assertThat(one.summary()).isEqualTo("Delete the Jobs that succeeded in namespace ci");
		assertThat(FinishedJobs.delete(null).text())
			.isEqualTo("kubectl delete jobs -A --field-selector status.successful=1\n");
		assertThat(one.warnings()).anyMatch((w) -> w.contains("exactly one succeeded Pod"))
			.anyMatch((w) -> w.contains("NOSPACE"));
	}

	@Test
	void hostileNamespacesAreRefused() {
		for (String bad : LeakedResourceTests.HOSTILE) {
			assertThat(catchThrowableOfType(InvalidRemedyParameter.class, () -> FinishedJobs.delete(bad)).parameter())
				.as(bad)
				.isEqualTo("namespace");
		}
	}

	@Test
	void theTtlHintIsYamlForAJobAndACronJob() {
		Remediation hint = FinishedJobs.ttlHint();
		assertThat(hint.kind()).isEqualTo(Remediation.Kind.YAML);
		List<Object> documents = new ArrayList<>();
		new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(hint.text()).forEach(documents::add);
		assertThat(documents).containsExactly(Map.of("spec", Map.of("ttlSecondsAfterFinished", 3600)),
				Map.of("spec", Map.of("successfulJobsHistoryLimit", 3, "failedJobsHistoryLimit", 1, "jobTemplate",
						Map.of("spec", Map.of("ttlSecondsAfterFinished", 3600)))));
		assertThat(FinishedJobs.ttlHint(600).text()).contains("ttlSecondsAfterFinished: 600\n");
		assertThat(catchThrowableOfType(InvalidRemedyParameter.class, () -> FinishedJobs.ttlHint(-1)).parameter())
			.isEqualTo("ttlSecondsAfterFinished");
	}

}
