package dev.cpdoctor.source.auditlog;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log-file tailer across restarts: rotation by rename and by copytruncate while the
 * application runs and while it is stopped. Each test starts its own two applications on
 * one data directory, one after the other; each line must count exactly once.
 */
class AuditLogTailerRestartTests {

	@TempDir
	Path dataDir;

	@TempDir
	Path logDir;

	/**
	 * Two applications: the second resumes from the checkpoint the first stored, past a
	 * rotation made while none ran.
	 */
	@Test
	void renameRotationReadsTheOldFilesTailThenTheNewFileAcrossARestart() throws Exception {
		TailedLog log = new TailedLog("kubeadm", this.logDir);
		List<String> lines = TailedLog.lines(22, 900);
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			log.append(lines.subList(0, 300));
			assertThat(log.counted(app)).isEqualTo(300);
			// Written after the last read, then rotated away as the apiserver's own
			// rotation does.
			log.append(lines.subList(300, 400));
			Files.move(log.file(), log.dir().resolve("audit-2026-11-22T10-30-00.000.log"));
			log.append(lines.subList(400, 500));
			assertThat(log.counted(app)).isEqualTo(500);
			assertThat(log.status(app).rotations()).isEqualTo(1);
			// Stopped; meanwhile more lines and another rotation.
			log.append(lines.subList(500, 600));
		}
		Files.move(log.file(), log.dir().resolve("audit-2026-11-22T10-40-00.000.log"));
		log.append(lines.subList(600, 900));
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			assertThat(log.counted(app)).isEqualTo(900);
			assertThat(log.counted(app)).isEqualTo(900);
			assertThat(log.status(app).tailsLost()).isZero();
		}
	}

	/**
	 * Two applications: the second resumes from the checkpoint the first stored, past a
	 * copytruncate made while none ran.
	 */
	@Test
	void copytruncateRotationReadsTheCopysTailAndTheTruncatedFileFromItsStart() throws Exception {
		TailedLog log = new TailedLog("kubeadm", this.logDir);
		List<String> lines = TailedLog.lines(23, 1000);
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			log.append(lines.subList(0, 400));
			assertThat(log.counted(app)).isEqualTo(400);
			// logrotate copytruncate: copy, truncate in place, the apiserver goes on
			// writing.
			log.append(lines.subList(400, 450));
			log.copytruncate("audit.log.1", StandardCopyOption.COPY_ATTRIBUTES);
			// shorter than what was read: the file shrank
			log.append(lines.subList(450, 470));
			assertThat(log.counted(app)).isEqualTo(470);
			assertThat(log.status(app).rotations()).isEqualTo(1);
			// Again, but the file regrows past the old offset before the next read: its
			// head changed.
			log.append(lines.subList(470, 480));
			log.copytruncate("audit.log.2");
			log.append(lines.subList(480, 800));
			assertThat(log.counted(app)).isEqualTo(800);
			assertThat(log.status(app).rotations()).isEqualTo(2);
		}
		// And once while stopped.
		log.append(lines.subList(800, 850));
		log.copytruncate("audit.log.3");
		log.append(lines.subList(850, 1000));
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			assertThat(log.counted(app)).isEqualTo(1000);
			assertThat(log.status(app).tailsLost()).isZero();
		}
	}

	/**
	 * Two applications: the second finds, from the first's checkpoint, files rotated away
	 * while none ran.
	 */
	@Test
	void severalRotationsWhileStoppedAreAllReadInOrder() throws Exception {
		TailedLog log = new TailedLog("kubeadm", this.logDir);
		List<String> lines = TailedLog.lines(27, 800);
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			log.append(lines.subList(0, 100));
			assertThat(log.counted(app)).isEqualTo(100);
			log.append(lines.subList(100, 150)); // unread when stopped
		}
		// Rename rotation twice and copytruncate once while stopped (a busy apiserver
		// with a small
		// --audit-log-maxsize, or logrotate): every file in between was never seen.
		Files.move(log.file(), log.dir().resolve("audit-2026-11-22T10-00-00.000.log"));
		Thread.sleep(20);
		log.append(lines.subList(150, 300));
		Files.move(log.file(), log.dir().resolve("audit-2026-11-22T10-10-00.000.log"));
		Thread.sleep(20);
		log.append(lines.subList(300, 500));
		log.copytruncate("audit.log.1");
		Thread.sleep(20);
		log.append(lines.subList(500, 800));
		// left alone
		Files.writeString(log.dir().resolve("kube-apiserver.log"), "not an audit log\n");
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			assertThat(log.counted(app)).isEqualTo(800);
			assertThat(log.status(app).rotations()).isEqualTo(3);
			assertThat(log.status(app).tailsLost()).isZero();
			assertThat(app.bean(AuditReceivers.class).quality(log.cluster()).orElseThrow())
				.satisfies((q) -> assertThat(((SourceResult.Ok<AuditDataQuality>) q).value().problems()).isEmpty());
		}
	}

	/**
	 * Two applications: the second starts from nothing but the first's checkpoint (no
	 * memory of counted requests).
	 */
	@Test
	void aCheckpointAtAnEmptyFileDoesNotTakeAnOlderBackupForItsRotatedSelf() throws Exception {
		TailedLog log = new TailedLog("kubeadm", this.logDir);
		List<String> lines = TailedLog.lines(26, 200);
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			log.append(lines.subList(0, 100));
			assertThat(log.counted(app)).isEqualTo(100);
			Files.move(log.file(), log.dir().resolve("audit.log.1"));
			Files.createFile(log.file());
			// now at offset 0 of an empty file
			assertThat(log.counted(app)).isEqualTo(100);
		}
		// While stopped (so no memory of counted requests helps), that empty file is
		// rotated and compressed away, and a new one gets lines.
		Files.move(log.file(), log.dir().resolve("audit.log.2"));
		// created first: a new inode, not the deleted one's
		log.append(lines.subList(100, 200));
		Files.delete(log.dir().resolve("audit.log.2"));
		try (TestApp app = TestApp.start(TailedLog.properties(this.dataDir, log))) {
			assertThat(log.counted(app)).isEqualTo(200);
		}
	}

}
