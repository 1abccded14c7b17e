package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.audit.form.ExpandedTooLarge;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;

/**
 * Follows an apiserver audit log (--audit-log-path, JSON lines) and counts each whole
 * line once.
 * <p>
 * The position is a checkpoint stored with the rollups of the lines before it, in the
 * same transaction: after a restart the tailer resumes exactly there. The file being
 * followed is known by its file key (inode) and a hash of its first bytes, so rotation is
 * recognised both ways:
 * <ul>
 * <li>rename (the apiserver's own --audit-log-maxsize rotation, logrotate's default): the
 * old file is found beside the new one by its key and head, its unread tail is read, then
 * the new file from its start;</li>
 * <li>copytruncate: the file shrinks or its head changes; the copy is found beside it by
 * its head, its unread tail is read, then the truncated file from its start.</li>
 * </ul>
 * A rotated file gzipped before its tail was read (logrotate's compress, the apiserver's
 * --audit-log-compress) is read through gzip. A tail that cannot be found (deleted,
 * compressed otherwise) is reported as lost on the data-quality panel. Finding the files
 * is {@link RotatedFiles}' part, reading them {@link AuditLogReader}'s.
 */
public final class AuditLogTailer {

	private static final Logger log = LoggerFactory.getLogger(AuditLogTailer.class);

	private final String cluster;

	private final Path path;

	private final AuditRollupWriter store;

	private final Clock clock;

	private final RotatedFiles rotatedFiles;

	private final AuditLogReader reader;

	private boolean loaded;

	private volatile long rotations;

	private volatile long tailsLost;

	private volatile String lastError;

	/**
	 * A rotated file's tail lost in this poll: the poll's error even when the log reads.
	 */
	private String rotationProblem;

	/**
	 * @param chunkBytes the most bytes read and stored per transaction (also the longest
	 * line)
	 */
	public AuditLogTailer(String cluster, Path path, AuditIngest ingest, AuditRollupWriter store, int chunkBytes,
			Clock clock) {
		this.cluster = cluster;
		this.path = path.toAbsolutePath().normalize();
		this.store = store;
		this.clock = clock;
		this.rotatedFiles = new RotatedFiles(this.path);
		this.reader = new AuditLogReader(this.path, ingest, chunkBytes, clock);
	}

	public Path path() {
		return this.path;
	}

	/**
	 * For tests: something to do (a rotation) after a chunk is parsed and before it is
	 * stored.
	 */
	void afterParse(Runnable action) {
		this.reader.afterParse(action);
	}

	/**
	 * Reads what was written since the last poll, rotations included. One caller at a
	 * time.
	 */
	public synchronized void poll() {
		this.rotationProblem = null;
		try {
			if (!this.loaded) {
				this.reader.moveTo(this.store.checkpoint(this.cluster, key()).orElse(null));
				this.loaded = true;
			}
			if (!Files.isRegularFile(this.path)) {
				this.lastError = "No audit log at " + this.path + " yet";
				return;
			}
			AuditLogCheckpoint checkpoint = this.reader.checkpoint();
			if (checkpoint == null) {
				FileIdentity current = FileIdentity.of(this.path, 0);
				this.reader.moveTo(
						new AuditLogCheckpoint(key(), current.fileKey(), current.headHash(), current.headLength(), 0));
			}
			else if (this.rotatedFiles.rotatedAway(checkpoint)) {
				finishRotated(checkpoint);
				FileIdentity fresh = FileIdentity.of(this.path, 0);
				startAt(new AuditLogCheckpoint(key(), fresh.fileKey(), fresh.headHash(), 0, 0));
				this.rotations++;
			}
			this.reader.read(this.path, false);
			// a tail lost to rotation stays the poll's error, though the log itself was
			// read
			this.lastError = this.rotationProblem;
		}
		catch (IOException | UncheckedIOException ex) {
			// A chunk being stored when the read failed may have failed too (or committed
			// while reported failed): the position is read from the database again either
			// way.
			this.loaded = false;
			this.lastError = "Reading " + this.path + " failed: " + ex.getMessage();
			log.warn("Audit log tailer of cluster '{}': {}", this.cluster, this.lastError);
		}
		catch (RuntimeException ex) {
			// Reload the position from the database next time: a commit that reported
			// failure may still have happened.
			this.loaded = false;
			this.lastError = "Storing audit events from " + this.path + " failed: " + ex.getMessage();
			log.warn("Audit log tailer of cluster '{}'", this.cluster, ex);
		}
	}

