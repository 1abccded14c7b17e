package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cpdoctor.analysis.audit.AuditEvent;
import dev.cpdoctor.analysis.audit.AuditEventParser;
import dev.cpdoctor.analysis.audit.AuditInputReport;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.history.AuditRollupWriter;
import dev.cpdoctor.source.AuditDataQuality;
import dev.cpdoctor.support.Sha256;

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
 * A tail that cannot be found (compressed, deleted) is reported as lost on the
 * data-quality panel.
 */
public final class AuditLogTailer {

	private static final Logger log = LoggerFactory.getLogger(AuditLogTailer.class);

	/** Bytes of a file's head that identify it next to its key. */
	static final int HEAD_BYTES = 4096;

	private final String cluster;

	private final Path path;

	private final AuditIngest ingest;

	private final AuditRollupWriter store;

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

	private boolean loaded;

	private volatile long fileSize;

	private volatile long rotations;

	private volatile long tailsLost;

	private volatile long longLines;

	private volatile Instant lastReadAt;

	private volatile String lastError;

	/**
	 * @param chunkBytes the most bytes read and stored per transaction (also the longest
	 * line)
	 */
	public AuditLogTailer(String cluster, Path path, AuditIngest ingest, AuditRollupWriter store, int chunkBytes,
			Clock clock) {
		this.cluster = cluster;
		this.path = path.toAbsolutePath().normalize();
		this.ingest = ingest;
		this.store = store;
		this.chunkBytes = chunkBytes;
		this.clock = clock;
	}

	public Path path() {
		return this.path;
	}

	/**
	 * For tests: something to do (a rotation) after a chunk is parsed and before it is
	 * stored.
	 */
	void afterParse(Runnable action) {
		this.afterParse = action;
	}

	/**
	 * Reads what was written since the last poll, rotations included. One caller at a
	 * time.
	 */
	public synchronized void poll() {
		try {
			if (!this.loaded) {
				this.checkpoint = this.store.checkpoint(this.cluster, key()).orElse(null);
				this.loaded = true;
			}
			if (!Files.isRegularFile(this.path)) {
				this.lastError = "No audit log at " + this.path + " yet";
				return;
			}
			Identity current = Identity.of(this.path, (this.checkpoint != null) ? this.checkpoint.headLength() : 0);
			if (this.checkpoint == null) {
				this.checkpoint = new AuditLogCheckpoint(key(), current.fileKey(), current.headHash(),
						current.headLength(), 0);
			}
			else if (!current.matches(this.checkpoint) || Files.size(this.path) < this.checkpoint.offset()) {
				finishRotated(current);
				Identity fresh = Identity.of(this.path, 0);
				this.checkpoint = new AuditLogCheckpoint(key(), fresh.fileKey(), fresh.headHash(), 0, 0);
				this.store.saveCheckpoint(this.cluster, this.checkpoint, this.clock.instant());
				this.rotations++;
			}
			readFrom(this.path, false);
			this.lastError = null;
		}
		catch (IOException | UncheckedIOException ex) {
			// A chunk being stored when the read failed may have failed too (or committed
			// while
			// reported failed): the position is read from the database again either way.
			this.loaded = false;
			this.lastError = "Reading " + this.path + " failed: " + ex.getMessage();
			log.warn("Audit log tailer of cluster '{}': {}", this.cluster, this.lastError);
		}
		catch (RuntimeException ex) {
			// Reload the position from the database next time: a commit that reported
			// failure may
			// still have happened.
			this.loaded = false;
			this.lastError = "Storing audit events from " + this.path + " failed: " + ex.getMessage();
			log.warn("Audit log tailer of cluster '{}'", this.cluster, ex);
		}
	}

