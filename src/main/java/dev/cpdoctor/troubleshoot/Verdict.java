package dev.cpdoctor.troubleshoot;

/** How a cause stands against the evidence gathered for one cluster and window. */
public enum Verdict {

	/** The evidence points at it: start here. */
	LIKELY,

	/** Some signs, not enough to call it. */
	POSSIBLE,

	/** The evidence was read and shows none of its signs. */
	UNLIKELY,

	/**
	 * Nothing to judge by: the source failed, is not configured, or the cause has no live
	 * evidence yet.
	 */
	UNKNOWN

}
