package dev.cpdoctor.analysis.audit;

/** One row of "top user agents by request count". */
public record UserAgentRequests(String userAgent, long requests) {
}
