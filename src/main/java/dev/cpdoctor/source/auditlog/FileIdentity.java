package dev.cpdoctor.source.auditlog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

import dev.cpdoctor.analysis.audit.form.FormLimits;
import dev.cpdoctor.analysis.audit.form.Gunzip;
import dev.cpdoctor.history.AuditLogCheckpoint;
import dev.cpdoctor.support.Sha256;

/**
 * A file's key (device and inode where the file system has one) and the hash of its first
 * bytes: how a tailer knows the file it follows across renames and truncations.
 */
record FileIdentity(String fileKey, String headHash, int headLength) {

	/** Bytes of a file's head that identify it next to its key. */
	static final int HEAD_BYTES = 4096;

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

	static FileIdentity of(Path file, int headLength) throws IOException {
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
		return new FileIdentity((key != null) ? key.toString() : "", sha256(head, length), length);
	}

	/**
	 * How far a rotated file gzipped beside the log may expand: no size cap (rotated logs
	 * are the apiserver's own), but the ratio of a gzip bomb stops it.
	 */
	static final FormLimits ROTATED = FormLimits.of(64 * 1024, Long.MAX_VALUE);

	/** Whether the file's content is gzip: its first two bytes, whatever its name. */
	static boolean isGzip(Path file) throws IOException {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] magic = in.readNBytes(2);
			return Gunzip.isGzip(magic, 0, magic.length);
		}
	}

	/**
	 * As {@link #of}, for a file that may be gzipped since it was read: the head is then
	 * that of the expanded bytes, as it was when the file was plain.
	 */
	static FileIdentity ofContent(Path file, int headLength) throws IOException {
		if (!isGzip(file)) {
			return of(file, headLength);
		}
		byte[] head;
		try (InputStream raw = Files.newInputStream(file); Gunzip expanded = Gunzip.open(raw, ROTATED)) {
			head = expanded.readNBytes(headLength);
		}
		return new FileIdentity(fileKey(file), sha256(head, head.length), head.length);
	}

	/**
	 * Same file: same key (where known) and the same first bytes as when the checkpoint
	 * was taken.
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
