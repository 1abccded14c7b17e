package dev.cpdoctor.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long history is kept, prefix {@code cpdoctor.history}.
 *
 * @param retention samples older than this are deleted
 * @param downsampleAfter samples older than this are thinned to one per
 * {@code downsampleTo}
 * @param downsampleTo the resolution of old history: the last sample of each step is kept
 * @param cleanupInterval how often retention and downsampling run
 */
@ConfigurationProperties("cpdoctor.history")
public record HistoryProperties(@DefaultValue("90d") Duration retention, @DefaultValue("7d") Duration downsampleAfter,
		@DefaultValue("1h") Duration downsampleTo, @DefaultValue("1h") Duration cleanupInterval) {

	public HistoryProperties {
		if (downsampleAfter.compareTo(retention) > 0) {
			throw new IllegalArgumentException("cpdoctor.history.downsample-after (" + downsampleAfter
					+ ") must not exceed cpdoctor.history.retention (" + retention + ")");
		}
		if (downsampleTo.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException(
					"cpdoctor.history.downsample-to must be at least 1m, got " + downsampleTo);
		}
	}

}
