package dev.cpdoctor.source.apiserver;

import java.util.List;

import io.kubernetes.client.openapi.models.V1ObjectMeta;

/**
 * Null-safe reads of the Kubernetes client's models, which leave every field the
 * apiserver did not send null.
 */
final class ModelValues {

	private ModelValues() {
	}

	/** An object's name; empty when it has none. */
	static String name(V1ObjectMeta metadata) {
		return (metadata != null && metadata.getName() != null) ? metadata.getName() : "";
	}

	static String orEmpty(String value) {
		return (value != null) ? value : "";
	}

	static <T> List<T> orEmpty(List<T> list) {
		return (list != null) ? list : List.of();
	}

}
