package dev.cpdoctor;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The data's way through the code, top to bottom, every arrow downward
 * (docs/architecture.md): {@code web} (beside it the actuator's {@code health} and
 * {@code security}) -> the diagnosis ({@code troubleshoot}) -> {@code source} (outside
 * systems) -> {@code history} (stores) -> the remedies ({@code troubleshoot.remedy}) ->
 * {@code analysis} (pure logic on records) -> {@code cluster} -> {@code support}. No
 * exception list: any violation fails the build.
 */
class ArchitectureTests {

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.cpdoctor");

	/** Each layer may use the layers below it, never one above. */
	static LayeredArchitecture layers(String root) {
		return layeredArchitecture().consideringOnlyDependenciesInLayers()
			.layer("Web")
			.definedBy(root + ".web..")
			.layer("Health")
			.definedBy(root + ".health..")
			.layer("Security")
			.definedBy(root + ".security..")
			.layer("Diagnosis")
			.definedBy(root + ".troubleshoot")
			.layer("Source")
			.definedBy(root + ".source..")
			.layer("History")
			.definedBy(root + ".history..")
			.layer("Remedy")
			.definedBy(root + ".troubleshoot.remedy..")
			.layer("Analysis")
			.definedBy(root + ".analysis..")
			.layer("Cluster")
			.definedBy(root + ".cluster..")
			.layer("Support")
			.definedBy(root + ".support..")
			.whereLayer("Web")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("Health")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("Security")
			.mayNotBeAccessedByAnyLayer()
			.whereLayer("Diagnosis")
			.mayOnlyBeAccessedByLayers("Web")
			.whereLayer("Source")
			.mayOnlyBeAccessedByLayers("Web", "Health", "Diagnosis")
			.whereLayer("History")
			.mayOnlyBeAccessedByLayers("Health", "Diagnosis", "Source")
			.whereLayer("Remedy")
			.mayOnlyBeAccessedByLayers("Web", "Diagnosis", "Source")
			.whereLayer("Analysis")
			.mayOnlyBeAccessedByLayers("Web", "Health", "Diagnosis", "Source", "History", "Remedy")
			.whereLayer("Cluster")
			.mayOnlyBeAccessedByLayers("Web", "Health", "Security", "Diagnosis", "Source", "History", "Remedy",
					"Analysis")
			.whereLayer("Support")
			.mayOnlyBeAccessedByLayers("Web", "Health", "Security", "Diagnosis", "Source", "History", "Remedy",
					"Analysis", "Cluster");
	}

	/** No two packages use each other, however far round. */
	static ArchRule noCycles(String root) {
		return slices().matching(root + ".(**)").should().beFreeOfCycles();
	}

	@Test
	void layersOnlyLookDown() {
		layers("dev.cpdoctor").check(MAIN);
	}

	@Test
	void noCyclesBetweenPackages() {
		noCycles("dev.cpdoctor").check(MAIN);
	}

	/**
	 * Pages and the JSON API ask the sources through their interfaces (the source package
	 * itself), never an implementation: which system answers for a cluster is the
	 * sources' business.
	 */
	@Test
	void webAsksSourcesThroughTheirInterfaces() {
		noClasses().that()
			.resideInAPackage("dev.cpdoctor.web..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cpdoctor.source.*..")
			.check(MAIN);
	}

	/** The interfaces of the sources know none of their implementations. */
	@Test
	void sourceInterfacesKnowNoImplementation() {
		noClasses().that()
			.resideInAPackage("dev.cpdoctor.source")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.cpdoctor.source.*..")
			.check(MAIN);
	}

	/** SDK types never leave the source package that speaks to their system. */
	@Test
	void sdkTypesStayInTheirSource() {
		noClasses().that()
			.resideOutsideOfPackage("dev.cpdoctor.source..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.kubernetes..", "com.azure..", "io.etcd..", "io.grpc..", "okhttp3..",
					"software.amazon..")
			.check(MAIN);
	}

	/** The analysis is pure logic on records: no framework, no database, no network. */
	@Test
	void analysisIsPure() {
		noClasses().that()
			.resideInAPackage("dev.cpdoctor.analysis..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..", "java.net.http..", "jakarta..")
			.check(MAIN);
	}

	/**
	 * The rules can fail: an analysis class reaching up to web, and two packages using
	 * each other.
	 */
	@Test
	void theRulesCatchABackwardArrowAndACycle() {
		JavaClasses fixture = new ClassFileImporter().importPackages("dev.cpdoctor.architecture");
		assertThat(layers("dev.cpdoctor.architecture").evaluate(fixture).getFailureReport().getDetails()).anyMatch(
				(line) -> line.contains("architecture.analysis.Lower") && line.contains("architecture.web.Upper"));
		assertThat(noCycles("dev.cpdoctor.architecture").evaluate(fixture).hasViolation()).isTrue();
	}

}
