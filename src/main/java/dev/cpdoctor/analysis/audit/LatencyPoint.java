package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * One bin of a latency timechart.
 *
 * @param at start of the bin
 * @param avgMs average latency of the completed, non-long-running requests in the bin;
 * null when none
 * @param requests requests received in the bin, each counted once
 */
public record LatencyPoint(Instant at, Double avgMs, long requests) {
}
