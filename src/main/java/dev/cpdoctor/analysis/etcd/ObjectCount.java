package dev.cpdoctor.analysis.etcd;

import java.util.Objects;

/**
 * How many objects of one resource etcd holds.
 *
 * @param group API group, "" for the core group
 * @param resource plural resource name without the group ("pods", "ephemeralreports")
 * @param count null when the apiserver reports -1 (it could not fetch the count):
 * unknown, not zero
 */
public record ObjectCount(String group, String resource, Long count) {

	/**
	 * Above this many objects of one type, etcd and every LIST of it get risky
	 * (DOMAIN.md).
	 */
	public static final long RISKY_COUNT = 10_000;

	public ObjectCount {
		group = (group != null) ? group : "";
		Objects.requireNonNull(resource, "resource");
		if (count != null && count < 0) {
			count = null;
		}
	}

	public boolean isRisky() {
		return this.count != null && this.count > RISKY_COUNT;
	}

	/** "pods", "ephemeralreports.reports.kyverno.io". */
	public String qualifiedName() {
		return this.group.isEmpty() ? this.resource : this.resource + "." + this.group;
	}

}
