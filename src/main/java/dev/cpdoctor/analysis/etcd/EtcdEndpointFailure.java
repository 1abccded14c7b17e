package dev.cpdoctor.analysis.etcd;

/**
 * An endpoint that did not answer a question: the others' answers still count.
 *
 * @param endpoint the configured client URL
 * @param reason why, in one line
 */
public record EtcdEndpointFailure(String endpoint, String reason) {
}
