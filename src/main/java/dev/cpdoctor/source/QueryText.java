package dev.cpdoctor.source;

import java.time.Duration;

import dev.cpdoctor.analysis.TimeWindow;

/**
 * The exact query a source sends for each audit question, for "Show KQL": an SRE pastes
 * it into the portal and sees the same numbers.
 */
public interface QueryText {

	String topUserAgents(TimeWindow window, int limit, boolean documented);

	String latency(TimeWindow window, Duration bin, int top, boolean documented);

	String p99(TimeWindow window, String userAgent, boolean documented);

}
