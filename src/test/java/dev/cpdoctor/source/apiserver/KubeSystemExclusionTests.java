package dev.cpdoctor.source.apiserver;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KubeSystemExclusionTests {

	private static final Map<String, String> KUBE_SYSTEM = Map.of("kubernetes.io/metadata.name", "kube-system",
			"control-plane", "true");

	private static V1LabelSelector expression(String key, String operator, String... values) {
		return new V1LabelSelector().addMatchExpressionsItem(new V1LabelSelectorRequirement().key(key)
			.operator(operator)
			.values((values.length == 0) ? null : List.of(values)));
	}

	private static boolean excludes(V1LabelSelector selector) {
		return KubeSystemExclusion.excludes(selector, KUBE_SYSTEM);
	}

	@Test
	void noSelectorOrAnEmptyOneMatchesEveryNamespace() {
		assertThat(excludes(null)).isFalse();
		assertThat(excludes(new V1LabelSelector())).isFalse();
	}

	@Test
	void theNamespaceNameLabel() {
		assertThat(excludes(expression("kubernetes.io/metadata.name", "NotIn", "kube-system", "kyverno"))).isTrue();
		assertThat(excludes(expression("kubernetes.io/metadata.name", "NotIn", "kyverno"))).isFalse();
		assertThat(excludes(expression("kubernetes.io/metadata.name", "In", "default", "apps"))).isTrue();
		assertThat(excludes(expression("kubernetes.io/metadata.name", "DoesNotExist"))).isTrue();
		assertThat(excludes(expression("kubernetes.io/metadata.name", "Exists"))).isFalse();
	}

	@Test
	void anyLabelKubeSystemCarriesOrLacks() {
		assertThat(excludes(expression("control-plane", "DoesNotExist"))).isTrue();
		assertThat(excludes(expression("control-plane", "NotIn", "true"))).isTrue();
		// kube-system has no such label: NotIn holds for an absent key, so it is not
		// excluded.
		assertThat(excludes(expression("policies.kyverno.io/ignore", "NotIn", "true"))).isFalse();
		assertThat(excludes(expression("policies.kyverno.io/ignore", "DoesNotExist"))).isFalse();
		assertThat(excludes(expression("team", "Exists"))).isTrue();
		assertThat(excludes(new V1LabelSelector().matchLabels(Map.of("team", "payments")))).isTrue();
		assertThat(excludes(new V1LabelSelector().matchLabels(Map.of("control-plane", "true")))).isFalse();
	}

	@Test
	void everyRequirementMustHold() {
		V1LabelSelector selector = expression("control-plane", "Exists")
			.addMatchExpressionsItem(new V1LabelSelectorRequirement().key("kubernetes.io/metadata.name")
				.operator("NotIn")
				.values(List.of("kube-system")));
		assertThat(excludes(selector)).isTrue();
	}

	@Test
	void anUnknownOperatorClaimsNoExclusion() {
		assertThat(excludes(expression("kubernetes.io/metadata.name", "Gt", "1"))).isFalse();
	}

	/**
	 * With kube-system's labels unread only its name label is known: a selector on any
	 * other key may match it, so no exclusion is claimed (a Fail webhook then stays a
	 * risk); the name label still proves one.
	 */
	@Test
	void withUnreadLabelsOnlyTheNameLabelProvesAnExclusion() {
		Map<String, String> known = KubeSystemExclusion.KNOWN_LABELS;
		assertThat(KubeSystemExclusion.excludes(new V1LabelSelector().putMatchLabelsItem("policy", "enforced"), known,
				false))
			.isFalse();
		assertThat(KubeSystemExclusion.excludes(expression("policy", "In", "enforced"), known, false)).isFalse();
		assertThat(KubeSystemExclusion.excludes(expression("control-plane", "DoesNotExist"), known, false)).isFalse();
		assertThat(KubeSystemExclusion.excludes(expression("kubernetes.io/metadata.name", "NotIn", "kube-system"),
				known, false))
			.isTrue();
		// The same selector against labels read whole: kube-system lacks the label, so it
		// is excluded.
		assertThat(KubeSystemExclusion.excludes(new V1LabelSelector().putMatchLabelsItem("policy", "enforced"), known,
				true))
			.isTrue();
	}

}
