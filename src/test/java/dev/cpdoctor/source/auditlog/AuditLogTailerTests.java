package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;

import dev.cpdoctor.TestApp;
import dev.cpdoctor.analysis.audit.AuditBatch;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.AuditStream;
import dev.cpdoctor.analysis.audit.AuditTraffic;
import dev.cpdoctor.analysis.audit.PendingRequest;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.source.SourceResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log-file tailer against real files: appends, a line still being written, rotation
 * while a chunk is parsed, a rotated file gone, a line longer than a chunk, a store that
 * fails. Each line must count exactly once. The tests share one application, each with a
 * cluster and log file of its own; restarts are {@link AuditLogTailerRestartTests}.
 */
class AuditLogTailerTests {

	private static final String[] CLUSTERS = { "appends", "gone", "mid-chunk", "long-line" };

	@TempDir
	static Path shared;

	private static TestApp app;

	/** The log file of the tests without an application. */
	@TempDir
	Path logDir;

	@BeforeAll
	static void start() throws IOException {
		TailedLog[] logs = new TailedLog[CLUSTERS.length];
		for (int i = 0; i < logs.length; i++) {
			logs[i] = log(CLUSTERS[i]);
			Files.createDirectories(logs[i].dir());
		}
		Map<String, Object> properties = TailedLog.properties(shared.resolve("data"), logs);
		// Its hourly run, a minute after start-up, keeps 30 days by default: it must not
		// cut this class's events while the class runs.
		properties.put("cpdoctor.audit.retention", "36500d");
		app = TestApp.start(properties);
	}

	@AfterAll
	static void stop() {
		if (app != null) {
			app.close();
		}
	}

	/** The test's own cluster and log file in the shared application. */
	private static TailedLog log(String cluster) {
		return new TailedLog(cluster, shared.resolve("logs").resolve(cluster));
	}

	@Test
	void appendedLinesCountOnceAndALineStillBeingWrittenWaitsForItsNewline() throws Exception {
		TailedLog log = log("appends");
		List<String> lines = TailedLog.lines(21, 300);
		assertThat(log.counted(app)).isZero();
		assertThat(log.status(app).lastError()).contains("No audit log");
		assertThat(log.health(app)).isEqualTo("UNKNOWN");
		log.append(lines.subList(0, 200));
		assertThat(log.counted(app)).isEqualTo(200);
		String half = lines.get(200);
		log.append(List.of(half.substring(0, 150)));
		assertThat(log.counted(app)).isEqualTo(200);
		log.append(List.of(half.substring(150)));
		log.append(lines.subList(201, 300));
		assertThat(log.counted(app)).isEqualTo(300);
		assertThat(log.counted(app)).isEqualTo(300);
		assertThat(log.status(app).offset()).isEqualTo(Files.size(log.file()));
		assertThat(log.status(app).lastError()).isNull();
		assertThat(log.health(app)).isEqualTo("UP");
	}

	@Test
	void aRotatedFileThatIsGoneIsReportedAndTheNewFileIsStillRead() throws Exception {
		TailedLog log = log("gone");
		List<String> lines = TailedLog.lines(24, 300);
		log.append(lines.subList(0, 100));
		assertThat(log.counted(app)).isEqualTo(100);
		log.append(lines.subList(100, 150));
		// rotated and compressed at once: the tail is not readable
		Files.delete(log.file());
		log.append(lines.subList(150, 300));
		assertThat(log.counted(app)).isEqualTo(250);
		assertThat(log.status(app).tailsLost()).isEqualTo(1);
	}

