package dev.cpdoctor.analysis.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.cpdoctor.analysis.metrics.PrometheusLexer.skipBlanks;
import static dev.cpdoctor.analysis.metrics.PrometheusLexer.tokenEnd;

/**
 * A streaming parser of the Prometheus text exposition format (version 0.0.4) that keeps
 * only the families it is asked for.
 * <p>
 * It reads bytes, not characters: a line whose metric name is not wanted is skipped after
 * its name, with no allocation, so a 30 MB apiserver scrape costs about what scanning it
 * for newlines costs. Only kept lines are decoded (UTF-8) into {@link MetricSample}s. A
 * malformed line is counted in the {@link ParseReport} with its reason and skipped; it
 * never fails the parse.
 * <p>
 * Handles HELP and TYPE comments, label values with \\, \" and \n escapes, NaN, +Inf and
 * -Inf, optional timestamps, histogram and summary series (_bucket, _sum, _count belong
 * to their family), CRLF line ends, and lines longer than the buffer (up to
 * {@link #MAX_LINE_BYTES}). The bytes of a line are read by {@link PrometheusLexer}; the
 * wanted families are a {@link FamilyTable}.
 */
public final class PrometheusTextParser {

	/**
	 * A line longer than this is skipped as malformed (the largest real ones are a few
	 * KB).
	 */
	public static final int MAX_LINE_BYTES = 1 << 20;

	private static final int BUFFER_BYTES = 1 << 16;

	/** Receives each kept sample. */
	@FunctionalInterface
	public interface SampleSink {

		void accept(MetricSample sample);

	}

	private final FamilyTable wanted;

	/**
	 * @param families the family names to keep; a counter may be named with or without
	 * _total
	 */
	public PrometheusTextParser(Collection<String> families) {
		this.wanted = new FamilyTable(families);
	}

	/** Parses the whole stream; the caller closes it. */
	public ParseReport parse(InputStream in, SampleSink sink) throws IOException {
		ParseReport report = new ParseReport();
		byte[] buf = new byte[BUFFER_BYTES];
		int start = 0;
		int end = 0;
		boolean skippingLongLine = false;
		boolean eof = false;
		while (true) {
			int newline = PrometheusLexer.indexOf(buf, start, end, (byte) '\n');
			if (newline < 0) {
				if (eof) {
					if (start < end && !skippingLongLine) {
						report.countLine();
						line(buf, start, end, report, sink);
					}
					return report;
				}
				// Move the partial line to the front, grow the buffer if one line fills
				// it.
				if (start > 0) {
					System.arraycopy(buf, start, buf, 0, end - start);
					end -= start;
					start = 0;
				}
				if (end == buf.length) {
					if (buf.length >= MAX_LINE_BYTES) {
						if (!skippingLongLine) {
							report.countLine();
							report.countMalformed("line longer than " + MAX_LINE_BYTES + " bytes");
							skippingLongLine = true;
						}
						end = 0;
					}
					else {
						buf = Arrays.copyOf(buf, Math.min(buf.length * 2, MAX_LINE_BYTES));
					}
				}
				int read = in.read(buf, end, buf.length - end);
				if (read < 0) {
					eof = true;
				}
				else {
					report.countBytes(read);
					end += read;
				}
				continue;
			}
			if (skippingLongLine) {
				skippingLongLine = false;
			}
			else {
				report.countLine();
				line(buf, start, newline, report, sink);
			}
			start = newline + 1;
		}
	}

	private void line(byte[] b, int from, int to, ParseReport report, SampleSink sink) {
		if (to > from && b[to - 1] == '\r') {
			to--;
		}
		int i = skipBlanks(b, from, to);
		if (i == to) {
			return;
		}
		if (b[i] == '#') {
			comment(b, i + 1, to, report);
			return;
		}
		long scanned = PrometheusLexer.scanMetricName(b, i, to);
		int nameEnd = (int) scanned;
		if (nameEnd == i) {
			report.countMalformed("not a metric name");
			return;
		}
		if (nameEnd < to && b[nameEnd] != '{' && b[nameEnd] != ' ' && b[nameEnd] != '\t') {
			report.countMalformed("not a metric name");
			return;
		}
		report.countSample();
		String family = this.wanted.find(b, i, nameEnd, (int) (scanned >>> 32));
		if (family == null) {
			return;
		}
		sample(b, i, nameEnd, to, family, report, sink);
	}

	private void sample(byte[] b, int nameStart, int nameEnd, int to, String family, ParseReport report,
			SampleSink sink) {
		Map<String, String> labels = Collections.emptyMap();
		int i = nameEnd;
		if (i < to && b[i] == '{') {
			labels = new LinkedHashMap<>();
			i = PrometheusLexer.labels(b, i + 1, to, labels);
			if (i < 0) {
				report.countMalformed(PrometheusLexer.LABEL_ERRORS[-i - 1]);
				return;
			}
		}
		int valueStart = skipBlanks(b, i, to);
		// After '}' the blank is optional (Go's parser accepts "x{a="b"}1"); after a bare
		// name it is not.
		if (valueStart == i && i < to && b[i - 1] != '}') {
			report.countMalformed("no space before the value");
			return;
		}
		int valueEnd = tokenEnd(b, valueStart, to);
		if (valueStart == valueEnd) {
			report.countMalformed("missing value");
			return;
		}
		double value;
		try {
			value = PrometheusLexer
				.parseValue(new String(b, valueStart, valueEnd - valueStart, StandardCharsets.US_ASCII));
		}
		catch (NumberFormatException ex) {
			report.countMalformed("bad value");
			return;
		}
		Long timestamp = null;
		int tsStart = skipBlanks(b, valueEnd, to);
		// OpenMetrics: an exemplar follows " # "; it is not needed here.
		if (tsStart < to && b[tsStart] != '#') {
			int tsEnd = tokenEnd(b, tsStart, to);
			try {
				timestamp = PrometheusLexer
					.parseTimestamp(new String(b, tsStart, tsEnd - tsStart, StandardCharsets.US_ASCII));
			}
			catch (NumberFormatException ex) {
				report.countMalformed("bad timestamp");
				return;
			}
			int rest = skipBlanks(b, tsEnd, to);
			if (rest < to && b[rest] != '#') {
				report.countMalformed("text after the timestamp");
				return;
			}
		}
		String name = new String(b, nameStart, nameEnd - nameStart, StandardCharsets.US_ASCII);
		report.countKept();
		sink.accept(new MetricSample(family, name, Collections.unmodifiableMap(labels), value, timestamp));
	}

	private void comment(byte[] b, int i, int to, ParseReport report) {
		i = skipBlanks(b, i, to);
		int wordEnd = tokenEnd(b, i, to);
		boolean type = wordEnd - i == 4 && b[i] == 'T' && b[i + 1] == 'Y' && b[i + 2] == 'P' && b[i + 3] == 'E';
		if (!type) {
			return;
		}
		int nameStart = skipBlanks(b, wordEnd, to);
		int nameEnd = PrometheusLexer.metricNameEnd(b, nameStart, to);
		String family = this.wanted.find(b, nameStart, nameEnd, PrometheusLexer.hash(b, nameStart, nameEnd));
		if (family == null) {
			return;
		}
		int typeStart = skipBlanks(b, nameEnd, to);
		int typeEnd = tokenEnd(b, typeStart, to);
		report.recordType(family, new String(b, typeStart, typeEnd - typeStart, StandardCharsets.US_ASCII));
	}

}
