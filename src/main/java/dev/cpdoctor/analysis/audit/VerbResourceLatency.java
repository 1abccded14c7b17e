package dev.cpdoctor.analysis.audit;

/**
 * One row of "P99 latency by verb and resource" for a user agent.
 *
 * @param p99Ms null when no request in the group carries latency (only watches, say)
 */
public record VerbResourceLatency(String verb, String resource, Double p99Ms, long requests) {
}
