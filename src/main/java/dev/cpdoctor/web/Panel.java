package dev.cpdoctor.web;

import java.util.List;

import dev.cpdoctor.source.SourceResult;

/**
 * What a page panel renders: the value, or the reason its source failed; warnings either
 * way.
 */
public record Panel<T>(T value, String error, List<String> warnings) {

	public static <T> Panel<T> of(SourceResult<T> result) {
		if (result instanceof SourceResult.Ok<T> ok) {
			return new Panel<>(ok.value(), null, ok.warnings());
		}
		return new Panel<>(null, ((SourceResult.Failed<T>) result).reason(), List.of());
	}

	public static <T> Panel<T> failed(String error) {
		return new Panel<>(null, error, List.of());
	}

	public boolean ok() {
		return this.error == null;
	}

}
