package dev.cpdoctor.source.auditlog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.analysis.audit.form.Gunzip;
import dev.cpdoctor.history.AuditLogCheckpoint;

/**
 * A tailer's read loop: reads whole lines of one file from the checkpoint's offset, a
 * chunk per transaction, and moves the checkpoint on as each chunk is stored. A chunk is
 * parsed while the one before it is stored, on a helper thread; chunks are stored in
 * order, each once the one before it is. Which file to read is the tailer's business
 * ({@link RotatedFiles}).
 */
final class AuditLogReader {

	/** Below this a chunk is parsed on the tailer's own thread. */
	private static final int PARALLEL_FROM = 1024 * 1024;

	/** One helper thread for all tailers: the second half of a large chunk. */
	private static final ExecutorService PARSERS = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "audit-log-parse");
		thread.setDaemon(true);
		return thread;
	});

	/** The followed log's path: its checkpoints carry it, and its size is reported. */
	private final Path log;

	private final AuditIngest ingest;

	private final AuditEventParser parser = new AuditEventParser();

	private final int chunkBytes;

	private final Clock clock;

	/**
	 * Written by the thread that stores chunks, read by the tailer's thread once it
	 * waited for it.
	 */
	private volatile AuditLogCheckpoint checkpoint;

	/** Runs between parsing a chunk and storing it: tests rotate the file there. */
	private volatile Runnable afterParse = () -> {
	};

	private volatile long fileSize;

	private volatile long longLines;

	private volatile Instant lastReadAt;

	/** The file a pass reads: its key and first bytes as of opening it. */
	private record Opened(String fileKey, byte[] head) {
	}

	/**
	 * @param chunkBytes the most bytes read and stored per transaction (also the longest
	 * line)
	 */
	AuditLogReader(Path log, AuditIngest ingest, int chunkBytes, Clock clock) {
		this.log = log;
		this.ingest = ingest;
		this.chunkBytes = chunkBytes;
		this.clock = clock;
	}

	AuditLogCheckpoint checkpoint() {
		return this.checkpoint;
	}

	/** Where the next read starts (null: not known yet). */
	void moveTo(AuditLogCheckpoint checkpoint) {
		this.checkpoint = checkpoint;
	}

	void afterParse(Runnable action) {
		this.afterParse = action;
	}

	/** The log's size when last read. */
	long fileSize() {
		return this.fileSize;
	}

	long longLines() {
		return this.longLines;
	}

	Instant lastReadAt() {
		return this.lastReadAt;
	}

	/**
	 * Reads whole lines from the checkpoint's offset to the end of {@code file}: the log
	 * itself or, with the checkpoint's identity, a file it was rotated to. A rotated file
	 * is final: its last line counts even without a newline. Every chunk is stored before
	 * this returns.
	 */
	void read(Path file, boolean finalFile) throws IOException {
		ChunkStorer storing = new ChunkStorer();
		try {
			if (finalFile && FileIdentity.isGzip(file)) {
				readGzipped(file, storing);
			}
			else {
				read(file, finalFile, storing);
			}
		}
		catch (IOException | RuntimeException | Error ex) {
			storing.awaitAfter(ex);
			throw ex;
		}
		storing.await();
	}

	private void read(Path file, boolean finalFile, ChunkStorer storing) throws IOException {
		String keyBefore = FileIdentity.fileKey(file);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			// The identity of the file actually open, taken now: a rotation while a chunk
			// is parsed must not pair the next file's identity with this file's offset.
			if (!keyBefore.equals(FileIdentity.fileKey(file))) {
				return; // replaced while opening: the next poll sees the rotation
			}
			byte[] head = FileIdentity.head(channel, (int) Math.min(FileIdentity.HEAD_BYTES, channel.size()));
			if (!finalFile && this.checkpoint.headLength() > 0 && (head.length < this.checkpoint.headLength()
					|| !FileIdentity.sha256(head, this.checkpoint.headLength()).equals(this.checkpoint.headHash()))) {
				return; // truncated or replaced since the poll looked: the next poll sees
						// the rotation
			}
			readChunks(channel, file, finalFile, new Opened(keyBefore, head), storing);
		}
	}

	private void readChunks(FileChannel channel, Path file, boolean finalFile, Opened opened, ChunkStorer storing)
			throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(this.chunkBytes);
		// Where the next chunk starts: the checkpoint moves only once the chunk before is
		// stored.
		long offset = this.checkpoint.offset();
		while (true) {
			long size = channel.size();
			if (file.equals(this.log)) {
				this.fileSize = size;
			}
			if (offset >= size) {
				return;
			}
			buffer.clear();
			int read = channel.read(buffer, offset);
			if (read <= 0) {
				return;
			}
			int end = LogLines.lastNewline(buffer.array(), read);
			if (end < 0 && read == this.chunkBytes) {
				offset = skipLongLine(channel, file, opened, buffer.array(), offset + read, storing);
				continue;
			}
			if (finalFile && offset + read >= size) {
				end = read; // the last line of a rotated file counts without a newline
			}
			else if (end < 0) {
				return; // a line still being written
			}
			offset = storeChunk(buffer.array(), end, file, opened, offset, storing);
		}
	}

	/**
	 * A rotated file gzipped before its tail was read (logrotate's compress, the
	 * apiserver's --audit-log-compress): read through gzip from the checkpoint's offset
	 * in its expanded bytes, whole lines a chunk at a time as a plain file is. A gzip cut
	 * short (still being written) stops before its last line, to be read again.
	 */
	private void readGzipped(Path file, ChunkStorer storing) throws IOException {
		try (InputStream raw = Files.newInputStream(file);
				InputStream in = new BufferedInputStream(
						Gunzip.open(new BufferedInputStream(raw, 64 * 1024), FileIdentity.ROTATED), 64 * 1024)) {
			long offset = this.checkpoint.offset();
			if (LogLines.skip(in, offset) < offset) {
				return; // shorter than the offset: nothing of it is unread
			}
			Opened opened = new Opened(FileIdentity.fileKey(file), new byte[0]);
			byte[] buffer = new byte[this.chunkBytes];
			int filled = 0;
			while (true) {
				filled += in.readNBytes(buffer, filled, buffer.length - filled);
				boolean end = filled < buffer.length;
				int upTo = end ? filled : LogLines.lastNewline(buffer, filled);
				if (upTo < 0) {
					offset = skipped(offset + filled + LogLines.skipLine(in), file, opened, buffer, storing);
					filled = 0;
					continue;
				}
				if (upTo > 0) {
					offset = storeChunk(buffer, upTo, file, opened, offset, storing);
				}
				System.arraycopy(buffer, upTo, buffer, 0, filled - upTo);
				filled -= upTo;
				if (end) {
					return;
				}
			}
		}
	}

	/**
	 * A line longer than a chunk: skipped whole, counted (its first chunk, {@code head},
	 * the sample), never half-read. Answers the offset after it.
	 */
	private long skipLongLine(FileChannel channel, Path file, Opened opened, byte[] head, long from,
			ChunkStorer storing) throws IOException {
		return skipped(LogLines.skipLine(channel, from), file, opened, head, storing);
	}

	/**
	 * Counts a line longer than a chunk, skipped up to {@code skipTo}, its first chunk
	 * ({@code head}) the sample.
	 */
	private long skipped(long skipTo, Path file, Opened opened, byte[] head, ChunkStorer storing) {
		AuditInputReport report = AuditInputReport.rejected("line longer than " + this.chunkBytes + " bytes", head, 0,
				head.length);
		this.longLines++;
		storing.await();
		store(List.of(), report, file, opened, skipTo);
		return skipTo;
	}

	/**
	 * Parses the chunk's first {@code end} bytes (whole lines) and stores them once the
	 * chunk before is stored; answers the offset after them.
	 */
	private long storeChunk(byte[] bytes, int end, Path file, Opened opened, long offset, ChunkStorer storing) {
		List<AuditEvent> events = new ArrayList<>();
		AuditInputReport report = parse(bytes, end, events);
		this.afterParse.run();
		long next = offset + end;
		storing.await();
		storing.start(() -> {
			store(events, report, file, opened, next);
			this.lastReadAt = this.clock.instant();
		});
		return next;
	}

	/**
	 * Parses a chunk's whole lines, its two halves (split at a newline) in parallel when
	 * the chunk is large: parsing is most of the work of catching up with a big file.
	 * Events keep file order.
	 */
	private AuditInputReport parse(byte[] bytes, int end, List<AuditEvent> events) {
		int middle = end / 2;
		while (middle < end && bytes[middle] != '\n') {
			middle++;
		}
		if (end < PARALLEL_FROM || middle >= end - 1) {
			return this.parser.parseLines(bytes, 0, end, events::add);
		}
		int split = middle + 1;
		List<AuditEvent> second = new ArrayList<>();
		CompletableFuture<AuditInputReport> secondHalf = CompletableFuture
			.supplyAsync(() -> this.parser.parseLines(bytes, split, end - split, second::add), PARSERS);
		AuditInputReport report = this.parser.parseLines(bytes, 0, split, events::add);
		report.add(secondHalf.join());
		events.addAll(second);
		return report;
	}

	/**
	 * Stores a chunk's events with the checkpoint after them: the log's own identity as
	 * opened, or the rotated file's as the checkpoint has it.
	 */
	private void store(List<AuditEvent> events, AuditInputReport report, Path file, Opened opened, long newOffset) {
		AuditLogCheckpoint next;
		if (file.equals(this.log)) {
			int headLength = (int) Math.min(opened.head().length, newOffset);
			next = new AuditLogCheckpoint(this.log.toString(), opened.fileKey(),
					FileIdentity.sha256(opened.head(), headLength), headLength, newOffset);
		}
		else {
			next = new AuditLogCheckpoint(this.log.toString(), this.checkpoint.fileKey(), this.checkpoint.headHash(),
					this.checkpoint.headLength(), newOffset);
		}
		this.ingest.ingest(events, report, "file", next);
		this.checkpoint = next;
	}

}
