package dev.cpdoctor.analysis.audit;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * What one rollup cell holds: requests, and over the completed requests that carry
 * latency their count, sum and a mergeable quantile sketch. Mutable while one writer
 * fills it.
 */
public final class MinuteCell {

	private long requests;

	private long latencyCount;

	private double latencySumMs;

	private DDSketch sketch;

	public void addRequest() {
		this.requests++;
	}

	public void addLatency(double ms) {
		double value = Math.max(0.0, ms);
		if (this.sketch == null) {
			this.sketch = SketchCodec.newSketch();
		}
		this.sketch.accept(value);
		this.latencyCount++;
		this.latencySumMs += value;
	}

	/**
	 * Adds a stored cell's figures; its sketch bytes may be null when it had no latency.
	 */
	public void merge(long requests, long latencyCount, double latencySumMs, byte[] sketchBytes) {
		this.requests += requests;
		this.latencyCount += latencyCount;
		this.latencySumMs += latencySumMs;
		if (sketchBytes != null) {
			if (this.sketch == null) {
				this.sketch = SketchCodec.newSketch();
			}
			SketchCodec.mergeInto(this.sketch, sketchBytes);
		}
	}

	/** Adds another cell's figures to this one (and returns this one). */
	public MinuteCell add(MinuteCell other) {
		this.requests += other.requests;
		this.latencyCount += other.latencyCount;
		this.latencySumMs += other.latencySumMs;
		if (other.sketch != null) {
			if (this.sketch == null) {
				this.sketch = SketchCodec.newSketch();
			}
			this.sketch.mergeWith(other.sketch);
		}
		return this;
	}

	public long requests() {
		return this.requests;
	}

	public long latencyCount() {
		return this.latencyCount;
	}

	public double latencySumMs() {
		return this.latencySumMs;
	}

	/** The sketch, null when no request of the cell carried latency. */
	public DDSketch sketch() {
		return this.sketch;
	}

	public byte[] sketchBytes() {
		return (this.sketch != null) ? SketchCodec.encode(this.sketch) : null;
	}

}
