package dev.cpdoctor.source;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a source answered: a value (with warnings, e.g. partial data) or the reason it
 * could not. Sources never throw at the pages; a failed panel shows the reason and the
 * page still renders.
 */
public sealed interface SourceResult<T> {

	record Ok<T>(T value, List<String> warnings) implements SourceResult<T> {

		public Ok {
			Objects.requireNonNull(value, "value");
			warnings = List.copyOf(warnings);
		}

	}

	record Failed<T>(String reason) implements SourceResult<T> {

		public Failed {
			Objects.requireNonNull(reason, "reason");
		}

	}

	static <T> SourceResult<T> ok(T value) {
		return new Ok<>(value, List.of());
	}

	static <T> SourceResult<T> failed(String reason) {
		return new Failed<>(reason);
	}

	/**
	 * The first line of an outside system's error message, fit for a panel; "no message"
	 * for none.
	 */
	static String firstLine(String message) {
		if (message == null) {
			return "no message";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message : message.substring(0, newline);
	}

	/** The same outcome with the value transformed; a failure stays the same failure. */
	default <R> SourceResult<R> map(Function<? super T, ? extends R> mapper) {
		if (this instanceof Ok<T> ok) {
			return new Ok<>(mapper.apply(ok.value()), ok.warnings());
		}
		return new Failed<>(((Failed<T>) this).reason());
	}

}
