package dev.cpdoctor.analysis.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a parse saw: how many lines and samples, which were kept, and each malformed
 * line's reason with a count and the first line number. A malformed line never fails the
 * scrape.
 */
public final class ParseReport {

	private long lines;

	private long samples;

	private long kept;

	private long bytes;

	private final Map<String, Long> malformed = new TreeMap<>();

	private final Map<String, Long> firstMalformedLine = new TreeMap<>();

	private final Map<String, String> types = new TreeMap<>();

	void countLine() {
		this.lines++;
	}

	void countSample() {
		this.samples++;
	}

	void countKept() {
		this.kept++;
	}

	void countBytes(long count) {
		this.bytes += count;
	}

	void countMalformed(String reason) {
		this.malformed.merge(reason, 1L, Long::sum);
		this.firstMalformedLine.putIfAbsent(reason, this.lines);
	}

	void recordType(String family, String type) {
		this.types.put(family, type);
	}

	public long lines() {
		return this.lines;
	}

	/** Lines that looked like samples (a valid metric name first), kept or not. */
	public long samples() {
		return this.samples;
	}

	public long kept() {
		return this.kept;
	}

	public long bytes() {
		return this.bytes;
	}

	/** Reason to count, e.g. "bad value" -> 2. */
	public Map<String, Long> malformed() {
		return Collections.unmodifiableMap(this.malformed);
	}

	public long malformedCount() {
		return this.malformed.values().stream().mapToLong(Long::longValue).sum();
	}

	/** The line number where each reason was first seen, for the error message. */
	public Map<String, Long> firstMalformedLine() {
		return Collections.unmodifiableMap(this.firstMalformedLine);
	}

	/** # TYPE of the wanted families that declared one. */
	public Map<String, String> types() {
		return Collections.unmodifiableMap(this.types);
	}

	/**
	 * Whether the input was Prometheus text at all: some sample lines, and more good
	 * lines than bad. An HTML error page or a JSON body fails this.
	 */
	public boolean looksLikePrometheusText() {
		return this.samples > 0 && malformedCount() < this.samples;
	}

	@Override
	public String toString() {
		return "ParseReport[lines=" + this.lines + ", samples=" + this.samples + ", kept=" + this.kept + ", malformed="
				+ this.malformed + "]";
	}

}
