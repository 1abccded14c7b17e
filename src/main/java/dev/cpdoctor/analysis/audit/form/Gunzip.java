package dev.cpdoctor.analysis.audit.form;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * gzip read with a bound on what it expands to: the caller's size for all layers of one
 * input together, and a ratio of expanded to compressed bytes per layer that real audit
 * logs never reach (a gzip bomb does at once). Past either it throws
 * {@link ExpandedTooLarge} before the expanded bytes are held anywhere. A damaged or cut
 * gzip is a {@link Damaged}, told apart from a failure of the stream under it.
 */
public final class Gunzip extends InputStream {

	/** What all gzip layers of one input expanded to so far. */
	static final class Expansion {

		private long total;

		void add(long bytes, long max) throws ExpandedTooLarge {
			this.total += bytes;
			if (this.total > max) {
				throw new ExpandedTooLarge("gzip expanded past " + FormLimits.size(max)
						+ ", the most this input may expand to: send it in smaller parts");
			}
		}

	}

	/** The gzip data itself is broken or cut short (the stream under it read fine). */
	public static final class Damaged extends IOException {

		Damaged(String message) {
			super(message);
		}

	}

	private final Counted compressed;

	private final Inflating gzip;

	private final FormLimits limits;

	private final Expansion expansion;

	private long expanded;

	private Gunzip(Counted compressed, FormLimits limits, Expansion expansion) throws IOException {
		this.compressed = compressed;
		this.limits = limits;
		this.expansion = expansion;
		this.gzip = guarded(compressed, () -> new Inflating(compressed));
	}

	/**
	 * gzip read from {@code compressed} (its first bytes the gzip magic), bounded by the
	 * limits' size and ratio.
	 */
	public static Gunzip open(InputStream compressed, FormLimits limits) throws IOException {
		return open(compressed, limits, new Expansion());
	}

	static Gunzip open(InputStream compressed, FormLimits limits, Expansion expansion) throws IOException {
		return new Gunzip(new Counted(compressed), limits, expansion);
	}

	/** Whether {@code head} starts with the gzip magic, 1f 8b, at {@code from}. */
	public static boolean isGzip(byte[] head, int from, int length) {
		return length - from >= 2 && head[from] == (byte) 0x1f && head[from + 1] == (byte) 0x8b;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		int n = read(one, 0, 1);
		return (n <= 0) ? -1 : one[0] & 0xFF;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = guarded(this.compressed, () -> this.gzip.read(b, off, len));
		if (n > 0) {
			this.expanded += n;
			this.expansion.add(n, this.limits.maxExpanded());
			if (this.expanded > this.limits.ratioFrom()
					&& this.expanded > this.limits.maxRatio() * Math.max(1, this.compressed.count)) {
				throw new ExpandedTooLarge(
						"gzip expanded more than " + this.limits.maxRatio() + " times its compressed size ("
								+ FormLimits.size(this.expanded) + " from " + FormLimits.size(this.compressed.count)
								+ "): that is a gzip bomb, not an audit log (they compress 10-20 times)");
			}
		}
		return n;
	}

	/** Bytes read from the compressed stream so far. */
	public long compressedBytes() {
		return this.compressed.count;
	}

	@Override
	public void close() throws IOException {
		this.gzip.close();
	}

	private interface Read<T> {

		T run() throws IOException;

	}

	/**
	 * Runs a read of the gzip stream: a failure of the stream under it goes on as it is,
	 * any other is the gzip data's own ({@link Damaged}).
	 */
	private static <T> T guarded(Counted compressed, Read<T> read) throws IOException {
		try {
			return read.run();
		}
		catch (ExpandedTooLarge ex) {
			throw ex;
		}
		catch (IOException ex) {
			if (compressed.failed) {
				throw ex;
			}
			throw new Damaged("gzip damaged or cut short (" + ex.getMessage() + ")");
		}
	}

	/** gzip that tells how many compressed bytes it holds read but not inflated yet. */
	private static final class Inflating extends GZIPInputStream {

		Inflating(InputStream in) throws IOException {
			super(in, 64 * 1024);
		}

		long unconsumed() {
			return this.inf.getRemaining();
		}

	}

	/** Counts the compressed bytes read, and whether the stream itself failed. */
	private static final class Counted extends FilterInputStream {

		long count;

		boolean failed;

		Counted(InputStream in) {
			super(in);
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			int n = read(one, 0, 1);
			return (n <= 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			try {
				int n = this.in.read(b, off, len);
				if (n > 0) {
					this.count += n;
				}
				return n;
			}
			catch (IOException ex) {
				this.failed = true;
				throw ex;
			}
		}

		@Override
		public void close() {
			// the stream under it is its owner's to close
		}

	}

}
