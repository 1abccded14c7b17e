package dev.cpdoctor.history;

import java.util.Map;
import java.util.function.LongPredicate;

import dev.cpdoctor.analysis.audit.MinuteCell;

/**
 * The rollup cells of one minute (or one part of it) as one value for the database: a
 * version byte, the cell count, then per cell its series id, requests, latency count
 * (variable-length integers), latency sum (8 bytes) and latency sketch (length, then
 * DDSketch's own bytes; length 0 when the cell has no latency). One row per minute
 * instead of one per cell: a busy cluster has hundreds of series a minute, and a row each
 * made the database most of the cost of ingestion.
 */
final class CellBlob {

	private static final byte VERSION = 1;

	private CellBlob() {
	}

	/** What a decoded cell holds; {@code sketch} is null when not asked for or absent. */
	interface Visitor {

		void cell(long seriesId, long requests, long latencyCount, double latencySumMs, byte[] sketch);

	}

	static byte[] encode(Map<Long, MinuteCell> cells) {
		BlobBytes.Writer out = new BlobBytes.Writer(32 + cells.size() * 48);
		out.raw(new byte[] { VERSION });
		out.varLong(cells.size());
		for (Map.Entry<Long, MinuteCell> entry : cells.entrySet()) {
			MinuteCell cell = entry.getValue();
			out.varLong(entry.getKey());
			out.varLong(cell.requests());
			out.varLong(cell.latencyCount());
			out.rawLong(Double.doubleToRawLongBits(cell.latencySumMs()));
			byte[] sketch = cell.sketchBytes();
			if (sketch == null) {
				out.varLong(0);
			}
			else {
				out.varLong(sketch.length);
				out.raw(sketch);
			}
		}
		return out.toByteArray();
	}

	/**
	 * Calls {@code visitor} for every cell; sketches are copied out only when
	 * {@code withSketches}. Bytes that are not a cell blob are an error, never skipped in
	 * silence.
	 */
	static void decode(byte[] blob, boolean withSketches, Visitor visitor) {
		decode(blob, (series) -> withSketches, visitor);
	}

	/**
	 * {@link #decode(byte[], boolean, Visitor)} copying out only the sketches of the
	 * series asked for.
	 */
	static void decode(byte[] blob, LongPredicate sketchesOf, Visitor visitor) {
		BlobBytes.Reader in = new BlobBytes.Reader(blob);
		if (blob.length == 0 || blob[0] != VERSION) {
			throw new IllegalArgumentException("Stored audit cells have an unknown format (version byte "
					+ ((blob.length == 0) ? "missing" : blob[0]) + ")");
		}
		in.skip(1);
		long count = in.varLong();
		for (long i = 0; i < count; i++) {
			long series = in.varLong();
			long requests = in.varLong();
			long latencyCount = in.varLong();
			double latencySum = Double.longBitsToDouble(in.rawLong());
			int sketchLength = in.varInt();
			byte[] sketch = null;
			if (sketchLength > 0) {
				if (sketchesOf.test(series)) {
					sketch = in.bytes(sketchLength);
				}
				else {
					in.skip(sketchLength);
				}
			}
			visitor.cell(series, requests, latencyCount, latencySum, sketch);
		}
		in.expectEnd();
	}

}
