package dev.cpdoctor.analysis;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An absolute, half-open time window [from, to). Every page and query works on one;
 * relative choices such as "last 1 h" are resolved to a TimeWindow before anything is
 * asked of a source, so the same link shows the same data next week.
 */
public record TimeWindow(Instant from, Instant to) {

	/**
	 * A window longer than this is refused: nobody troubleshoots a year in 5-minute bins.
	 */
	public static final Duration MAX_LENGTH = Duration.ofDays(400);

	/** Windows live between these: nothing this product shows is older or newer. */
	public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

	public TimeWindow {
		Objects.requireNonNull(from, "from");
		Objects.requireNonNull(to, "to");
		if (from.isBefore(EARLIEST) || to.isAfter(LATEST)) {
			throw new IllegalArgumentException(
					"The window from " + from + " to " + to + " is not between " + EARLIEST + " and " + LATEST);
		}
		if (!from.isBefore(to)) {
			throw new IllegalArgumentException(
					"The window must end after it starts: from " + from + " is not before to " + to);
		}
		if (Duration.between(from, to).compareTo(MAX_LENGTH) > 0) {
			throw new IllegalArgumentException(
					"The window from " + from + " to " + to + " is longer than " + MAX_LENGTH.toDays() + " days");
		}
	}

	public static TimeWindow ending(Instant to, Duration length) {
		return new TimeWindow(to.minus(length), to);
	}

	public Duration length() {
		return Duration.between(this.from, this.to);
	}

	public boolean contains(Instant instant) {
		return !instant.isBefore(this.from) && instant.isBefore(this.to);
	}

}