	/**
	 * The file the checkpoint points into was rotated away: read its tail where it now
	 * lives.
	 */
	private void finishRotated(Identity current) throws IOException {
		Optional<Path> rotated = findRotated();
		if (rotated.isEmpty()) {
			log.warn("Audit log of cluster '{}' rotated; the rest of the previous file (after byte {}) was not found"
					+ " beside it", this.cluster, this.checkpoint.offset());
			this.tailsLost++;
			this.lastError = "Rotated file not found: its lines after byte " + this.checkpoint.offset()
					+ " (if any) were not read";
			return;
		}
		long before = this.checkpoint.offset();
		readFrom(rotated.get(), true);
		log.info("Audit log of cluster '{}' rotated: read {} remaining bytes of {}", this.cluster,
				this.checkpoint.offset() - before, rotated.get());
		readLaterRotations(Files.getLastModifiedTime(rotated.get()));
	}

	/**
	 * Files rotated after the one just finished, before the current log (several
	 * rotations while the dashboard was down or between polls): never read, so read
	 * whole, oldest first. Each is the checkpoint's file while it is read, so a restart
	 * midway resumes inside it.
	 */
	private void readLaterRotations(FileTime after) throws IOException {
		List<Path> later = new ArrayList<>();
		String name = this.path.getFileName().toString();
		int dot = name.lastIndexOf('.');
		String stem = (dot > 0) ? name.substring(0, dot) : name;
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.path.getParent())) {
			for (Path file : files) {
				String other = file.getFileName().toString();
				boolean rotatedName = other.startsWith(name + ".") || other.startsWith(stem + "-");
				try {
					if (rotatedName && !file.equals(this.path) && Files.isRegularFile(file)
							&& Files.getLastModifiedTime(file).compareTo(after) > 0) {
						if (other.matches(".*\\.(gz|bz2|xz|zst|zip)$")) {
							this.tailsLost++;
							this.lastError = "A later rotated file is compressed and was not read: " + file;
						}
						else {
							later.add(file);
						}
					}
				}
				catch (IOException ex) {
					// vanished or unreadable: not ours to read
				}
			}
		}
		later.sort(Comparator.comparing((Path file) -> {
			try {
				return Files.getLastModifiedTime(file);
			}
			catch (IOException ex) {
				return FileTime.fromMillis(0);
			}
		}));
		for (Path file : later) {
			Identity identity = Identity.of(file, HEAD_BYTES);
			this.checkpoint = new AuditLogCheckpoint(key(), identity.fileKey(), identity.headHash(),
					identity.headLength(), 0);
			this.store.saveCheckpoint(this.cluster, this.checkpoint, this.clock.instant());
			readFrom(file, true);
			this.rotations++;
			log.info("Audit log of cluster '{}': read {} bytes of {}, rotated while not followed", this.cluster,
					this.checkpoint.offset(), file);
		}
	}

	/**
	 * A file beside the log (not the log itself) with the checkpoint's head, at least as
	 * long as the offset.
	 */
	private Optional<Path> findRotated() throws IOException {
		List<Path> candidates = new ArrayList<>();
		Path directory = this.path.getParent();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
			for (Path file : files) {
				try {
					if (file.equals(this.path) || !Files.isRegularFile(file)
							|| Files.size(file) < this.checkpoint.offset()) {
						continue;
					}
					Identity identity = Identity.of(file, this.checkpoint.headLength());
					// An empty head matches every file: then only the very file (same
					// key) will do.
					boolean sameHead = identity.headHash().equals(this.checkpoint.headHash())
							&& (this.checkpoint.headLength() > 0
									|| identity.fileKey().equals(this.checkpoint.fileKey()));
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
		// Renamed: the very file (same key). Copied: the newest copy.
		return candidates.stream().max(Comparator.comparing((Path file) -> {
			try {
				return Identity.of(file, 0).fileKey().equals(this.checkpoint.fileKey()) ? 1 : 0;
			}
			catch (IOException ex) {
				return 0;
			}
		}).thenComparing((Path file) -> {
			try {
				return Files.getLastModifiedTime(file);
			}
			catch (IOException ex) {
				return FileTime.fromMillis(0);
			}
		}));
	}

	/**
	 * Reads whole lines from the checkpoint's offset to the end of {@code file}, one
	 * chunk per transaction. A rotated file is final: its last line counts even without a
	 * newline. A chunk is parsed while the one before it is stored, on a helper thread;
	 * chunks are stored in order, each once the one before it is, and all of them before
	 * this returns.
	 */
	private void readFrom(Path file, boolean finalFile) throws IOException {
		Storing storing = new Storing();
		try {
			readFrom(file, finalFile, storing);
		}
		catch (IOException | RuntimeException | Error ex) {
			storing.awaitAfter(ex);
			throw ex;
		}
		storing.await();
	}

	private void readFrom(Path file, boolean finalFile, Storing storing) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(this.chunkBytes);
		String keyBefore = Identity.fileKey(file);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			// The identity of the file actually open, taken now: a rotation while a chunk
			// is parsed
			// must not pair the next file's identity with this file's offset.
			if (!keyBefore.equals(Identity.fileKey(file))) {
				return; // replaced while opening: the next poll sees the rotation
			}
			byte[] head = Identity.head(channel, (int) Math.min(HEAD_BYTES, channel.size()));
			if (!finalFile && this.checkpoint.headLength() > 0 && (head.length < this.checkpoint.headLength()
					|| !Identity.sha256(head, this.checkpoint.headLength()).equals(this.checkpoint.headHash()))) {
				return; // truncated or replaced since the poll looked: the next poll sees
						// the rotation
			}
			Opened opened = new Opened(keyBefore, head);
			// Where the next chunk starts: the checkpoint moves only once the chunk
			// before is stored.
			long offset = this.checkpoint.offset();
			while (true) {
				long size = channel.size();
				if (file.equals(this.path)) {
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
				byte[] bytes = buffer.array();
				int end = lastNewline(bytes, read);
				boolean atEnd = offset + read >= size;
				if (end < 0) {
					if (read == this.chunkBytes) {
						// A line longer than a chunk: skip it whole, counted, never
						// half-read.
						long skipTo = skipLine(channel, offset + read);
						this.longLines++;
						AuditInputReport report = AuditInputReport
							.rejected("line longer than " + this.chunkBytes + " bytes");
						storing.await();
						store(List.of(), report, file, opened, skipTo);
						offset = skipTo;
						continue;
					}
					if (!(finalFile && atEnd)) {
						return; // a line still being written
					}
					end = read;
				}
				else if (finalFile && atEnd && end < read) {
					end = read;
				}
				List<AuditEvent> events = new ArrayList<>();
				AuditInputReport report = parse(bytes, end, events);
				this.afterParse.run();
				long next = offset + end;
				storing.await();
				storing.start(() -> {
					store(events, report, file, opened, next);
					this.lastReadAt = this.clock.instant();
				});
				offset = next;
			}
		}
	}

	/**
	 * The chunk being stored on a helper thread while the tailer reads and parses the
	 * next.
	 */
	private static final class Storing {

		private CompletableFuture<Void> current = CompletableFuture.completedFuture(null);

		void start(Runnable store) {
			this.current = CompletableFuture.runAsync(store, STORERS);
		}

		/**
		 * Waits for the chunk being stored; its failure is thrown here (once), as if
		 * stored in line.
		 */
		void await() {
			CompletableFuture<Void> waited = this.current;
			this.current = CompletableFuture.completedFuture(null);
			try {
				waited.join();
			}
			catch (CompletionException ex) {
				if (ex.getCause() instanceof RuntimeException cause) {
					throw cause;
				}
				if (ex.getCause() instanceof Error cause) {
					throw cause;
				}
				throw ex;
			}
		}

		/**
		 * Waits while {@code failure} is on its way out; a failed store is added to it.
		 */
		void awaitAfter(Throwable failure) {
			try {
				await();
			}
			catch (RuntimeException | Error ex) {
				failure.addSuppressed(ex);
			}
		}

	}

	/**
	 * Threads that store chunks, at most one per tailer at a time; idle ones go after a
	 * minute.
	 */
	private static final ExecutorService STORERS = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "audit-log-store");
		thread.setDaemon(true);
		return thread;
	});

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

	/** Below this a chunk is parsed on the tailer's own thread. */
	private static final int PARALLEL_FROM = 1024 * 1024;

	/** One helper thread for all tailers: the second half of a large chunk. */
	private static final ExecutorService PARSERS = Executors.newSingleThreadExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "audit-log-parse");
		thread.setDaemon(true);
		return thread;
	});

	/** The file a pass reads: its key and first bytes as of opening it. */
	private record Opened(String fileKey, byte[] head) {
	}

	private void store(List<AuditEvent> events, AuditInputReport report, Path file, Opened opened, long newOffset) {
		AuditLogCheckpoint next;
		if (file.equals(this.path)) {
			int headLength = (int) Math.min(opened.head().length, newOffset);
			next = new AuditLogCheckpoint(key(), opened.fileKey(), Identity.sha256(opened.head(), headLength),
					headLength, newOffset);
		}
		else {
			next = new AuditLogCheckpoint(key(), this.checkpoint.fileKey(), this.checkpoint.headHash(),
					this.checkpoint.headLength(), newOffset);
		}
		this.ingest.ingest(events, report, "file", next);
		this.checkpoint = next;
	}

	/**
	 * The offset after the newline that ends the line running through {@code from}, or
	 * the file's end.
	 */
	private long skipLine(FileChannel channel, long from) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
		long position = from;
		while (true) {
			buffer.clear();
			int read = channel.read(buffer, position);
			if (read <= 0) {
				return position;
			}
			for (int i = 0; i < read; i++) {
				if (buffer.get(i) == '\n') {
					return position + i + 1;
				}
			}
			position += read;
		}
	}

	private static int lastNewline(byte[] bytes, int length) {
		for (int i = length - 1; i >= 0; i--) {
			if (bytes[i] == '\n') {
				return i + 1;
			}
		}
		return -1;
	}

	private String key() {
		return this.path.toString();
	}

	public AuditDataQuality.Tailer status() {
		AuditLogCheckpoint at = this.checkpoint;
		return new AuditDataQuality.Tailer(this.path.toString(), (at != null) ? at.offset() : 0, this.fileSize,
				this.rotations, this.tailsLost, this.longLines, this.lastReadAt, this.lastError);
	}

	/**
	 * A file's key (device and inode where the file system has one) and the hash of its
	 * first bytes.
	 */
	record Identity(String fileKey, String headHash, int headLength) {

		static String fileKey(Path file) throws IOException {
			Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
			return (key != null) ? key.toString() : "";
		}

		/**
		 * The first {@code length} bytes through an open channel (fewer if the file is
		 * shorter now).
		 */
		static byte[] head(FileChannel channel, int length) throws IOException {
			ByteBuffer buffer = ByteBuffer.allocate(length);
			while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {
				// fill
			}
			return Arrays.copyOf(buffer.array(), buffer.position());
		}

		static Identity of(Path file, int headLength) throws IOException {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			Object key = attributes.fileKey();
			int length = (int) Math.min(headLength, attributes.size());
			byte[] head = new byte[length];
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
				ByteBuffer buffer = ByteBuffer.wrap(head);
				while (buffer.hasRemaining() && channel.read(buffer) > 0) {
					// fill the head
				}
				if (buffer.hasRemaining()) {
					length = buffer.position();
				}
			}
			return new Identity((key != null) ? key.toString() : "", sha256(head, length), length);
		}

		/**
		 * Same file: same key (where known) and the same first bytes as when the
		 * checkpoint was taken.
		 */
		boolean matches(AuditLogCheckpoint checkpoint) {
			boolean sameKey = this.fileKey.isEmpty() || checkpoint.fileKey().isEmpty()
					|| this.fileKey.equals(checkpoint.fileKey());
			return sameKey && this.headLength == checkpoint.headLength() && this.headHash.equals(checkpoint.headHash());
		}

		static String sha256(byte[] bytes, int length) {
			return Sha256.hex(bytes, 0, length);
		}

	}

}
