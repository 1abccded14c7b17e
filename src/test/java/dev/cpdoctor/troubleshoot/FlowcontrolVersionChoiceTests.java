package dev.cpdoctor.troubleshoot;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.cpdoctor.analysis.KubernetesVersion;
import dev.cpdoctor.source.SourceResult;
import dev.cpdoctor.troubleshoot.FlowcontrolVersionChoice.Chosen;
import dev.cpdoctor.troubleshoot.FlowcontrolVersionChoice.Unsupported;
import dev.cpdoctor.troubleshoot.remedy.FlowcontrolVersion;

import static org.assertj.core.api.Assertions.assertThat;

class FlowcontrolVersionChoiceTests {

	private static final Optional<KubernetesVersion> UNKNOWN = Optional.empty();

	private static Chosen chosen(FlowcontrolVersionChoice choice) {
		assertThat(choice).isInstanceOf(Chosen.class);
		return (Chosen) choice;
	}

	@Test
	void theNewestServedVersionWins() {
		assertThat(chosen(FlowcontrolVersionChoice.of(SourceResult.ok(List.of("v1", "v1beta3")), UNKNOWN)).version())
			.isEqualTo(FlowcontrolVersion.V1);
		assertThat(
				chosen(FlowcontrolVersionChoice.of(SourceResult.ok(List.of("v1beta3", "v1beta2")), UNKNOWN)).version())
			.isEqualTo(FlowcontrolVersion.V1BETA3);
		Chosen beta2 = chosen(FlowcontrolVersionChoice.of(SourceResult.ok(List.of("v1beta2", "v1beta1")), UNKNOWN));
		assertThat(beta2.version()).isEqualTo(FlowcontrolVersion.V1BETA2);
		assertThat(beta2.reason())
			.isEqualTo("the apiserver serves v1beta2, v1beta1 (API discovery); the newest is used");
	}

	@Test
	void discoveryBeatsAKnownVersion() {
		Optional<KubernetesVersion> old = KubernetesVersion.of("v1.24.3", "the last /metrics scrape");
		assertThat(chosen(FlowcontrolVersionChoice.of(SourceResult.ok(List.of("v1")), old)).version())
			.isEqualTo(FlowcontrolVersion.V1);
	}

	@Test
	void aClusterServingNoneOfThemIsUnsupported() {
		assertThat(FlowcontrolVersionChoice.of(SourceResult.ok(List.of("v1beta1", "v1alpha1")), UNKNOWN))
			.isInstanceOfSatisfying(Unsupported.class,
					(u) -> assertThat(u.reason()).contains("serves only v1beta1, v1alpha1"));
		assertThat(FlowcontrolVersionChoice.of(SourceResult.ok(List.of()), UNKNOWN)).isInstanceOfSatisfying(
				Unsupported.class, (u) -> assertThat(u.reason()).contains("--enable-priority-and-fairness=false"));
	}

	@Test
	void withoutDiscoveryTheKnownKubernetesVersionDecides() {
		SourceResult<List<String>> failed = SourceResult
			.failed("GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 500");
		Chosen v127 = chosen(FlowcontrolVersionChoice.of(failed,
				KubernetesVersion.of("v1.27.9-eks-5e0fdde", "the last /metrics scrape")));
		assertThat(v127.version()).isEqualTo(FlowcontrolVersion.V1BETA3);
		assertThat(v127.reason())
			.isEqualTo("no API discovery (GET /apis/flowcontrol.apiserver.k8s.io answered HTTP 500);"
					+ " Kubernetes v1.27.9-eks-5e0fdde (the last /metrics scrape) serves it as the newest");
		assertThat(chosen(FlowcontrolVersionChoice.of(failed, KubernetesVersion.of("v1.30.4", "the demo scenario")))
			.version()).isEqualTo(FlowcontrolVersion.V1);
		assertThat(chosen(FlowcontrolVersionChoice.of(failed, KubernetesVersion.of("v1.24.0+k3s1", "x"))).version())
			.isEqualTo(FlowcontrolVersion.V1BETA2);
		assertThat(FlowcontrolVersionChoice.of(failed, KubernetesVersion.of("v1.22.17", "x")))
			.isInstanceOf(Unsupported.class);
	}

	@Test
	void withNeitherItIsV1AndSaysHowToAskForAnother() {
		Chosen v1 = chosen(FlowcontrolVersionChoice.of(SourceResult.failed("timed out after PT10S"), UNKNOWN));
		assertThat(v1.version()).isEqualTo(FlowcontrolVersion.V1);
		assertThat(v1.reason()).contains("no API discovery (timed out after PT10S)")
			.contains("Kubernetes version is unknown")
			.contains("?apiVersion=v1beta3");
	}

	@Test
	void anAskedForVersionIsTakenAsIs() {
		assertThat(FlowcontrolVersionChoice.requested(FlowcontrolVersion.V1BETA2).reason())
			.isEqualTo("asked for with ?apiVersion=v1beta2");
	}

	@Test
	void versionsAreReadFromTheirNamesAndFromKubernetesReleases() {
		assertThat(FlowcontrolVersion.parse("v1beta3")).contains(FlowcontrolVersion.V1BETA3);
		assertThat(FlowcontrolVersion.parse("flowcontrol.apiserver.k8s.io/v1beta2"))
			.contains(FlowcontrolVersion.V1BETA2);
		assertThat(FlowcontrolVersion.parse("V1")).contains(FlowcontrolVersion.V1);
		assertThat(FlowcontrolVersion.parse("v1beta1")).isEmpty();
		assertThat(FlowcontrolVersion.parse("v1\n")).isEmpty();
		assertThat(FlowcontrolVersion.parse(" v1")).isEmpty();
		assertThat(FlowcontrolVersion.parse("apps/v1")).isEmpty();
		assertThat(FlowcontrolVersion.newestServedBy("v1.29.0")).contains(FlowcontrolVersion.V1);
		assertThat(FlowcontrolVersion.newestServedBy("v1.28.15")).contains(FlowcontrolVersion.V1BETA3);
		assertThat(FlowcontrolVersion.newestServedBy("v1.26.0")).contains(FlowcontrolVersion.V1BETA3);
		assertThat(FlowcontrolVersion.newestServedBy("v1.25.16")).contains(FlowcontrolVersion.V1BETA2);
		assertThat(FlowcontrolVersion.newestServedBy("v1.23.0")).contains(FlowcontrolVersion.V1BETA2);
		assertThat(FlowcontrolVersion.newestServedBy("v1.22.0")).isEmpty();
		assertThat(FlowcontrolVersion.newestServedBy("v2.0.0")).isEmpty();
		assertThat(FlowcontrolVersion.newestServedBy("nonsense")).isEmpty();
	}

	@Test
	void aServersVersionTextIsOnlyTrustedWhenItLooksLikeAVersion() {
		assertThat(KubernetesVersion.of("v1.30.4", "x")).isPresent();
		assertThat(KubernetesVersion.of("v1.29.2+k3s1", "x")).isPresent();
		assertThat(KubernetesVersion.of("v1.30.4\n# injected", "x")).isEmpty();
		assertThat(KubernetesVersion.of(null, "x")).isEmpty();
	}

}
