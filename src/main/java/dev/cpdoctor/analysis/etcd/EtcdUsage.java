package dev.cpdoctor.analysis.etcd;

import java.time.Instant;
import java.util.Locale;

/**
 * The etcd DB size against the quota.
 *
 * @param sizeMetric where the size came from
 * @param dbSizeBytes the DB size
 * @param quotaBytes the quota it is measured against
 * @param usedFraction dbSize / quota (may exceed 1)
 * @param sampledAt when the size was sampled
 */
public record EtcdUsage(String sizeMetric, long dbSizeBytes, long quotaBytes, double usedFraction, Instant sampledAt) {

	/** The gauge's bands, at 60, 80 and 95 % of the quota. */
	public enum Band {

		OK, ELEVATED, HIGH, CRITICAL;

		/** "ok", "critical": for CSS classes, the same in every locale. */
		public String cssName() {
			return name().toLowerCase(Locale.ROOT);
		}

		static Band of(double usedFraction) {
			if (usedFraction >= 0.95) {
				return CRITICAL;
			}
			if (usedFraction >= 0.80) {
				return HIGH;
			}
			if (usedFraction >= 0.60) {
				return ELEVATED;
			}
			return OK;
		}

	}

	public static EtcdUsage of(String sizeMetric, long dbSizeBytes, long quotaBytes, Instant sampledAt) {
		if (quotaBytes <= 0) {
			throw new IllegalArgumentException("quota must be positive, got " + quotaBytes);
		}
		if (dbSizeBytes < 0) {
			throw new IllegalArgumentException("DB size must not be negative, got " + dbSizeBytes);
		}
		return new EtcdUsage(sizeMetric, dbSizeBytes, quotaBytes, (double) dbSizeBytes / quotaBytes, sampledAt);
	}

	public Band band() {
		return Band.of(this.usedFraction);
	}

}
