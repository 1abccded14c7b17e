package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.source.auditlog.AuditLogTailerTests.RecordingStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotated files gzipped before the tailer read them (logrotate's compress, the
 * apiserver's --audit-log-compress): the unread tail is read through gzip from the
 * checkpoint's offset in the expanded bytes, later rotations gzipped whole are read
 * whole, and a lost tail stays the poll's error. A store that records what is counted
 * stands in for the database.
 */
class AuditLogTailerGzipTests {

	@TempDir
	Path dir;

	private final Clock clock = Clock.systemUTC();

	private RecordingStore store = new RecordingStore();

	private AuditLogTailer tailer(Path log, int chunkBytes) {
		AuditIngest ingest = new AuditIngest("kubeadm", this.store, AuditStream.Limits.defaults(), 4, this.clock);
		return new AuditLogTailer("kubeadm", log, ingest, this.store, chunkBytes, this.clock);
	}

	private static void append(Path file, List<String> lines) throws IOException {
		Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	/**
	 * logrotate with compress: renamed, gzipped beside the log, the plain copy removed.
	 */
	private static Path gzipAway(Path file, Path gz) throws IOException {
		try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
			Files.copy(file, out);
		}
		Files.delete(file);
		return gz;
	}

	@Test
	void aRotatedFileGzippedBeforeItsTailWasReadLosesNoLine() throws IOException {
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(31, 700);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 100));
		tailer.poll();
		assertThat(this.store.requests).isEqualTo(100);
		append(log, lines.subList(100, 457)); // 357 lines the tailer has not read yet
		Path rotated = this.dir.resolve("audit.log.1");
		Files.move(log, rotated);
		gzipAway(rotated, this.dir.resolve("audit.log.1.gz"));
		append(log, lines.subList(457, 700));
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(tailer.status().tailsLost()).isZero();
		assertThat(this.store.requests).isEqualTo(700);
		assertThat(tailer.status().offset()).isEqualTo(Files.size(log));
	}

	@Test
	void aStoreThatFailsInsideTheGzippedTailResumesAtItsOffsetInTheExpandedBytes() throws IOException {
		this.store = new RecordingStore(7);
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(34, 700);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 100));
		tailer.poll();
		assertThat(this.store.offsets).as("the first 100 lines in fewer chunks than the failing call")
			.hasSizeLessThan(6);
		append(log, lines.subList(100, 457));
		Files.move(log, this.dir.resolve("audit.log.1"));
		gzipAway(this.dir.resolve("audit.log.1"), this.dir.resolve("audit.log.1.gz"));
		append(log, lines.subList(457, 700));
		tailer.poll();
		assertThat(tailer.status().lastError()).contains("database gone");
		assertThat(this.store.requests).isLessThan(457);
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(this.store.requests).isEqualTo(700);
		assertThat(tailer.status().tailsLost()).isZero();
	}

	@Test
	void aLineLongerThanAChunkInTheGzippedTailIsSkippedAndCounted() throws IOException {
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(35, 200);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 50));
		tailer.poll();
		append(log, lines.subList(50, 100));
		append(log, List.of("{\"auditID\":\"huge\",\"userAgent\":\"" + "y".repeat(40_000) + "\"}\n"));
		append(log, lines.subList(100, 150));
		Files.move(log, this.dir.resolve("audit.log.1"));
		gzipAway(this.dir.resolve("audit.log.1"), this.dir.resolve("audit.log.1.gz"));
		append(log, lines.subList(150, 200));
		tailer.poll();
		assertThat(this.store.requests).isEqualTo(200);
		assertThat(tailer.status().longLines()).isEqualTo(1);
		assertThat(tailer.status().lastError()).isNull();
	}

	@Test
	void aGzipStillBeingWrittenIsReadUpToItsCutAndOnOnceComplete() throws IOException {
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(36, 600);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 100));
		tailer.poll();
		append(log, lines.subList(100, 500));
		Files.move(log, this.dir.resolve("audit.log.1"));
		Path gz = gzipAway(this.dir.resolve("audit.log.1"), this.dir.resolve("audit.log.1.gz"));
		byte[] complete = Files.readAllBytes(gz);
		Files.write(gz, Arrays.copyOf(complete, complete.length * 2 / 3));
		append(log, lines.subList(500, 600));
		tailer.poll();
		assertThat(tailer.status().lastError()).contains("gzip damaged or cut short");
		assertThat(this.store.requests).isBetween(101L, 499L);
		Files.write(gz, complete);
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(this.store.requests).isEqualTo(600);
		assertThat(tailer.status().tailsLost()).isZero();
	}

	@Test
	void laterRotationsGzippedWhileNotFollowedAreReadWhole() throws IOException {
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(32, 600);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 100));
		tailer.poll();
		append(log, lines.subList(100, 200));
		Files.move(log, this.dir.resolve("audit-2026-11-22T10-00-00.000.log"));
		Files.setLastModifiedTime(this.dir.resolve("audit-2026-11-22T10-00-00.000.log"),
				FileTime.from(Instant.now().minusSeconds(60)));
		append(log, lines.subList(200, 450));
		Path second = this.dir.resolve("audit-2026-11-22T10-05-00.000.log");
		Files.move(log, second);
		gzipAway(second, this.dir.resolve("audit-2026-11-22T10-05-00.000.log.gz"));
		append(log, lines.subList(450, 600));
		tailer.poll();
		assertThat(tailer.status().tailsLost()).isZero();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(this.store.requests).isEqualTo(600);
	}

	@Test
	void aTailThatIsGoneStaysThePollsErrorThoughTheNewLogIsRead() throws IOException {
		Path log = this.dir.resolve("audit.log");
		List<String> lines = TailedLog.lines(33, 300);
		AuditLogTailer tailer = tailer(log, 16 * 1024);
		append(log, lines.subList(0, 100));
		tailer.poll();
		append(log, lines.subList(100, 150));
		Files.move(log, this.dir.resolve("audit.log.1"));
		Files.writeString(this.dir.resolve("audit.log.1.bz2"), "BZh9", StandardCharsets.US_ASCII);
		Files.delete(this.dir.resolve("audit.log.1"));
		append(log, lines.subList(150, 300));
		tailer.poll();
		assertThat(this.store.requests).isEqualTo(250);
		assertThat(tailer.status().tailsLost()).isEqualTo(1);
		assertThat(tailer.status().lastError()).contains("Rotated file not found", "after byte");
	}

}
