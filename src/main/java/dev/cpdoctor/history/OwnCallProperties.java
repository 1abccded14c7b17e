package dev.cpdoctor.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The record of the dashboard's own calls to apiservers, prefix
 * {@code cpdoctor.own-calls}.
 *
 * @param retention calls older than this are deleted (by the history retention run)
 * @param flushInterval recorded calls wait in memory at most this long before they are
 * written
 * @param flushRows a batch is written as soon as this many calls wait
 * @param buffer at most this many calls wait in memory; more are dropped and counted,
 * never waited for
 * @param readLimit the most calls one question reads: the newest of a long window of a
 * busy cluster
 */
@ConfigurationProperties("cpdoctor.own-calls")
public record OwnCallProperties(@DefaultValue("30d") Duration retention, @DefaultValue("2s") Duration flushInterval,
		@DefaultValue("500") int flushRows, @DefaultValue("10000") int buffer, @DefaultValue("50000") int readLimit) {

	/**
	 * A question's rows are held in memory while it is answered: a million is about 100
	 * MB.
	 */
	public static final int MAX_READ_LIMIT = 1_000_000;

	public OwnCallProperties {
		if (retention.isNegative() || retention.isZero()) {
			throw new IllegalArgumentException("cpdoctor.own-calls.retention must be positive, got " + retention);
		}
		if (flushInterval.compareTo(Duration.ofMillis(100)) < 0) {
			throw new IllegalArgumentException(
					"cpdoctor.own-calls.flush-interval must be at least 100ms, got " + flushInterval);
		}
		if (flushRows < 1 || buffer < flushRows) {
			throw new IllegalArgumentException(
					"cpdoctor.own-calls: 1 <= flush-rows <= buffer, got " + flushRows + " and " + buffer);
		}
		if (readLimit < 1 || readLimit > MAX_READ_LIMIT) {
			throw new IllegalArgumentException(
					"cpdoctor.own-calls.read-limit must be between 1 and " + MAX_READ_LIMIT + ", got " + readLimit);
		}
	}

}
