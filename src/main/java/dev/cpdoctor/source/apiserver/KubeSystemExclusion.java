package dev.cpdoctor.source.apiserver;

import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;

/**
 * Whether a webhook's namespaceSelector keeps kube-system out, decided as the apiserver
 * decides it: the selector is evaluated against kube-system's labels, and it excludes
 * kube-system exactly when it does not match them. So
 * {@code kubernetes.io/metadata.name NotIn [kube-system]} excludes it, and so does
 * {@code control-plane DoesNotExist} when kube-system carries a control-plane label (as
 * AKS's admissions enforcer arranges), or any matchLabels kube-system lacks.
 * <p>
 * Label selector semantics (apimachinery): every matchLabels pair and every
 * matchExpressions requirement must hold; In needs the key with one of the values; NotIn
 * holds when the key is absent or its value is none of them; Exists needs the key;
 * DoesNotExist needs it absent. A missing or empty selector matches every namespace. An
 * operator the apiserver would have refused is treated as holding: we do not claim an
 * exclusion we cannot prove.
 */
final class KubeSystemExclusion {

	/**
	 * The label the apiserver sets on every namespace (1.21 and later): what is known of
	 * kube-system's labels when they cannot be read.
	 */
	static final Map<String, String> KNOWN_LABELS = Map.of("kubernetes.io/metadata.name", "kube-system");

	private KubeSystemExclusion() {
	}

	/** Whether the selector keeps a namespace with these labels out; null never does. */
	static boolean excludes(V1LabelSelector selector, Map<String, String> namespaceLabels) {
		return excludes(selector, namespaceLabels, true);
	}

	/**
	 * As {@link #excludes(V1LabelSelector, Map)}; with {@code complete} false only the
	 * given labels are known, and a pair or requirement on any other key may hold, so it
	 * proves no exclusion.
	 */
	static boolean excludes(V1LabelSelector selector, Map<String, String> namespaceLabels, boolean complete) {
		return selector != null && !matches(selector, namespaceLabels, complete);
	}

	static boolean matches(V1LabelSelector selector, Map<String, String> labels) {
		return matches(selector, labels, true);
	}

	private static boolean matches(V1LabelSelector selector, Map<String, String> labels, boolean complete) {
		Map<String, String> matchLabels = selector.getMatchLabels();
		if (matchLabels != null) {
			for (Map.Entry<String, String> pair : matchLabels.entrySet()) {
				boolean unknown = !complete && !labels.containsKey(pair.getKey());
				if (!unknown && (!labels.containsKey(pair.getKey())
						|| !Objects.equals(pair.getValue(), labels.get(pair.getKey())))) {
					return false;
				}
			}
		}
		List<V1LabelSelectorRequirement> requirements = selector.getMatchExpressions();
		if (requirements != null) {
			for (V1LabelSelectorRequirement requirement : requirements) {
				boolean unknown = !complete
						&& (requirement.getKey() == null || !labels.containsKey(requirement.getKey()));
				if (!unknown && !holds(requirement, labels)) {
					return false;
				}
			}
		}
		return true;
	}

	private static boolean holds(V1LabelSelectorRequirement requirement, Map<String, String> labels) {
		String key = requirement.getKey();
		List<String> values = (requirement.getValues() != null) ? requirement.getValues() : List.of();
		boolean present = key != null && labels.containsKey(key);
		String operator = (requirement.getOperator() != null) ? requirement.getOperator() : "";
		return switch (operator) {
			case "In" -> present && values.contains(labels.get(key));
			case "NotIn" -> !present || !values.contains(labels.get(key));
			case "Exists" -> present;
			case "DoesNotExist" -> !present;
			default -> true;
		};
	}

}
