package dev.cpdoctor.analysis.audit;

import java.util.List;

/** The latency timechart series of one user agent (or of "other"). */
public record UserAgentLatency(String userAgent, List<LatencyPoint> points) {

	public UserAgentLatency {
		points = List.copyOf(points);
	}

}
