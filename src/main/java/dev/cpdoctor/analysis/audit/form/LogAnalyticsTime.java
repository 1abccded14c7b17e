package dev.cpdoctor.analysis.audit.form;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Log Analytics datetime as the event parser reads timestamps (RFC 3339, UTC): the
 * API's and JSON exports' ISO-8601 text passes as it is; the portal's CSV export writes
 * the UTC time as people read it in the US ("11/22/2026, 10:00:00.123 AM"), which is
 * turned into ISO-8601.
 */
final class LogAnalyticsTime {

	private static final Pattern PORTAL = Pattern
		.compile("\\d{1,2}/\\d{1,2}/\\d{4},? \\d{1,2}:\\d{2}:\\d{2}(\\.\\d{1,9})? [AP]M");

	private static final DateTimeFormatter PORTAL_FORMAT = DateTimeFormatter
		.ofPattern("M/d/yyyy[,] h:mm:ss[.SSSSSSSSS][.SSSSSSS][.SSSSSS][.SSS][.SS][.S] a", Locale.US);

	private LogAnalyticsTime() {
	}

	/** The time as ISO-8601 where it is the portal's text; anything else as it is. */
	static String iso(String text) {
		if (text == null || !PORTAL.matcher(text).matches()) {
			return text;
		}
		try {
			return LocalDateTime.parse(text, PORTAL_FORMAT).toInstant(ZoneOffset.UTC).toString();
		}
		catch (DateTimeParseException ex) {
			return text; // the event parser counts it as no usable timestamp
		}
	}

}
