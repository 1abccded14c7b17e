package dev.cpdoctor.analysis.etcd;

/**
 * The DB size one etcd endpoint (or storage cluster) reports.
 *
 * @param dbSizeBytes null when the apiserver reported -1 (unknown)
 */
public record EtcdMember(String member, Long dbSizeBytes) {
}
