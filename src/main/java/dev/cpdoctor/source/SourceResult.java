package dev.cpdoctor.source;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a source answered: a value (with warnings, e.g. partial data) or the reason it
 * could not. The one failure type from source to page: sources never throw at the
 * diagnosis or the pages, and a panel renders a failed result as its reason while the
 * page still renders.
 */
public sealed interface SourceResult<T> {

	record Ok<T>(T value, List<String> warnings) implements SourceResult<T> {

		public Ok {
			Objects.requireNonNull(value, "value");
			warnings = List.copyOf(warnings);
		}

		@Override
		public String error() {
			return null;
		}

	}

	record Failed<T>(String reason) implements SourceResult<T> {

		public Failed {
			Objects.requireNonNull(reason, "reason");
		}

		@Override
		public T value() {
			return null;
		}

		@Override
		public String error() {
			return this.reason;
		}

		@Override
		public List<String> warnings() {
			return List.of();
		}

	}

	/** The value; null when the source failed. */
	T value();

	/** Why the source could not answer; null when it did. */
	String error();

	/**
	 * What a reader should know about the value (partial, out of date); empty when
	 * failed.
	 */
	List<String> warnings();

	default boolean ok() {
		return this instanceof Ok<T>;
	}

	static <T> SourceResult<T> ok(T value) {
		return new Ok<>(value, List.of());
	}

	static <T> SourceResult<T> ok(T value, List<String> warnings) {
		return new Ok<>(value, warnings);
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
