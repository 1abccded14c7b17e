package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;
import tools.jackson.databind.json.JsonMapper;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.TimeWindow;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.analysis.audit.UserAgentRequests;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupQueries;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log-file tailer against real files: appends, a line still being written, rotation
 * by rename and by copytruncate, and restarts in between. Each line must count exactly
 * once.
 */
class AuditLogTailerTests {

	private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

	private static final TimeWindow WINDOW = new TimeWindow(T0, T0.plusSeconds(7200));

	@TempDir
	Path dataDir;

	@TempDir
	Path logDir;

	private Path log() {
		return this.logDir.resolve("audit.log");
	}

	private Map<String, Object> properties() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("cpdoctor.data-dir", this.dataDir.toString());
		properties.put("cpdoctor.clusters[0].name", "kubeadm");
		properties.put("cpdoctor.clusters[0].audit.log-path", log().toString());
		// The test polls; the background poll runs once at start-up and then not for an
		// hour.
		properties.put("cpdoctor.audit.poll-interval", "1h");
		properties.put("cpdoctor.audit.chunk", "64KB");
		return properties;
	}

	/**
	 * Completed requests only (a policy that omits RequestReceived), each line one
	 * request.
	 */
	private static List<String> lines(long seed, int count) {
		AuditTraffic traffic = AuditTraffic.random(seed, 2 * count, 6, T0, 60);
		traffic.requests().removeIf(AuditTraffic.Request::longRunning);
		return traffic.requests()
			.stream()
			.limit(count)
			.map((r) -> AuditTraffic.event(r, "ResponseComplete") + "\n")
			.toList();
	}

	private static void append(Path file, List<String> lines) throws IOException {
		Files.writeString(file, String.join("", lines), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	private static long counted(TestApp app) {
		app.bean(AuditReceivers.class).pollAll();
		List<UserAgentRequests> top = app.bean(AuditRollupQueries.class)
			.userAgentBins("kubeadm", WINDOW, WINDOW.length())
			.topUserAgents(WINDOW, 1000);
		return top.stream().mapToLong(UserAgentRequests::requests).sum();
	}

	/** /actuator/health's audit-ingest indicator of the cluster. */
	private static String health(TestApp app) throws Exception {
		String body = app.get("/actuator/health", "Accept", "application/json").body();
		return JsonMapper.builder()
			.build()
			.readTree(body)
			.at("/components/clusters/components/kubeadm/components/audit-ingest/status")
			.asString();
	}

	private static AuditDataQuality.Tailer status(TestApp app) {
		return app.bean(AuditReceivers.class).tailer("kubeadm").orElseThrow().status();
	}

	@Test
	void appendedLinesCountOnceAndALineStillBeingWrittenWaitsForItsNewline() throws Exception {
		List<String> lines = lines(21, 300);
		try (TestApp app = TestApp.start(properties())) {
			assertThat(counted(app)).isZero();
			assertThat(status(app).lastError()).contains("No audit log");
			assertThat(health(app)).isEqualTo("UNKNOWN");
			append(log(), lines.subList(0, 200));
			assertThat(counted(app)).isEqualTo(200);
			String half = lines.get(200);
			append(log(), List.of(half.substring(0, 150)));
			assertThat(counted(app)).isEqualTo(200);
			append(log(), List.of(half.substring(150)));
			append(log(), lines.subList(201, 300));
			assertThat(counted(app)).isEqualTo(300);
			assertThat(counted(app)).isEqualTo(300);
			assertThat(status(app).offset()).isEqualTo(Files.size(log()));
			assertThat(status(app).lastError()).isNull();
			assertThat(health(app)).isEqualTo("UP");
		}
	}

	@Test
	void renameRotationReadsTheOldFilesTailThenTheNewFileAcrossARestart() throws Exception {
		List<String> lines = lines(22, 900);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 300));
			assertThat(counted(app)).isEqualTo(300);
			// Written after the last read, then rotated away as the apiserver's own
			// rotation does.
			append(log(), lines.subList(300, 400));
			Files.move(log(), this.logDir.resolve("audit-2026-11-22T10-30-00.000.log"));
			append(log(), lines.subList(400, 500));
			assertThat(counted(app)).isEqualTo(500);
			assertThat(status(app).rotations()).isEqualTo(1);
			// Stopped; meanwhile more lines and another rotation.
			append(log(), lines.subList(500, 600));
		}
		Files.move(log(), this.logDir.resolve("audit-2026-11-22T10-40-00.000.log"));
		append(log(), lines.subList(600, 900));
		try (TestApp app = TestApp.start(properties())) {
			assertThat(counted(app)).isEqualTo(900);
			assertThat(counted(app)).isEqualTo(900);
			assertThat(status(app).tailsLost()).isZero();
		}
	}

	@Test
	void copytruncateRotationReadsTheCopysTailAndTheTruncatedFileFromItsStart() throws Exception {
		List<String> lines = lines(23, 1000);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 400));
			assertThat(counted(app)).isEqualTo(400);
			// logrotate copytruncate: copy, truncate in place, the apiserver goes on
			// writing.
			append(log(), lines.subList(400, 450));
			Files.copy(log(), this.logDir.resolve("audit.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
			Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
			append(log(), lines.subList(450, 470)); // shorter than what was read: the
													// file shrank
			assertThat(counted(app)).isEqualTo(470);
			assertThat(status(app).rotations()).isEqualTo(1);
			// Again, but the file regrows past the old offset before the next read: its
			// head changed.
			append(log(), lines.subList(470, 480));
			Files.copy(log(), this.logDir.resolve("audit.log.2"));
			Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
			append(log(), lines.subList(480, 800));
			assertThat(counted(app)).isEqualTo(800);
			assertThat(status(app).rotations()).isEqualTo(2);
		}
		// And once while stopped.
		append(log(), lines.subList(800, 850));
		Files.copy(log(), this.logDir.resolve("audit.log.3"));
		Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
		append(log(), lines.subList(850, 1000));
		try (TestApp app = TestApp.start(properties())) {
			assertThat(counted(app)).isEqualTo(1000);
			assertThat(status(app).tailsLost()).isZero();
		}
	}

	@Test
	void aRotatedFileThatIsGoneIsReportedAndTheNewFileIsStillRead() throws Exception {
		List<String> lines = lines(24, 300);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 100));
			assertThat(counted(app)).isEqualTo(100);
			append(log(), lines.subList(100, 150));
			Files.delete(log()); // rotated and compressed at once: the tail is not
									// readable
			append(log(), lines.subList(150, 300));
			assertThat(counted(app)).isEqualTo(250);
			assertThat(status(app).tailsLost()).isEqualTo(1);
		}
	}

	@Test
	void aRotationWhileAChunkIsParsedLosesNoLine() throws Exception {
		List<String> lines = lines(28, 700);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 100));
			assertThat(counted(app)).isEqualTo(100);
			AuditLogTailer tailer = app.bean(AuditReceivers.class).tailer("kubeadm").orElseThrow();
			// Copytruncate lands between reading lines 100-200 and storing them.
			append(log(), lines.subList(100, 200));
			tailer.afterParse(once(() -> {
				append(log(), lines.subList(200, 300));
				Files.copy(log(), this.logDir.resolve("audit.log.1"));
				Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
				append(log(), lines.subList(300, 305));
			}));
			counted(app); // this poll stores lines 100-200 and stops at the shrunken file
			assertThat(counted(app)).isEqualTo(305);
			// A rename rotation there too, the new file growing past the old offset
			// before the next poll.
			append(log(), lines.subList(305, 400));
			tailer.afterParse(once(() -> {
				append(log(), lines.subList(400, 450));
				Files.move(log(), this.logDir.resolve("audit-2026-11-22T11-00-00.000.log"));
				append(log(), lines.subList(450, 700));
			}));
			counted(app);
			assertThat(counted(app)).isEqualTo(700);
			assertThat(status(app).tailsLost()).isZero();
		}
	}

	private interface IoAction {

		void run() throws IOException;

	}

	/** Runs the action the first time only (the tailer calls it after every chunk). */
	private static Runnable once(IoAction action) {
		AtomicBoolean done = new AtomicBoolean();
		return () -> {
			if (done.compareAndSet(false, true)) {
				try {
					action.run();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}
		};
	}

	@Test
	void severalRotationsWhileStoppedAreAllReadInOrder() throws Exception {
		List<String> lines = lines(27, 800);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 100));
			assertThat(counted(app)).isEqualTo(100);
			append(log(), lines.subList(100, 150)); // unread when stopped
		}
		// Rename rotation twice and copytruncate once while stopped (a busy apiserver
		// with a small
		// --audit-log-maxsize, or logrotate): every file in between was never seen.
		Files.move(log(), this.logDir.resolve("audit-2026-11-22T10-00-00.000.log"));
		Thread.sleep(20);
		append(log(), lines.subList(150, 300));
		Files.move(log(), this.logDir.resolve("audit-2026-11-22T10-10-00.000.log"));
		Thread.sleep(20);
		append(log(), lines.subList(300, 500));
		Files.copy(log(), this.logDir.resolve("audit.log.1"));
		Files.write(log(), new byte[0], StandardOpenOption.TRUNCATE_EXISTING);
		Thread.sleep(20);
		append(log(), lines.subList(500, 800));
		Files.writeString(this.logDir.resolve("kube-apiserver.log"), "not an audit log\n"); // left
																							// alone
		try (TestApp app = TestApp.start(properties())) {
			assertThat(counted(app)).isEqualTo(800);
			assertThat(status(app).rotations()).isEqualTo(3);
			assertThat(status(app).tailsLost()).isZero();
			assertThat(app.bean(AuditReceivers.class).quality("kubeadm").orElseThrow())
				.satisfies((q) -> assertThat(((SourceResult.Ok<AuditDataQuality>) q).value().problems()).isEmpty());
		}
	}

	@Test
	void aCheckpointAtAnEmptyFileDoesNotTakeAnOlderBackupForItsRotatedSelf() throws Exception {
		List<String> lines = lines(26, 200);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 100));
			assertThat(counted(app)).isEqualTo(100);
			Files.move(log(), this.logDir.resolve("audit.log.1"));
			Files.createFile(log());
			assertThat(counted(app)).isEqualTo(100); // now at offset 0 of an empty file
		}
		// While stopped (so no memory of counted requests helps), that empty file is
		// rotated and compressed away, and a new one gets lines.
		Files.move(log(), this.logDir.resolve("audit.log.2"));
		append(log(), lines.subList(100, 200)); // created first: a new inode, not the
												// deleted one's
		Files.delete(this.logDir.resolve("audit.log.2"));
		try (TestApp app = TestApp.start(properties())) {
			assertThat(counted(app)).isEqualTo(200);
		}
	}

	@Test
	void aLineLongerThanAChunkIsSkippedAndCountedAndTheLinesAroundItAreKept() throws Exception {
		List<String> lines = lines(25, 20);
		try (TestApp app = TestApp.start(properties())) {
			append(log(), lines.subList(0, 10));
			append(log(), List.of("{\"auditID\":\"huge\",\"userAgent\":\"" + "y".repeat(200_000) + "\"}\n"));
			append(log(), lines.subList(10, 20));
			assertThat(counted(app)).isEqualTo(20);
			assertThat(status(app).longLines()).isEqualTo(1);
			assertThat(app.bean(AuditReceivers.class).quality("kubeadm").orElseThrow())
				.satisfies((q) -> assertThat(((SourceResult.Ok<AuditDataQuality>) q).value().problems())
					.containsEntry("line longer than 65536 bytes", 1L));
		}
	}

	/**
	 * Records what the tailer stores, without a database, and fails the store calls it is
	 * told to: the checkpoint it hands back is the last one stored, as after a restart.
	 */
	static final class RecordingStore extends AuditRollupWriter {

		final List<Long> offsets = new ArrayList<>();

		final Set<Integer> failCalls;

		long requests;

		private int calls;

		private AuditLogCheckpoint last;

		RecordingStore(Integer... failCalls) {
			super(null, null);
			this.failCalls = Set.of(failCalls);
		}

		@Override
		public synchronized void store(String cluster, AuditBatch batch, String origin, AuditInputReport report,
				Instant receivedAt, AuditLogCheckpoint checkpoint, String bodyDigest) {
			this.calls++;
			if (this.failCalls.contains(this.calls)) {
				throw new DataAccessResourceFailureException("database gone");
			}
			this.requests += batch.requests();
			this.offsets.add(checkpoint.offset());
			this.last = checkpoint;
		}

		@Override
		public synchronized Optional<AuditLogCheckpoint> checkpoint(String cluster, String path) {
			return Optional.ofNullable(this.last);
		}

		@Override
		public synchronized void saveCheckpoint(String cluster, AuditLogCheckpoint checkpoint, Instant at) {
			this.last = checkpoint;
		}

		@Override
		public List<PendingRequest> pending(String cluster) {
			return List.of();
		}

	}

	@Test
	void aChunkThatFailsToStoreWhileTheNextIsParsedIsReadAgainAndNothingCountsTwice() throws Exception {
		List<String> lines = lines(26, 400);
		append(log(), lines);
		long size = Files.size(log());
		RecordingStore store = new RecordingStore(2);
		Clock clock = Clock.systemUTC();
		AuditIngest ingest = new AuditIngest("kubeadm", store, AuditStream.Limits.defaults(), 4, clock);
		AuditLogTailer tailer = new AuditLogTailer("kubeadm", log(), ingest, store, 16 * 1024, clock);
		tailer.poll();
		assertThat(tailer.status().lastError()).contains("database gone");
		assertThat(store.offsets).hasSize(1);
		long firstChunk = store.offsets.get(0);
		assertThat(tailer.status().offset()).isEqualTo(firstChunk);
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(store.requests).isEqualTo(400);
		assertThat(store.offsets).isSorted().doesNotHaveDuplicates().endsWith(size);
		assertThat(store.offsets.size()).isGreaterThan(5);
	}

	/**
	 * One line whose stageTimestamp holds a supplementary character (as a JSON escape, so
	 * the file is pure ASCII) is one counted problem: the lines after it are read, the
	 * file is not stuck.
	 */
	@Test
	void oneBadTimestampDoesNotStopTheFile() throws Exception {
		List<String> lines = new ArrayList<>();
		AuditTraffic traffic = AuditTraffic.random(31, 40, 4, T0, 10);
		traffic.requests().removeIf(AuditTraffic.Request::longRunning);
		traffic.requests().stream().limit(20).forEach((r) -> lines.add(AuditTraffic.event(r, "ResponseComplete")));
		String bad = lines.get(0)
			.replaceFirst("\"stageTimestamp\":\"[^\"]+\"",
					"\"stageTimestamp\":\"2026-11-22T10:00:00.0000\\\\ud83d\\\\ude00Z\"")
			.replace("\"auditID\":\"", "\"auditID\":\"bad-");
		lines.add(10, bad);
		Path log = log();
		Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
		RecordingStore store = new RecordingStore();
		Clock clock = Clock.systemUTC();
		AuditIngest ingest = new AuditIngest("kubeadm", store, AuditStream.Limits.defaults(), 4, clock);
		AuditLogTailer tailer = new AuditLogTailer("kubeadm", log, ingest, store, 64 * 1024, clock);
		tailer.poll();
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(tailer.status().offset()).isEqualTo(Files.size(log));
		// The 20 good lines count; the bad one has no usable stageTimestamp, so it waits,
		// like a ResponseStarted, for its completion or its horizon.
		assertThat(store.requests).isEqualTo(20);
		assertThat(ingest.status().pending()).isEqualTo(1);
	}

}
