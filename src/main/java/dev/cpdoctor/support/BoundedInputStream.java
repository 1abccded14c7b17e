package dev.cpdoctor.support;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads at most a limit of bytes; one byte more fails the read, so a huge upload is
 * refused early.
 */
public final class BoundedInputStream extends FilterInputStream {

	public static final class LimitExceededException extends IOException {

		LimitExceededException(long limit) {
			super("more than " + limit + " bytes");
		}

	}

	private final long limit;

	private long count;

	public BoundedInputStream(InputStream in, long limit) {
		super(in);
		this.limit = limit;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		int n = super.read(b, off, len);
		if (n > 0) {
			count(n);
		}
		return n;
	}

	private void count(long n) throws LimitExceededException {
		this.count += n;
		if (this.count > this.limit) {
			throw new LimitExceededException(this.limit);
		}
	}

}
