package dev.cpdoctor.source.apiserver;

import java.util.List;
import java.util.Map;

import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ResourceQuota;
import io.kubernetes.client.openapi.models.V1ResourceQuotaSpec;

import dev.cpdoctor.troubleshoot.remedy.ObjectCountQuota;

/**
 * Writes an {@link ObjectCountQuota} as YAML: its leading comment, then one v1
 * ResourceQuota built from the client's typed model with spec.hard
 * {@code count/<resource>.<group>: "<limit>"}.
 */
public final class QuotaYaml {

	private QuotaYaml() {
	}

	public static String render(ObjectCountQuota quota) {
		return ModelYaml.render(quota.comment(), List.of(tree(quota)));
	}

	/**
	 * The model's tree, with the limit as plain digits: the client writes the Quantity
	 * 14000 as "14k", the same to Kubernetes, but the digits read as the comment's 14,000
	 * does.
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> tree(ObjectCountQuota quota) {
		Map<String, Object> tree = ModelYaml.tree(resourceQuota(quota));
		Map<String, Object> hard = (Map<String, Object>) ((Map<String, Object>) tree.get("spec")).get("hard");
		hard.put(quota.quotaKey(), Long.toString(quota.hard()));
		return tree;
	}

	static V1ResourceQuota resourceQuota(ObjectCountQuota quota) {
		return new V1ResourceQuota().apiVersion("v1")
			.kind("ResourceQuota")
			.metadata(new V1ObjectMeta().name(quota.name()).namespace(quota.namespace()))
			.spec(new V1ResourceQuotaSpec().putHardItem(quota.quotaKey(), new Quantity(Long.toString(quota.hard()))));
	}

}