	/**
	 * The file the checkpoint points into was rotated away: read its tail where it now
	 * lives, then the files rotated after it.
	 */
	private void finishRotated(AuditLogCheckpoint checkpoint) throws IOException {
		Optional<Path> rotated = this.rotatedFiles.holdingTail(checkpoint);
		if (rotated.isEmpty()) {
			log.warn("Audit log of cluster '{}' rotated; the rest of the previous file (after byte {}) was not found"
					+ " beside it", this.cluster, checkpoint.offset());
			this.tailsLost++;
			this.rotationProblem = "Rotated file not found: its lines after byte " + checkpoint.offset()
					+ " (if any) were not read";
			return;
		}
		readRotated(rotated.get());
		log.info("Audit log of cluster '{}' rotated: read {} remaining bytes of {}", this.cluster,
				this.reader.checkpoint().offset() - checkpoint.offset(), rotated.get());
		readLaterRotations(Files.getLastModifiedTime(rotated.get()));
	}

	/**
	 * Files rotated after the one just finished, before the current log (several
	 * rotations while the dashboard was down or between polls): never read, so read
	 * whole, oldest first. Each is the checkpoint's file while it is read, so a restart
	 * midway resumes inside it.
	 */
	private void readLaterRotations(FileTime after) throws IOException {
		RotatedFiles.Later later = this.rotatedFiles.rotatedAfter(after);
		for (Path file : later.compressed()) {
			this.tailsLost++;
			this.rotationProblem = "A later rotated file is compressed other than by gzip and was not read: " + file;
		}
		for (Path file : later.files()) {
			FileIdentity identity = FileIdentity.ofContent(file, FileIdentity.HEAD_BYTES);
			startAt(new AuditLogCheckpoint(key(), identity.fileKey(), identity.headHash(), identity.headLength(), 0));
			readRotated(file);
			this.rotations++;
			log.info("Audit log of cluster '{}': read {} bytes of {}, rotated while not followed", this.cluster,
					this.reader.checkpoint().offset(), file);
		}
	}

	/**
	 * Reads a rotated file to its end (through gzip when it was gzipped); one whose gzip
	 * expands like a bomb is counted as a lost tail rather than blocking every poll.
	 */
	private void readRotated(Path file) throws IOException {
		try {
			this.reader.read(file, true);
		}
		catch (ExpandedTooLarge ex) {
			this.tailsLost++;
			this.rotationProblem = "Rotated file " + file + " was not read: " + ex.getMessage();
			log.warn("Audit log tailer of cluster '{}': {}", this.cluster, this.rotationProblem);
		}
	}

	/** Moves the checkpoint to the start of another file, stored at once. */
	private void startAt(AuditLogCheckpoint checkpoint) {
		this.reader.moveTo(checkpoint);
		this.store.saveCheckpoint(this.cluster, checkpoint, this.clock.instant());
	}

	private String key() {
		return this.path.toString();
	}

	public AuditDataQuality.Tailer status() {
		AuditLogCheckpoint at = this.reader.checkpoint();
		return new AuditDataQuality.Tailer(this.path.toString(), (at != null) ? at.offset() : 0, this.reader.fileSize(),
				this.rotations, this.tailsLost, this.reader.longLines(), this.reader.lastReadAt(), this.lastError);
	}

}
