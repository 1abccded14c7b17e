package dev.cpdoctor.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.cpdoctor.analysis.audit.UserAgentLabel;

/**
 * Number and time formatting for templates, as {@code ${fmt.bytes(x)}}. UTC everywhere.
 */
public final class Formats {

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	public String bytes(Long bytes) {
		if (bytes == null) {
			return "unknown";
		}
		String[] units = { "B", "KiB", "MiB", "GiB", "TiB" };
		double value = bytes;
		int unit = 0;
		while (Math.abs(value) >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format(Locale.ROOT, "%.2f %s", value, units[unit]);
	}

	/** "+1.50 GiB", "-20.00 MiB". */
	public String signedBytes(Long bytes) {
		return (bytes == null) ? "unknown" : ((bytes >= 0) ? "+" : "-") + bytes(Math.abs(bytes));
	}

	public String bytesPerDay(Double bytes) {
		return (bytes == null) ? "n/a" : ((bytes >= 0) ? "+" : "-") + bytes(Math.round(Math.abs(bytes))) + "/day";
	}

	public String percent(double fraction) {
		return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
	}

	public String count(Long count) {
		return (count == null) ? "unknown" : String.format(Locale.ROOT, "%,d", count);
	}

	/** A counter's increase, rounded: "1,234". */
	public String total(double total) {
		return String.format(Locale.ROOT, "%,d", Math.round(total));
	}

	public String rate(double perSecond) {
		return String.format(Locale.ROOT, "%.2f/s", perSecond);
	}

	/** "+1,234", "-5", "0"; "-" when unknown. */
	public String change(Long change) {
		if (change == null) {
			return "-";
		}
		return (change > 0 ? "+" : "") + String.format(Locale.ROOT, "%,d", change);
	}

	public String ms(Double ms) {
		if (ms == null) {
			return "-";
		}
		return (ms >= 1000) ? String.format(Locale.ROOT, "%.2f s", ms / 1000)
				: String.format(Locale.ROOT, "%.0f ms", ms);
	}

	public String days(Double days) {
		if (days == null) {
			return "not growing";
		}
		return (days > 3650) ? "more than 10 years" : String.format(Locale.ROOT, "%.1f days", days);
	}

	public String instant(Instant instant) {
		return (instant == null) ? "-" : UTC.format(instant);
	}

	public String duration(Duration duration) {
		return ViewState.describe(duration);
	}

	/** Non-resource requests (GET /api, /healthz) have no resource. */
	/** A user agent as shown: "(no user agent)" for none (see {@link UserAgentLabel}). */
	public String userAgent(String userAgent) {
		return UserAgentLabel.of(userAgent);
	}

	public String resource(String resource) {
		return (resource == null || resource.isEmpty()) ? "(non-resource URL)" : resource;
	}

}
