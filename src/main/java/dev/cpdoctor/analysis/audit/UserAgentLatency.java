package dev.cpdoctor.analysis.audit;

import java.util.List;

/**
 * The latency timechart series of one user agent, or of all the others.
 *
 * @param userAgent the user agent, or {@value AuditRollup#OTHER} for the rest
 * @param others true when this series sums every user agent outside the top N: a client
 * may call itself "other", so the label alone does not tell
 * @param points one per bin
 */
public record UserAgentLatency(String userAgent, boolean others, List<LatencyPoint> points) {

	public UserAgentLatency {
		points = List.copyOf(points);
	}

}
