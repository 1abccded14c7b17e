package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.cpdoctor.history.AuditLogCheckpoint;

/**
 * Where a followed audit log's lines went when it was rotated: whether the file at the
 * log's path is still the checkpoint's, which file beside it now holds the checkpoint's
 * unread tail (renamed: the very file; copytruncate: the newest copy of its head), and
 * which files were rotated after that one without ever being read.
 */
final class RotatedFiles {

	private final Path log;

	RotatedFiles(Path log) {
		this.log = log;
	}

	/**
	 * Files rotated after the one whose tail was read, oldest first (gzipped ones among
	 * them, read through gzip), and those of them compressed otherwise (never read), in
	 * the order the directory lists them.
	 */
	record Later(List<Path> files, List<Path> compressed) {
	}

	/**
	 * Whether the file at the log's path is no longer the one the checkpoint points into:
	 * another file (its key or head differ: renamed away) or shorter than the offset
	 * (copytruncate).
	 */
	boolean rotatedAway(AuditLogCheckpoint checkpoint) throws IOException {
		FileIdentity current = FileIdentity.of(this.log, checkpoint.headLength());
		return !current.matches(checkpoint) || Files.size(this.log) < checkpoint.offset();
	}

	/**
	 * A file beside the log (not the log itself) with the checkpoint's head, at least as
	 * long as the offset: renamed, the very file (same key); copied, the newest copy.
	 */
	Optional<Path> holdingTail(AuditLogCheckpoint checkpoint) throws IOException {
		return withHeadOf(checkpoint).stream().max(Comparator.comparing((Path file) -> {
			try {
				return FileIdentity.of(file, 0).fileKey().equals(checkpoint.fileKey()) ? 1 : 0;
			}
			catch (IOException ex) {
				return 0;
			}
		}).thenComparing(RotatedFiles::modified));
	}

	private List<Path> withHeadOf(AuditLogCheckpoint checkpoint) throws IOException {
		List<Path> candidates = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.log.getParent())) {
			for (Path file : files) {
				try {
					if (file.equals(this.log) || !Files.isRegularFile(file)) {
						continue;
					}
					// gzipped since it was read: its expanded size is known only by
					// reading it
					boolean gzip = FileIdentity.isGzip(file);
					if (!gzip && Files.size(file) < checkpoint.offset()) {
						continue;
					}
					FileIdentity identity = FileIdentity.ofContent(file, checkpoint.headLength());
					// An empty head matches every file: then only the very file (same
					// key) will do.
					boolean sameHead = identity.headHash().equals(checkpoint.headHash())
							&& (checkpoint.headLength() > 0 || identity.fileKey().equals(checkpoint.fileKey()));
					if (sameHead) {
						candidates.add(file);
					}
				}
				catch (IOException ex) {
					// unreadable (permissions, vanished): not ours to read; the others
					// still are
				}
			}
		}
		return candidates;
	}

	/**
	 * Files beside the log named as its rotations ("audit.log.1", "audit-2026...") and
	 * modified after {@code after}: rotated while the dashboard was down or between
	 * polls.
	 */
	Later rotatedAfter(FileTime after) throws IOException {
		List<Path> later = new ArrayList<>();
		List<Path> compressed = new ArrayList<>();
		String name = this.log.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.log.getParent())) {
			for (Path file : files) {
				String other = file.getFileName().toString();
				boolean rotatedName = other.startsWith(name + ".") || other.startsWith(stem + "-");
				try {
					if (rotatedName && !file.equals(this.log) && Files.isRegularFile(file)
							&& Files.getLastModifiedTime(file).compareTo(after) > 0) {
						boolean readable = !other.matches(".*\\.(gz|bz2|xz|zst|zip)$")
								|| other.endsWith(".gz") && FileIdentity.isGzip(file);
						(readable ? later : compressed).add(file);
					}
				}
				catch (IOException ex) {
					// vanished or unreadable: not ours to read
				}
			}
		}
		later.sort(Comparator.comparing(RotatedFiles::modified));
		return new Later(later, compressed);
	}

	private static FileTime modified(Path file) {
		try {
			return Files.getLastModifiedTime(file);
		}
		catch (IOException ex) {
			return FileTime.fromMillis(0);
		}
	}

}
