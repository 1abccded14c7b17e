package dev.cpdoctor.analysis.audit;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an audit input held: events kept, and each rejected or repaired event's reason
 * with a count and the first offending input (its sample: escaped, at most
 * {@value #SAMPLE_CHARS} characters). Each event counts once per reason; input that
 * cannot be cut into events (a body that is no JSON at all, a broken list) counts once
 * per piece that could not be read.
 */
public final class AuditInputReport {

	/** The longest sample of a reason, in characters. */
	public static final int SAMPLE_CHARS = InputSample.MAX_CHARS;

	/**
	 * How the reasons of events kept after a repair end: every other reason refused its
	 * event.
	 */
	private static final List<String> REPAIRS = List.of("(hashed)", "(replaced)", "(cut)", "(counted, no latency)");

	private long kept;

	private final Map<String, Long> problems = new TreeMap<>();

	private final Map<String, String> samples = new HashMap<>();

	/** The event being judged, whose problems take it as their sample; null between. */
	private byte[] judged;

	private int judgedFrom;

	private int judgedTo;

	/** A report of input that held no event, only one refused piece. */
	public static AuditInputReport rejected(String reason) {
		AuditInputReport report = new AuditInputReport();
		report.problem(reason);
		return report;
	}

	/**
	 * A report of input that held no event, only one refused piece: {@code input[from,
	 * to)}, its sample.
	 */
	public static AuditInputReport rejected(String reason, byte[] input, int from, int to) {
		AuditInputReport report = new AuditInputReport();
		report.problem(reason, input, from, to);
		return report;
	}

	/**
	 * Whether events of this reason were kept, repaired (an auditID hashed, a text cut or
	 * replaced, a request counted without latency), rather than refused.
	 */
	public static boolean isRepair(String reason) {
		return REPAIRS.stream().anyMatch(reason::endsWith);
	}

	/**
	 * How the data-quality panel shows {@code input[from, to)}: read leniently as UTF-8,
	 * escaped, cut to {@value #SAMPLE_CHARS} characters.
	 */
	public static String sample(byte[] input, int from, int to) {
		return InputSample.of(input, from, to);
	}

	/** Adds another report's counts; a reason's sample stays the first one. */
	public void add(AuditInputReport other) {
		this.kept += other.kept;
		other.problems.forEach((reason, count) -> this.problems.merge(reason, count, Long::sum));
		other.samples.forEach(this.samples::putIfAbsent);
	}

	void kept() {
		this.kept++;
	}

	/**
	 * Counts one event (or unreadable piece) for the reason; while an event is
	 * {@link #judging judged}, that event is the reason's sample if it has none yet.
	 */
	void problem(String reason) {
		if (this.judged != null) {
			problem(reason, this.judged, this.judgedFrom, this.judgedTo);
		}
		else {
			this.problems.merge(reason, 1L, Long::sum);
		}
	}

	/**
	 * Counts one event (or unreadable piece) for the reason, {@code input[from, to)} its
	 * sample if the reason has none yet.
	 */
	void problem(String reason, byte[] input, int from, int to) {
		this.problems.merge(reason, 1L, Long::sum);
		if (!this.samples.containsKey(reason)) {
			this.samples.put(reason, InputSample.of(input, from, to));
		}
	}

	/**
	 * The event in {@code input[from, to)} is being judged: problems counted until
	 * {@link #judged()} are its own.
	 */
	void judging(byte[] input, int from, int to) {
		this.judged = input;
		this.judgedFrom = from;
		this.judgedTo = to;
	}

	/** The event judged is done with. */
	void judged() {
		this.judged = null;
	}

	/**
	 * Events that were read well but refused when counted (older than the retention, too
	 * late to tell whether counted): they move from kept to the reason.
	 */
	public void refused(String reason, long events) {
		if (events > 0) {
			this.kept -= events;
			this.problems.merge(reason, events, Long::sum);
		}
	}

	public long events() {
		return this.kept;
	}

	/** Reason to count, for the data-quality panel. */
	public Map<String, Long> problems() {
		return Collections.unmodifiableMap(this.problems);
	}

	/**
	 * Reason to its first offending input, escaped and cut; a reason counted without its
	 * input has none.
	 */
	public Map<String, String> samples() {
		return Collections.unmodifiableMap(this.samples);
	}

	@Override
	public String toString() {
		return "AuditInputReport[kept=" + this.kept + ", problems=" + this.problems + "]";
	}

}
