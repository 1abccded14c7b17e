package dev.cpdoctor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Generated YAML read back as plain YAML 1.1 trees (maps, lists, strings, numbers), no
 * types of ours or the Kubernetes client's: what the apiserver's reader would see.
 */
public final class YamlTrees {

	private YamlTrees() {
	}

	/** Every document of a body, as a plain map. */
	public static List<Map<String, Object>> documents(String yaml) {
		List<Map<String, Object>> documents = new ArrayList<>();
		for (Object document : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
			@SuppressWarnings("unchecked")
			Map<String, Object> map = (Map<String, Object>) document;
			documents.add(map);
		}
		return documents;
	}

	/** The node at a path of map keys and list indexes. */
	@SuppressWarnings("unchecked")
	public static Object at(Object tree, Object... path) {
		Object node = tree;
		for (Object step : path) {
			node = (step instanceof Integer index) ? ((List<Object>) node).get(index)
					: ((Map<String, Object>) node).get(step);
		}
		return node;
	}

}
