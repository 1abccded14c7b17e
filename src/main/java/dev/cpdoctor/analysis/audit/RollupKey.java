package dev.cpdoctor.analysis.audit;

import java.time.Instant;

/**
 * One rollup cell: the minute the requests were received in and what they were.
 *
 * @param minute requestReceivedTimestamp truncated to the minute
 * @param resource the qualified resource ("pods", "deployments.apps", "pods/log")
 * @param codeClass responseStatus.code / 100; 0 when the request never showed a code
 */
public record RollupKey(Instant minute, String userAgent, String verb, String resource, int codeClass) {
}
