package dev.cpdoctor.history;

/**
 * Where a log-file tailer stopped: the file's identity (its key and the hash of its first
 * {@code headLength} bytes) and the offset after the last whole line read. Stored with
 * the rollups of the lines before it, in the same transaction.
 */
public record AuditLogCheckpoint(String path, String fileKey, String headHash, int headLength, long offset) {
}
