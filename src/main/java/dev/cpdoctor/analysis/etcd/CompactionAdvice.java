package dev.cpdoctor.analysis.etcd;

/**
 * Whether old revisions pile up.
 *
 * @param verdict NEEDED, NOT_NEEDED, or UNKNOWN when the compact revision could not be
 * read
 * @param currentRevision the store's revision (null when no member answered)
 * @param compactRevision the last compaction's revision, -1 for never (null when unknown)
 * @param pendingRevisions current minus compact revision (null when unknown)
 * @param explanation one sentence for the page
 */
public record CompactionAdvice(Verdict verdict, Long currentRevision, Long compactRevision, Long pendingRevisions,
		String explanation) {

	public enum Verdict {

		NEEDED, NOT_NEEDED, UNKNOWN

	}

}
