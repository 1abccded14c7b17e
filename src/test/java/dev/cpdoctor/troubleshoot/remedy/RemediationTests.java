package dev.cpdoctor.troubleshoot.remedy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.troubleshoot.SymptomTable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class RemediationTests {

	@Test
	void theTwoArgumentFormStillMakesCommandsAndAdvice() {
		Remediation command = new Remediation("Delete finished Jobs",
				"kubectl delete jobs --field-selector status.successful=1");
		assertThat(command.kind()).isEqualTo(Remediation.Kind.COMMAND);
		assertThat(command.command()).isEqualTo(command.text()).startsWith("kubectl delete jobs");
		assertThat(command.warnings()).isEmpty();
		Remediation advice = new Remediation("Use labels for bulk delete", null);
		assertThat(advice.kind()).isEqualTo(Remediation.Kind.ADVICE);
		assertThat(advice.command()).isNull();
		assertThat(advice.text()).isNull();
	}

	@Test
	void yamlIsNoCommand() {
		Remediation yaml = Remediation.yaml("Cap it", "apiVersion: v1\n", List.of());
		assertThat(yaml.kind()).isEqualTo(Remediation.Kind.YAML);
		assertThat(yaml.command()).as("the symptom page shows command() as a command").isNull();
		assertThat(yaml.text()).isEqualTo("apiVersion: v1\n");
	}

	@Test
	void adviceHasNoTextAndTheOthersHaveOne() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Remediation("x", Remediation.Kind.ADVICE, "y", null));
		assertThatIllegalArgumentException().isThrownBy(() -> new Remediation("x", Remediation.Kind.YAML, null, null));
	}

	@Test
	void summaryAndWarningsAreOnePrintableLineEach() {
		Remediation r = Remediation.command("a\nb", "multi\nline\ntext\n", Arrays.asList("one\r\ntwo", "\u2028"));
		assertThat(r.summary()).isEqualTo("a?b");
		assertThat(r.warnings()).containsExactly("one??two", "?");
		assertThat(r.text()).as("the text itself is the generator's to get right").isEqualTo("multi\nline\ntext\n");
	}

	@Test
	void theSymptomTablesRemediesKeepTheirCommands() {
		List<Remediation> leak = SymptomTable.OBJECT_LEAK.remediations();
		assertThat(leak).extracting(Remediation::command)
			.contains("kubectl delete jobs --field-selector status.successful=1")
			.containsNull();
	}

}
