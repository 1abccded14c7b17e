package dev.cpdoctor.support;

import java.time.Duration;

/** Durations as pages and messages say them: "30 d", "3 h", "5 min". */
public final class Durations {

	private Durations() {
	}

	/** Whole days, else whole hours, else minutes. */
	public static String describe(Duration duration) {
		if (duration.toDays() > 0 && duration.toHours() % 24 == 0) {
			return duration.toDays() + " d";
		}
		if (duration.toHours() > 0 && duration.toMinutes() % 60 == 0) {
			return duration.toHours() + " h";
		}
		return duration.toMinutes() + " min";
	}

}