	@Test
	void aRotationWhileAChunkIsParsedLosesNoLine() throws Exception {
		TailedLog log = log("mid-chunk");
		List<String> lines = TailedLog.lines(28, 700);
		log.append(lines.subList(0, 100));
		assertThat(log.counted(app)).isEqualTo(100);
		AuditLogTailer tailer = log.tailer(app);
		// Copytruncate lands between reading lines 100-200 and storing them.
		log.append(lines.subList(100, 200));
		tailer.afterParse(once(() -> {
			log.append(lines.subList(200, 300));
			log.copytruncate("audit.log.1");
			log.append(lines.subList(300, 305));
		}));
		log.counted(app); // this poll stores lines 100-200 and stops at the shrunken file
		assertThat(log.counted(app)).isEqualTo(305);
		// A rename rotation there too, the new file growing past the old offset
		// before the next poll.
		log.append(lines.subList(305, 400));
		tailer.afterParse(once(() -> {
			log.append(lines.subList(400, 450));
			Files.move(log.file(), log.dir().resolve("audit-2026-11-22T11-00-00.000.log"));
			log.append(lines.subList(450, 700));
		}));
		log.counted(app);
		assertThat(log.counted(app)).isEqualTo(700);
		assertThat(log.status(app).tailsLost()).isZero();
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
	void aLineLongerThanAChunkIsSkippedAndCountedAndTheLinesAroundItAreKept() throws Exception {
		TailedLog log = log("long-line");
		List<String> lines = TailedLog.lines(25, 20);
		log.append(lines.subList(0, 10));
		log.append(List.of("{\"auditID\":\"huge\",\"userAgent\":\"" + "y".repeat(200_000) + "\"}\n"));
		log.append(lines.subList(10, 20));
		assertThat(log.counted(app)).isEqualTo(20);
		assertThat(log.status(app).longLines()).isEqualTo(1);
		assertThat(app.bean(AuditReceivers.class).quality(log.cluster()).orElseThrow())
			.satisfies((q) -> assertThat(((SourceResult.Ok<AuditDataQuality>) q).value().problems())
				.containsEntry("line longer than 65536 bytes", 1L));
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
		public Optional<Instant> watermark(String cluster) {
			return Optional.empty();
		}

		@Override
		public long[] countedCodes(String cluster, Instant minute) {
			return new long[0];
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
		List<String> lines = TailedLog.lines(26, 400);
		Path log = this.logDir.resolve("audit.log");
		Files.writeString(log, String.join("", lines), StandardCharsets.UTF_8);
		long size = Files.size(log);
		RecordingStore store = new RecordingStore(2);
		Clock clock = Clock.systemUTC();
		AuditIngest ingest = new AuditIngest("kubeadm", store, AuditStream.Limits.defaults(), 4, clock);
		AuditLogTailer tailer = new AuditLogTailer("kubeadm", log, ingest, store, 16 * 1024, clock);
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
		AuditTraffic traffic = AuditTraffic.random(31, 40, 4, TailedLog.T0, 10);
		traffic.requests().removeIf(AuditTraffic.Request::longRunning);
		traffic.requests().stream().limit(20).forEach((r) -> lines.add(AuditTraffic.event(r, "ResponseComplete")));
		String bad = lines.get(0)
			.replaceFirst("\"stageTimestamp\":\"[^\"]+\"",
					"\"stageTimestamp\":\"2026-11-22T10:00:00.0000\\\\ud83d\\\\ude00Z\"")
			.replace("\"auditID\":\"", "\"auditID\":\"bad-");
		lines.add(10, bad);
		Path log = this.logDir.resolve("audit.log");
		Files.writeString(log, String.join("\n", lines) + "\n", StandardCharsets.US_ASCII);
		RecordingStore store = new RecordingStore();
		Clock clock = Clock.systemUTC();
		AuditIngest ingest = new AuditIngest("kubeadm", store, AuditStream.Limits.defaults(), 4, clock);
		AuditLogTailer tailer = new AuditLogTailer("kubeadm", log, ingest, store, 64 * 1024, clock);
		tailer.poll();
		tailer.poll();
		assertThat(tailer.status().lastError()).isNull();
		assertThat(tailer.status().offset()).isEqualTo(Files.size(log));
		// The 20 good lines count, and so does the bad one: it has no usable
		// stageTimestamp, but it is a ResponseComplete, so it counts at once, without
		// latency.
		assertThat(store.requests).isEqualTo(21);
		assertThat(ingest.status().pending()).isZero();
	}

}
