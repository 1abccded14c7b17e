package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.history.AuditLogCheckpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation finding on its own, on files in a directory: whether the log is still the
 * checkpoint's file, which file holds its unread tail, and which files were rotated after
 * it (the names logrotate and the apiserver give them; compressed ones apart).
 */
class RotatedFilesTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	@TempDir
	Path dir;

	private Path write(String name, String text, int minutesAfterT0) throws IOException {
		Path file = this.dir.resolve(name);
		Files.writeString(file, text, StandardCharsets.UTF_8);
		Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(60L * minutesAfterT0)));
		return file;
	}

	private static AuditLogCheckpoint checkpointAt(Path file, long offset) throws IOException {
		FileIdentity identity = FileIdentity.of(file, FileIdentity.HEAD_BYTES);
		return new AuditLogCheckpoint(file.toString(), identity.fileKey(), identity.headHash(), identity.headLength(),
				offset);
	}

	@Test
	void theLogIsRotatedAwayWhenReplacedOrTruncatedNotWhenItGrows() throws IOException {
		Path log = write("audit.log", "{\"a\":1}\n", 0);
		RotatedFiles rotated = new RotatedFiles(log);
		AuditLogCheckpoint checkpoint = checkpointAt(log, Files.size(log));
		Files.writeString(log, "{\"b\":2}\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
		assertThat(rotated.rotatedAway(checkpoint)).isFalse();

		Files.writeString(log, "", StandardCharsets.UTF_8);
		assertThat(rotated.rotatedAway(checkpointAt(log, 0))).isFalse();
		AuditLogCheckpoint beyondTheEnd = new AuditLogCheckpoint(log.toString(), checkpoint.fileKey(),
				FileIdentity.of(log, 0).headHash(), 0, 8);
		assertThat(rotated.rotatedAway(beyondTheEnd)).as("copytruncate: shorter than the offset").isTrue();

		Path other = write("other", "{\"c\":3}\n", 1);
		Files.move(other, log, StandardCopyOption.REPLACE_EXISTING);
		assertThat(rotated.rotatedAway(checkpoint)).as("renamed away: another file at the path").isTrue();
	}

	@Test
	void theTailIsInTheRenamedFileRatherThanInANewerCopyOfItsHead() throws IOException {
		Path log = write("audit.log", "{\"a\":1}\n{\"b\":2}\n", 0);
		AuditLogCheckpoint checkpoint = checkpointAt(log, 8);
		Path renamed = this.dir.resolve("audit.log.1");
		Files.move(log, renamed);
		Path copy = write("audit.log.backup", Files.readString(renamed), 5);
		write("audit.log", "", 6);
		RotatedFiles rotated = new RotatedFiles(log);
		assertThat(rotated.holdingTail(checkpoint)).contains(renamed);

		Files.delete(renamed);
		Path newerCopy = write("audit.log.2", Files.readString(copy), 7);
		assertThat(rotated.holdingTail(checkpoint)).as("copied: the newest copy").contains(newerCopy);

		AuditLogCheckpoint pastEveryCopy = new AuditLogCheckpoint(checkpoint.path(), checkpoint.fileKey(),
				checkpoint.headHash(), checkpoint.headLength(), 1_000);
		assertThat(rotated.holdingTail(pastEveryCopy)).as("no copy as long as the offset").isEmpty();
	}

	@Test
	void laterRotationsAreTheLogsRotatedNamesModifiedAfterTheOneReadOldestFirst() throws IOException {
		Path log = write("audit.log", "", 10);
		write("audit.log.1", "x\n", 1);
		Path third = write("audit.log.3", "x\n", 4);
		Path second = write("audit-2026-11-22T10-02.log", "x\n", 3);
		Path compressed = write("audit.log.4.gz", "x", 5);
		write("kube-apiserver.log", "x\n", 6);
		RotatedFiles.Later later = new RotatedFiles(log).rotatedAfter(FileTime.from(T0.plusSeconds(120)));
		assertThat(later.files()).containsExactly(second, third);
		assertThat(later.compressed()).containsExactly(compressed);
	}

}
