package dev.cpdoctor.analysis.audit;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;

/**
 * Latency sketches as bytes for the database: DDSketch's own encoding, index mapping
 * included, so a stored sketch merges with a fresh one exactly as two in memory do.
 */
public final class SketchCodec {

	private SketchCodec() {
	}

	/** An empty sketch with the rollups' accuracy. */
	public static DDSketch newSketch() {
		return DDSketches.sparse(AuditRollup.RELATIVE_ACCURACY);
	}

	public static byte[] encode(DDSketch sketch) {
		GrowingByteArrayOutput out = GrowingByteArrayOutput.withDefaultInitialCapacity();
		try {
			sketch.encode(out, false);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.trimmedCopy();
	}

	/**
	 * Merges stored bytes into {@code into}; bytes that are not a sketch are an error,
	 * never ignored.
	 */
	public static void mergeInto(DDSketch into, byte[] bytes) {
		try {
			into.mergeWith(DDSketch.decode(ByteArrayInput.wrap(bytes), UnboundedSizeDenseStore::new));
		}
		catch (IOException ex) {
			throw new IllegalArgumentException("A stored latency sketch is unreadable: " + ex.getMessage(), ex);
		}
	}

}
